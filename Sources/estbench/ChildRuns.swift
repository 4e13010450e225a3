import Foundation
import Glibc
import PKI
import Report
import Synchronization

/// estbench running `estbench run` as child processes, one after another: how `run --repeat` and
/// `compare --run` make their runs. A child per run gives each run what a lone run has — its own
/// built-in server, its own signal handling and exit path, a fresh heap — so run 1 cannot warm or
/// tire run 2, and BASE and HEAD start alike. The children's output goes to standard error.
/// SIGINT from a terminal reaches the children directly (same process group); SIGTERM is passed on.
/// After any signal no further run starts.
final class ChildRuns: Sendable {
    private struct State {
        var child: pid_t?
        var interrupted = false
    }

    private let state = Locked(State())

    /// Blocks SIGINT/SIGTERM in this process (threads started later inherit it) and waits for them on one thread.
    init() {
        let signals = SignalWaiter.blockTermination()
        WorkerThreads.detach { [self] in
            while let signal = signals.next() {
                let child = self.state.withLock { s -> pid_t? in
                    s.interrupted = true
                    return s.child
                }
                Console.error("estbench: interrupted — no further run starts")
                if signal == SIGTERM, let child { kill(child, SIGTERM) }
            }
        }
    }

    var interrupted: Bool { state.withLock { $0.interrupted } }

    /// This executable.
    static var executable: URL {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 { return URL(fileURLWithPath: String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)) }
        return URL(fileURLWithPath: CommandLine.arguments[0])
    }

    /// Runs `estbench arguments…` to its end; its exit status (130 when it died of a signal, or when
    /// an interruption came before it could start).
    func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.standardOutput = FileHandle.standardError
        process.standardInput = FileHandle.nullDevice
        let started = try state.withLock { s -> Bool in
            if s.interrupted { return false }
            try process.run()
            s.child = process.processIdentifier
            return true
        }
        guard started else { return RunExit.interrupted }
        process.waitUntilExit()
        state.withLock { $0.child = nil }
        if process.terminationReason == .uncaughtSignal { return RunExit.interrupted }
        return process.terminationStatus
    }

    /// How bad an exit status is, for "the worst of the runs": passed < failed < unmeasurable < bad input < interrupted.
    static func severity(_ code: Int32) -> Int {
        switch code {
        case RunExit.passed: 0
        case RunExit.failed: 1
        case RunExit.unmeasurable: 2
        case RunExit.badInput: 3
        default: 4
        }
    }

    /// Whether the runs should go on after one ended with `code`: only after a pass or a measured failure.
    static func goesOn(after code: Int32) -> Bool {
        code == RunExit.passed || code == RunExit.failed
    }
}
