import EventLoop
import Synchronization

/// How far a stop has been asked to go, in escalation order.
enum StopLevel: Int, Comparable, Sendable {
    case none = 0
    /// Finish what is on the wire (within the drain limit), start nothing new.
    case drain = 1
    /// Drop what is on the wire now.
    case abort = 2

    static func < (a: StopLevel, b: StopLevel) -> Bool { a.rawValue < b.rawValue }
}

/// A worker's stop request, set from any thread. It only ever escalates: a late drain request
/// cannot downgrade an abort.
final class StopSignal: Sendable {
    private let raw = Atomic<Int>(StopLevel.none.rawValue)

    func request(_ level: StopLevel) { raw.max(level.rawValue, ordering: .acquiringAndReleasing) }
    var level: StopLevel { StopLevel(rawValue: raw.load(ordering: .acquiring)) ?? .abort }
}

/// What the coordinator holds to stop one worker from a signal-handling thread: the level, then
/// the worker's `Wakeup` (libuv's one thread-safe call).
struct WorkerStopHandle: @unchecked Sendable {
    let signal: StopSignal
    let wakeup: Wakeup?
    /// Where the worker leaves a copy of its figures when a checkpoint asks.
    let checkpoint: WorkerCheckpoint

    func stop(_ level: StopLevel) {
        signal.request(level)
        _ = wakeup?.signal()
    }

    /// Asks the worker for a copy of its figures; returns the request's number.
    func requestCheckpoint() -> UInt64 {
        let number = checkpoint.request()
        _ = wakeup?.signal()
        return number
    }
}
