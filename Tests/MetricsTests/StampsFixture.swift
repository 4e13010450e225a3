import Metrics

/// Builds phase stamps for tests from microsecond offsets, so expected histogram values are exact.
enum StampsFixture {
    static let runStartNs: UInt64 = 1_000_000_000_000

    /// A keep-alive operation (no connect/TLS) that ends `latencyUs` after its actual start.
    static func reused(atUs startUs: UInt64, latencyUs: UInt64, lagUs: UInt64 = 0) -> OperationPhaseStamps {
        let scheduledNs = runStartNs + startUs * 1_000
        let startNs = scheduledNs + lagUs * 1_000
        let completeNs = startNs + latencyUs * 1_000
        return OperationPhaseStamps(
            scheduledNs: scheduledNs, startNs: startNs,
            writtenNs: startNs + 1_000, firstByteNs: completeNs - min(latencyUs, 2) * 500, completeNs: completeNs
        )
    }

    /// A new-connection operation: connect 100 us, TLS 300 us, write 10 us, first byte 500 us, complete 50 us.
    static func fresh(atUs startUs: UInt64) -> OperationPhaseStamps {
        let startNs = runStartNs + startUs * 1_000
        return OperationPhaseStamps(
            scheduledNs: startNs, startNs: startNs,
            connectStartNs: startNs, connectedNs: startNs + 100_000, tlsDoneNs: startNs + 400_000,
            writtenNs: startNs + 410_000, firstByteNs: startNs + 910_000, completeNs: startNs + 960_000
        )
    }
}
