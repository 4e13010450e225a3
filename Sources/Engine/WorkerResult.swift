import Metrics

/// What one worker hands back after join: its measurements, what its handshakes negotiated, the
/// deviations it accepted, its thread's CPU time, and when it recorded its last measured operation.
struct WorkerResult: Sendable {
    let metrics: WorkerMetrics
    let tls: TLSFacts
    let findings: [String: InteropFinding]
    let cpuNs: UInt64
    /// Monotonic ns of the last measured operation (0: none).
    let lastRecordNs: UInt64
}
