import EST
import EventLoop
import HTTP
import PKI
import TLS
import Workload

/// What every worker of one run shares, read-only: where to connect, the TLS policy, the request
/// templates per operation, the lifecycle, the stop condition, timeouts.
struct EngineSettings: @unchecked Sendable {
    /// One step of a device's lifecycle, expanded (repeats unrolled).
    struct Step {
        let operation: ESTOperation
        let thinkTimeMs: UInt64
    }

    let address: SocketAddress
    let serverName: String
    let tlsContext: TLSContext
    let templates: ESTOperationTable<HTTPRequestTemplate>
    let steps: [Step]
    /// A weighted mix instead of ordered steps: each operation drawn (seeded per device).
    let mix: Lifecycle?
    let mixThinkTimeMs: UInt64
    let seed: UInt64
    /// Channel binding (RFC 7030 3.5): enrollment CSRs are built and signed after the handshake
    /// with tls-unique / tls-exporter in challengePassword, from this template.
    let channelBinding: Bool
    /// 202 Accepted: follow Retry-After up to this many times, waiting at most this long each
    /// (nil: count the 202 and end the device's lifecycle).
    let follow202: (maxRetries: Int, maxWaitMs: UInt64)?
    /// Operations completing before this time run but are not measured (warm-up).
    let warmupEndNs: UInt64
    /// The bootstrap (manufacturer) certificate and key presented until a device has its own.
    let bootstrap: (chain: [[UInt8]], key: PKI.PrivateKey)?
    /// Cap on new connections per second for each worker (the profile's cap split across workers).
    let connectionsPerSecondPerWorker: Double?
    let csrTemplate: PKI.CSRTemplate
    let keepAlive: Bool
    /// Operations one connection carries before it is replaced (nil: no limit).
    let operationsPerConnection: Int?
    /// Offer the device's last session on its next connection.
    let resumes: Bool
    let timeoutMs: ESTOperationTable<UInt64>
    let deadlineNs: UInt64?
    /// Open model: each worker's share of the arrival schedule (one arrival = one device running its
    /// lifecycle once, timed from the intended start). nil: closed model.
    let arrivals: [WorkerArrivals]?
    /// How long operations on the wire may finish after a stop (the duration deadline, a first
    /// SIGINT, a spent operation budget) before they are cut off.
    var drainLimitNs: UInt64 = EngineSettings.defaultDrainLimitNs
    /// Open model: how arrivals are spaced (uniform or a seeded Poisson process), and how many may
    /// wait for a busy device on each worker before one is dropped.
    var arrivalProcess: ArrivalProcess = .uniform
    var arrivalQueueLimitPerWorker: Int = Profile.defaultArrivalQueueLimit
    /// Every server devices are spread over, device i on target i mod n (the first is `address`,
    /// `serverName`, `templates`); set from the run target and its alternates.
    var targets: [EngineTarget] = []
    /// `target.resolveEverySeconds` in ns (nil: names resolved once, before the run).
    var resolveEveryNs: UInt64?
    /// Local addresses to bind before connecting, device i on address i mod n (empty: the kernel picks).
    var sourceAddresses: [SocketAddress] = []
    /// Which issued certificates get their signature verified against cacerts.
    var signatureChecks: SignatureChecks = .sample

    static let defaultDrainLimitNs = UInt64(StopCondition.defaultDrainSeconds * 1e9)
}
