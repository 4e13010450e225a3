import EST
import Metrics
import Report

/// What one worker hands back after its thread joined: its measurements and its own accounts.
struct WorkerResult: Sendable {
    let metrics: WorkerMetrics
    let tls: TLSFacts
    /// The thread's CPU time while running, ns.
    let cpuNs: UInt64
    let findings: [String: InteropFinding]
    /// When the last measured operation was recorded (0: none).
    let lastRecordNs: UInt64
    /// Operations dropped unfinished by a stop, per operation.
    let cutOff: [ESTOperation: Int]
    let clientFailures: Int
    let firstClientFailure: String?
}
