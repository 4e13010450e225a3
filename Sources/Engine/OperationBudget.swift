import EventLoop
import Synchronization

/// The run-wide count of measured operations (`stop.operations`), shared by all workers: an
/// operation takes a unit when it starts and gives it back if it turns out to be warm-up (completed
/// before the warm-up ended, so not measured). nil limit: no limit. The only state workers share
/// while running.
///
/// Giving back is exact where taking only after the warm-up is not: an operation started during
/// the warm-up but completing after it is measured, and must count.
final class OperationBudget: Sendable {
    /// Units held: operations started and not given back.
    private let held = Atomic<Int>(0)
    /// When a start was first refused (the budget ran out), ns `uv_hrtime`; 0: never.
    private let ranOutAt = Atomic<UInt64>(0)
    let limit: Int?

    init(limit: Int?) { self.limit = limit }

    /// Takes one operation from the budget; false when it is spent.
    func take() -> Bool {
        guard let limit else { return true }
        var current = held.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = held.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        _ = ranOutAt.compareExchange(expected: 0, desired: MonotonicTime.nowNs(), ordering: .relaxed)
        return false
    }

    /// A warm-up operation ended unmeasured: its unit goes back to the budget.
    func giveBack() {
        guard limit != nil else { return }
        held.subtract(1, ordering: .relaxed)
    }

    /// When a start was first refused (ns, `uv_hrtime`): the operation count stopped the run; nil if not.
    var ranOutNs: UInt64? {
        let ns = ranOutAt.load(ordering: .relaxed)
        return ns == 0 ? nil : ns
    }
}
