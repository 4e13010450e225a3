import Glibc
import PKI

/// SIGINT and SIGTERM taken by one waiting thread (sigwait) and blocked everywhere else, so no
/// worker thread ever sees them. Block before starting any thread: threads inherit the mask.
struct SignalWaiter: Sendable {
    private let signals: sigset_t

    /// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts from now on.
    static func blockTermination() -> SignalWaiter {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        return SignalWaiter(signals: signals)
    }

    /// Waits for the next SIGINT or SIGTERM and returns which; nil if waiting failed.
    func next() -> Int32? {
        var set = signals
        var received: Int32 = 0
        return sigwait(&set, &received) == 0 ? received : nil
    }

    /// Waits for the next SIGINT or SIGTERM; false if waiting failed.
    func wait() -> Bool { next() != nil }

    /// Waits for the next SIGINT or SIGTERM, at most `seconds`; false when the time ran out first.
    func wait(seconds: Double) -> Bool {
        var set = signals
        var timeout = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        return sigtimedwait(&set, nil, &timeout) > 0
    }

    /// On a helper thread, calls `handler` with 1, 2, 3, ... for each signal as it comes.
    func onEachSignal(_ handler: @escaping @Sendable (Int) -> Void) {
        WorkerThreads.detach {
            var count = 0
            while wait() {
                count += 1
                handler(count)
            }
        }
    }
}
