import Engine
import EventLoop
import Glibc
import PKI
import Synchronization

/// The live progress of a run: on a terminal one line redrawn every second (elapsed, ops/s over the
/// last second, errors); when piped, a plain line every 5 seconds. Runs on its own thread from the
/// moment the run's clock starts (device generation has its own progress bar before that).
final class RunProgressLine: Sendable {
    private let started = Atomic<Bool>(false)
    private let done = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)

    init() {}

    /// Starts drawing `progress` (once).
    func start(progress: RunProgress) {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let tty = Console.stderrIsTerminal
        WorkerThreads.detach { [self] in
            let start = MonotonicTime.nowNs()
            var last = 0
            var lastNs = start
            var tick = 0
            while !done.load(ordering: .acquiring) {
                usleep(100_000)
                tick += 1
                guard tick % (tty ? 10 : 50) == 0 else { continue }
                let now = MonotonicTime.nowNs()
                let completed = progress.completed
                let rate = Double(completed - last) * 1e9 / Double(max(1, now - lastNs))
                last = completed
                lastNs = now
                let p99 = progress.p99Ns.map { "p99 ≤ " + Format.fixed(Double($0) / 1e6, 1) + " ms" } ?? "p99 -"
                let line = "\(Format.seconds(now - start))  \(completed) ops  \(Format.fixed(rate, 0)) ops/s  \(progress.errors) errors  \(p99)"
                if tty { Console.write(2, "\r" + line + "\u{1B}[K") } else { Console.error("progress: " + line) }
            }
            if tty { Console.write(2, "\r\u{1B}[K") }
            stopped.store(true, ordering: .releasing)
        }
    }

    /// Clears the line and waits for its thread (at once when it never started).
    func finish() {
        done.store(true, ordering: .releasing)
        guard started.load(ordering: .acquiring) else { return }
        while !stopped.load(ordering: .acquiring) { usleep(10_000) }
    }
}
