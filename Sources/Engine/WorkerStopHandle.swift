import EventLoop
import Synchronization

/// How a worker is asked to stop, set from any thread: draining (finish what is in flight, within
/// the drain deadline) or aborting (drop it now).
final class StopSignal: Sendable {
    private let mode = Atomic<Int>(0)

    func request(abort: Bool) { mode.store(abort ? 2 : 1, ordering: .releasing) }
    var isAbort: Bool { mode.load(ordering: .acquiring) == 2 }
}

/// What the coordinator holds to stop one worker from a signal-handling thread: the mode, then
/// the worker's `Wakeup` (libuv's one thread-safe call).
struct WorkerStopHandle: @unchecked Sendable {
    let signal: StopSignal
    let wakeup: Wakeup?

    func stop(abort: Bool) {
        signal.request(abort: abort)
        _ = wakeup?.signal()
    }
}
