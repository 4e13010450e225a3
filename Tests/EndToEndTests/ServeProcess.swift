import Foundation
import TestSupport
import XCTest

/// `estbench serve` started by a test on 127.0.0.1 (port chosen by the kernel), bounded by its own
/// --duration, stopped with SIGTERM at the end of the test. A server that does not come up fails
/// the test with everything it said.
final class ServeProcess {
    let process = Process()
    let directory: URL
    let port: UInt16
    /// The CA bundle (root, PEM) and the CA directory.
    let bundle: String
    let caDirectory: String
    let output: ProcessOutput

    /// - Parameter descriptorLimit: runs serve under `ulimit -n N` (soft and hard: serve cannot raise it).
    /// - Parameter port: a fixed port (0: the kernel's choice).
    /// - Parameter caDirectory: a CA directory the test owns and keeps (nil: a new one, removed by `stop`).
    init(_ arguments: [String] = [], environment: [String: String] = [:], descriptorLimit: Int? = nil,
         port fixedPort: UInt16 = 0, caDirectory ownCA: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-serve-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        caDirectory = ownCA ?? directory.appendingPathComponent("ca").path
        // --duration only bounds a server whose test died; a test stops it long before.
        let serve = ["serve", "--listen", "127.0.0.1:\(fixedPort)", "--threads", "2", "--duration", "600", "--ca-dir", caDirectory]
            + arguments
        if let descriptorLimit {
            let limited = underLimit("-n \(descriptorLimit)", serve)
            process.executableURL = limited.tool
            process.arguments = limited.arguments
        } else {
            process.executableURL = estbenchBinary
            process.arguments = serve
        }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        output = ProcessOutput(process)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        terminateAfterDeadline(process, seconds: 600)
        // Ready when it says where it listens: "estbench serve: https://127.0.0.1:PORT/.well-known/est/ — …".
        do {
            let line = try output.waitForLine(on: .stdout, "listening line (estbench serve: https://127.0.0.1:PORT/…)") {
                ServeProcess.listeningPort($0) != nil
            }
            port = ServeProcess.listeningPort(Substring(line))!
        } catch {
            process.terminate()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        bundle = caDirectory + "/cacerts.pem"
    }

    private static func listeningPort(_ line: Substring) -> UInt16? {
        let prefix = "estbench serve: https://127.0.0.1:"
        guard line.hasPrefix(prefix) else { return nil }
        return line.dropFirst(prefix.count).split(separator: "/").first.flatMap { UInt16($0) }
    }

    func url(_ operation: String, label: String? = nil) -> String {
        "https://127.0.0.1:\(port)/.well-known/est/" + (label.map { $0 + "/" } ?? "") + operation
    }

    /// SIGKILL: the server dies at once, its connections cut by the kernel; returns what it said.
    @discardableResult
    func kill9() -> String {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        return stop()
    }

    /// SIGTERM, then all of standard output (ending with the stop line and the counts).
    @discardableResult
    func stop() -> String {
        if process.isRunning { process.terminate() }
        let text: String
        do { text = String(decoding: try output.waitForEnd().stdout, as: UTF8.self) } catch { text = "\(error)" }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
        return text
    }
}

/// A third-party command (curl, openssl) with its status and output.
@discardableResult
func tool(_ arguments: [String], input: Data? = nil, in directory: String? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let output = ProcessOutput(process)
    let inp = Pipe()
    process.standardInput = inp
    try process.run()
    terminateAfterDeadline(process, seconds: 60)
    if let input { inp.fileHandleForWriting.write(input) }
    try inp.fileHandleForWriting.close()
    let (o, e) = try output.waitForEnd()
    process.waitUntilExit()
    return (process.terminationStatus, o, e)
}
