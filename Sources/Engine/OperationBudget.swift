import Synchronization

/// The run-wide count of operations started, shared by all workers: stops scheduling at
/// `limit` (nil: no limit). The only state workers share while running.
final class OperationBudget: Sendable {
    private let started = Atomic<Int>(0)
    let limit: Int?

    init(limit: Int?) { self.limit = limit }

    /// Takes one operation from the budget; false when it is spent.
    func take() -> Bool {
        guard let limit else { return true }
        return started.add(1, ordering: .relaxed).newValue <= limit
    }
}
