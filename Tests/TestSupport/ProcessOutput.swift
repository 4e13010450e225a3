import Foundation

/// A child process's standard output and standard error, read on two threads as they arrive, so a
/// test can wait (bounded) for the line that says the child is ready instead of sleeping, and a
/// failure can quote everything the child said. Attach before `run()`.
public final class ProcessOutput: @unchecked Sendable {
    public enum Stream: Sendable { case stdout, stderr }

    private let process: Process
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var data: [Stream: Data] = [.stdout: Data(), .stderr: Data()]
    private var open: Set<Stream> = [.stdout, .stderr]

    public init(_ process: Process) {
        self.process = process
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        read(out.fileHandleForReading, into: .stdout)
        read(err.fileHandleForReading, into: .stderr)
    }

    private func read(_ handle: FileHandle, into stream: Stream) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                condition.lock()
                if chunk.isEmpty { open.remove(stream) } else { data[stream]!.append(chunk) }
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { return }
            }
        }
    }

    /// Everything the stream said so far.
    public func text(_ stream: Stream = .stdout) -> String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: data[stream]!, as: UTF8.self)
    }

    public var stdout: String { text(.stdout) }
    public var stderr: String { text(.stderr) }
    public var stdoutData: Data {
        condition.lock()
        defer { condition.unlock() }
        return data[.stdout]!
    }

    /// The first whole line of `stream` that satisfies `matches`, waiting for it at most `timeout`
    /// seconds. Throws `ProcessOutputError` (quoting both streams) when the time is up or the
    /// stream ended without such a line.
    @discardableResult
    public func waitForLine(on stream: Stream = .stdout, _ what: String, timeout: TimeInterval = 60,
                            matching matches: (Substring) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        var searched = 0
        while true {
            let bytes = data[stream]!
            let ended = !open.contains(stream)
            // Whole lines only, unless the stream ended (then its last line may lack a newline).
            let end = ended ? bytes.endIndex : (bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
            if end > searched {
                let lines = String(decoding: bytes[searched..<end], as: UTF8.self).split(separator: "\n")
                if let line = lines.first(where: matches) { return String(line) }
                searched = end
            }
            if ended { return try fail("\(stream) ended before a \(what)") }
            if !condition.wait(until: deadline) { return try fail("no \(what) within \(Int(timeout)) s") }
        }
    }

    /// `waitForLine` for a line containing `text`.
    @discardableResult
    public func waitForLine(on stream: Stream = .stdout, containing text: String, timeout: TimeInterval = 60) throws -> String {
        try waitForLine(on: stream, "line containing \"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    /// Waits (at most `timeout` seconds) until both streams are closed — the child exited — and
    /// returns what they said.
    public func waitForEnd(timeout: TimeInterval = 120) throws -> (stdout: Data, stderr: String) {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        while !open.isEmpty {
            if !condition.wait(until: deadline), !open.isEmpty {
                condition.unlock()
                return try fail("the output did not end within \(Int(timeout)) s")
            }
        }
        let result = (data[.stdout]!, String(decoding: data[.stderr]!, as: UTF8.self))
        condition.unlock()
        return result
    }

    /// Throws the failure with everything the child said; the caller holds `condition`.
    private func fail<T>(_ reason: String) throws -> T {
        let status = process.isRunning ? "still running" : "exit status \(process.terminationStatus)"
        throw ProcessOutputError(
            reason: reason, command: ([process.executableURL?.lastPathComponent ?? "?"] + (process.arguments ?? [])).joined(separator: " "),
            status: status, stdout: String(decoding: data[.stdout]!, as: UTF8.self), stderr: String(decoding: data[.stderr]!, as: UTF8.self))
    }
}

/// A child process did not say what the test waited for; the description quotes all it said.
public struct ProcessOutputError: Error, CustomStringConvertible {
    public let reason: String
    public let command: String
    public let status: String
    public let stdout: String
    public let stderr: String

    public var description: String {
        "\(command): \(reason) (\(status))\n--- stdout:\n\(stdout)\n--- stderr:\n\(stderr)"
    }
}
