import Synchronization

/// Operations completed and failed so far, bumped by workers (relaxed atomics: one add each) and
/// read by whoever prints the live progress line.
public final class RunProgress: Sendable {
    private let completedCount = Atomic<Int>(0)
    private let errorCount = Atomic<Int>(0)

    public init() {}

    func completed(error: Bool) {
        completedCount.add(1, ordering: .relaxed)
        if error { errorCount.add(1, ordering: .relaxed) }
    }

    public var completed: Int { completedCount.load(ordering: .relaxed) }
    public var errors: Int { errorCount.load(ordering: .relaxed) }
}
