import Foundation
import PKI

/// `openssl s_server -www` on 127.0.0.1 on a port it picks, with a fresh self-signed certificate;
/// stopped at the end of the test (and bounded by a timeout of its own, far beyond any test's length).
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

        var arguments = ["timeout", "600", "openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", certPath, "-key", keyPath, "-www"]
        if let clientCA {
            let caPath = directory.appendingPathComponent("ca.pem").path
            try PEM.encode(clientCA, label: "CERTIFICATE").write(toFile: caPath, atomically: true, encoding: .utf8)
            arguments += ["-CAfile", caPath]
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments + extraArguments
        let output = ProcessOutput(process)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Ready when it says "ACCEPT 127.0.0.1:PORT".
        let found: UInt16
        do {
            let line = try output.waitForLine(on: .stdout, "ACCEPT line") { $0.hasPrefix("ACCEPT ") }
            guard let p = line.split(separator: ":").last.flatMap({ UInt16($0.trimmingCharacters(in: .whitespaces)) }) else {
                throw OpenSSLServerError.setup("s_server did not report its port: \(output.stdout)\n\(output.stderr)")
            }
            found = p
        } catch {
            process.terminate()
            throw error
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
