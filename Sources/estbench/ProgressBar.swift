import EventLoop
import Foundation
import PKI
import Synchronization

/// A one-line progress bar on standard error, redrawn ten times a second from its own thread while
/// the work runs on others; only used when standard error is a terminal.
final class ProgressBar: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let done = Atomic<Bool>(false)

    init(total: Int, label: String, counter: ProgressCounter) {
        let start = MonotonicTime.nowNs()
        WorkerThreads.detach { [self] in
            while !stopped.load(ordering: .acquiring) {
                ProgressBar.draw(label: label, done: counter.value, total: total, start: start)
                usleep(100_000)
            }
            ProgressBar.draw(label: label, done: counter.value, total: total, start: start)
            Console.write(2, "\n")
            done.store(true, ordering: .releasing)
        }
    }

    /// Draws the last state and ends the line.
    func finish() {
        stopped.store(true, ordering: .releasing)
        while !done.load(ordering: .acquiring) { usleep(1000) }
    }

    private static func draw(label: String, done: Int, total: Int, start: UInt64) {
        let width = 30
        let filled = total == 0 ? width : min(width, done * width / total)
        let elapsed = MonotonicTime.nowNs() - start
        let rate = elapsed == 0 ? 0 : Double(done) * 1e9 / Double(elapsed)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        Console.write(2, "\r\(label) [\(bar)] \(done)/\(total)  \(Format.rate(rate))/s  \(Format.seconds(elapsed))\u{1B}[K")
    }
}
