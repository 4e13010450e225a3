import EST
import Metrics
import PKI

/// What one worker hands back after its thread joined: its measurements, what its handshakes
/// negotiated, the deviations it accepted, and its own accounts (CPU, what a stop cut off).
struct WorkerResult: Sendable {
    let metrics: WorkerMetrics
    let tls: TLSFacts
    /// The thread's CPU time while running, ns.
    let cpuNs: UInt64
    let findings: [String: InteropFinding]
    /// Monotonic ns of the last measured operation (0: none).
    let lastRecordNs: UInt64
    /// Operations dropped unfinished by a stop, per operation.
    let cutOff: [ESTOperation: Int]
    /// Failures on estbench's side, with the first one's text.
    let clientFailures: Int
    let firstClientFailure: String?
    /// Serial numbers this worker saw issued (duplicates across workers are found at the merge).
    let serials: IssuedSerials
    /// Open model: arrivals started in the measured window.
    var measuredArrivals = 0
    /// Open model: measured arrivals that waited for a busy device, and those dropped on a full queue.
    var lateArrivals = 0
    var droppedArrivals = 0
    /// Several targets: this worker's measured operations per target.
    var targetTallies: [TargetTally] = []
    /// When the run keeps its fleet: this worker's devices as they ended, and the CA certificates it learned.
    var fleet: [FleetDevice] = []
    var caCertificates: [[UInt8]] = []
}
