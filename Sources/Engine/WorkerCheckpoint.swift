import Metrics
import PKI

/// One worker's figures so far, for a soak run's checkpoint (result.json rewritten while it runs):
/// the coordinator asks under the lock and wakes the worker; the worker copies its metrics and
/// findings on its own thread (copy-on-write values: the copy costs it nothing until it records again).
final class WorkerCheckpoint: Sendable {
    private struct Slot {
        var requested: UInt64 = 0
        var answered: UInt64 = 0
        var metrics: WorkerMetrics?
        var findings: [String: InteropFinding] = [:]
    }

    private let slot = Locked(Slot())

    /// Asks for a copy; returns the request's number.
    func request() -> UInt64 {
        slot.withLock { s in
            s.requested += 1
            return s.requested
        }
    }

    /// Worker thread: answers an open request, if any.
    func answer(metrics: @autoclosure () -> WorkerMetrics, findings: @autoclosure () -> [String: InteropFinding]) {
        let open = slot.withLock { $0.requested > $0.answered }
        guard open else { return }
        let copy = metrics()
        let found = findings()
        slot.withLock { s in
            s.answered = s.requested
            s.metrics = copy
            s.findings = found
        }
    }

    /// The copy answering request `number` (or a later one), nil while it has not come.
    func copy(for number: UInt64) -> (metrics: WorkerMetrics, findings: [String: InteropFinding])? {
        slot.withLock { s in
            guard s.answered >= number, let metrics = s.metrics else { return nil }
            return (metrics, s.findings)
        }
    }
}
