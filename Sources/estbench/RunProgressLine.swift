import Engine
import EventLoop
import Glibc
import PKI
import Synchronization

/// The live progress of a run: on a terminal one line redrawn every second, when piped a plain line
/// every 5 seconds — each with the time since measurement started, operations so far, the last
/// interval's rate and errors, and the p99 of that interval's responses (a coarse interval
/// histogram, reset each interval: not the run so far). Runs on its own thread from the moment the
/// run's clock starts (device generation has its own progress bar before that).
final class RunProgressLine: Sendable {
    private let started = Atomic<Bool>(false)
    private let done = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    private let intervalTicks: Int

    /// A line every `interval` seconds (whole seconds, at least 1).
    init(interval: Int) {
        intervalTicks = max(1, interval) * 10
    }

    static func intervalSeconds(terminal: Bool) -> Int { terminal ? 1 : 5 }

    /// Starts drawing `progress` (once): the run's clock starts now, measurement after `warmupNs`.
    func start(progress: RunProgress, warmupNs: UInt64) {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let tty = Console.stderrIsTerminal
        let ticks = intervalTicks
        WorkerThreads.detach { [self] in
            let start = MonotonicTime.nowNs() + warmupNs
            var last = progress.completed
            var lastErrors = progress.errors
            var lastNs = start
            var tick = 0
            _ = progress.takeIntervalP99Ns()
            while !done.load(ordering: .acquiring) {
                usleep(100_000)
                tick += 1
                guard tick % ticks == 0 else { continue }
                let now = MonotonicTime.nowNs()
                if now < start {
                    let line = "warming up: measurement starts in \(Format.seconds(start - now))"
                    if tty { Console.write(2, "\r" + line + "\u{1B}[K") } else { Console.error("progress: " + line) }
                    _ = progress.takeIntervalP99Ns()
                    lastNs = start
                    continue
                }
                let completed = progress.completed
                let errors = progress.errors
                let rate = Double(completed - last) * 1e9 / Double(max(1, now - lastNs))
                let line = RunProgressLine.text(elapsedNs: now - start, completed: completed, rate: rate,
                                                errors: errors - lastErrors, p99Ns: progress.takeIntervalP99Ns())
                last = completed
                lastErrors = errors
                lastNs = now
                if tty { Console.write(2, "\r" + line + "\u{1B}[K") } else { Console.error("progress: " + line) }
            }
            if tty { Console.write(2, "\r\u{1B}[K") }
            stopped.store(true, ordering: .releasing)
        }
    }

    /// "12.00 s  3456 ops  288 ops/s  0 errors  p99 12.3 ms" (rate, errors and p99 of the last interval).
    static func text(elapsedNs: UInt64, completed: Int, rate: Double, errors: Int, p99Ns: UInt64?) -> String {
        let p99 = p99Ns.map { "p99 ≤ " + Format.fixed(Double($0) / 1e6, 1) + " ms" } ?? "p99 -"
        return "\(Format.seconds(elapsedNs))  \(completed) ops  \(Format.fixed(rate, 0)) ops/s  \(errors) errors  \(p99) (last interval)"
    }

    /// Clears the line and waits for its thread (at once when it never started).
    func finish() {
        done.store(true, ordering: .releasing)
        guard started.load(ordering: .acquiring) else { return }
        while !stopped.load(ordering: .acquiring) { usleep(10_000) }
    }
}
