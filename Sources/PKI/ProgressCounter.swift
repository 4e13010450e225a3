import Synchronization

/// Work done so far, bumped by worker threads and read by whoever draws the progress bar.
public final class ProgressCounter: Sendable {
    private let done = Atomic<Int>(0)

    public init() {}

    public func add(_ n: Int) { done.add(n, ordering: .relaxed) }
    public var value: Int { done.load(ordering: .relaxed) }
}
