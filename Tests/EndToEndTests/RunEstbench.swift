import Foundation
import TestSupport

/// The real `estbench` binary, built beside the test bundle — or ESTBENCH_BINARY, e.g. a release
/// build for a measurement made by a (debug) test: `ESTBENCH_BINARY=.build/release/estbench swift test …`.
let estbenchBinary: URL = {
    if let path = ProcessInfo.processInfo.environment["ESTBENCH_BINARY"] { return URL(fileURLWithPath: path) }
    let candidates = [
        Bundle.main.bundleURL.appendingPathComponent("estbench"),
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("estbench"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
}()

/// Runs the built `estbench` (or `tool`) with `arguments`, in this environment changed by `environment`;
/// returns its exit status and output.
@discardableResult
func runEstbench(_ arguments: [String], tool: URL? = nil, environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
    let (process, output) = try startEstbench(arguments, tool: tool, environment: environment)
    let (o, e) = try output.waitForEnd(timeout: 180)
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: o, as: UTF8.self), e)
}

/// Starts the built `estbench` (or `tool`) with `arguments` and no standard input, its output piped;
/// it is terminated if still running after `deadlineSeconds`.
func startEstbench(_ arguments: [String], tool: URL? = nil, environment: [String: String] = [:],
                   deadlineSeconds: Double = 120) throws -> (process: Process, output: ProcessOutput) {
    let process = Process()
    process.executableURL = tool ?? estbenchBinary
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let output = ProcessOutput(process)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    terminateAfterDeadline(process, seconds: deadlineSeconds)
    return (process, output)
}

/// The executable and arguments that run `estbench arguments…` under a shell resource limit
/// (`ulimit -n 64`: descriptors, soft and hard; `ulimit -f 1`: file size), exec'd so the process
/// signalled and measured is estbench itself, not the shell.
func underLimit(_ limit: String, _ arguments: [String]) -> (tool: URL, arguments: [String]) {
    (URL(fileURLWithPath: "/bin/sh"), ["-c", "ulimit \(limit) && exec \"$0\" \"$@\"", estbenchBinary.path] + arguments)
}

/// Tests never wait forever on a child: after `seconds` it is terminated (and the test fails on its output).
func terminateAfterDeadline(_ process: Process, seconds: Double = 120) {
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
        if process.isRunning { process.terminate() }
    }
}

/// The completed operations a piped `estbench run` progress line reports
/// ("progress: 5.00 s  123 ops  24 ops/s  0 errors  p99 …"), nil for any other line.
func progressOperations(_ line: Substring) -> Int? {
    guard line.hasPrefix("progress: ") else { return nil }
    let words = line.split(separator: " ")
    guard let ops = words.firstIndex(of: "ops"), ops > words.startIndex else { return nil }
    return Int(words[ops - 1])
}
