import Foundation
import PKI

/// `openssl s_server -www` on 127.0.0.1 on a port it picks, with a fresh self-signed certificate;
/// stopped at the end of the test (and bounded by a timeout of its own).
public final class OpenSSLServer {
    let process = Process()
    let directory: URL
    public let port: UInt16
    /// The server's self-signed certificate (DER), to trust.
    public let certificate: [UInt8]
    /// The same as a PEM file, for command-line clients.
    public let certificateFile: String

    public init(extraArguments: [String] = [], clientCA: [UInt8]? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-s_server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let keyPath = directory.appendingPathComponent("server.key").path
        let certPath = directory.appendingPathComponent("server.pem").path
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        make.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                          "-keyout", keyPath, "-out", certPath, "-subj", "/CN=localhost",
                          "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "2"]
        make.standardError = FileHandle.nullDevice
        try make.run()
        make.waitUntilExit()
        guard make.terminationStatus == 0 else { throw OpenSSLServerError.setup("openssl req failed") }
        let pem = try String(contentsOfFile: certPath, encoding: .utf8)
        guard let der = try PEM.decodeAll(pem, label: "CERTIFICATE").first else { throw OpenSSLServerError.setup("no certificate") }
        certificate = der
        certificateFile = certPath

        var arguments = ["timeout", "30", "openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", certPath, "-key", keyPath, "-www"]
        if let clientCA {
            let caPath = directory.appendingPathComponent("ca.pem").path
            try PEM.encode(clientCA, label: "CERTIFICATE").write(toFile: caPath, atomically: true, encoding: .utf8)
            arguments += ["-CAfile", caPath]
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments + extraArguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Wait (bounded) for "ACCEPT 127.0.0.1:PORT".
        var text = ""
        let deadline = Date().addingTimeInterval(10)
        var found: UInt16?
        while found == nil && Date() < deadline {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }),
               let p = line.split(separator: ":").last.flatMap({ UInt16($0.trimmingCharacters(in: .whitespaces)) }) {
                found = p
            }
        }
        guard let found else {
            process.terminate()
            throw OpenSSLServerError.setup("s_server did not report its port: \(text)")
        }
        port = found
    }

    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

public enum OpenSSLServerError: Error { case setup(String) }
