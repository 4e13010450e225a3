import Foundation
import XCTest

/// `estbench serve` started by a test on 127.0.0.1 (port chosen by the kernel), bounded by its own
/// --duration, stopped with SIGTERM at the end of the test.
final class ServeProcess {
    let process = Process()
    let directory: URL
    let port: UInt16
    /// The CA bundle (root, PEM) and the CA directory.
    let bundle: String
    let caDirectory: String
    private let output = Pipe()

    init(_ arguments: [String] = [], environment: [String: String] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-serve-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        caDirectory = directory.appendingPathComponent("ca").path
        process.executableURL = estbenchBinary
        process.arguments = ["serve", "--listen", "127.0.0.1:0", "--threads", "2", "--duration", "120", "--ca-dir", caDirectory] + arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        terminateAfterDeadline(process, seconds: 180)
        var text = ""
        var found: UInt16?
        let deadline = Date().addingTimeInterval(20)
        while found == nil && Date() < deadline {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: "https://127.0.0.1:"), let end = text[range.upperBound...].firstIndex(of: "/") {
                found = UInt16(text[range.upperBound..<end])
            }
        }
        guard let found else {
            process.terminate()
            throw XCTSkip("estbench serve did not start: \(text)")
        }
        port = found
        bundle = caDirectory + "/cacerts.pem"
    }

    func url(_ operation: String, label: String? = nil) -> String {
        "https://127.0.0.1:\(port)/.well-known/est/" + (label.map { $0 + "/" } ?? "") + operation
    }

    /// SIGTERM, then the rest of standard output (the stop line with the counts).
    @discardableResult
    func stop() -> String {
        if process.isRunning { process.terminate() }
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
        return String(decoding: rest, as: UTF8.self)
    }
}

/// A third-party command (curl, openssl) with its status and output.
@discardableResult
func tool(_ arguments: [String], input: Data? = nil, in directory: String? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe(), err = Pipe(), inp = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inp
    try process.run()
    terminateAfterDeadline(process, seconds: 60)
    if let input { inp.fileHandleForWriting.write(input) }
    try inp.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, o, String(decoding: e, as: UTF8.self))
}
