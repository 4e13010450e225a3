import Foundation

/// The real `estbench` binary, built beside the test bundle.
let estbenchBinary: URL = {
    let candidates = [
        Bundle.main.bundleURL.appendingPathComponent("estbench"),
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("estbench"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
}()

/// Runs the built `estbench` (or `tool`) with `arguments`; returns its exit status and output.
@discardableResult
func runEstbench(_ arguments: [String], tool: URL? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = tool ?? estbenchBinary
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    terminateAfterDeadline(process)
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// Tests never wait forever on a child: after `seconds` it is terminated (and the test fails on its output).
func terminateAfterDeadline(_ process: Process, seconds: Double = 120) {
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
        if process.isRunning { process.terminate() }
    }
}
