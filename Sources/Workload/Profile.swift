import Metrics

/// A workload profile after parsing and validation, defaults filled: everything a run needs to
/// know about target, devices, lifecycle, connections, load, stop and timeouts. Holds no secrets.
public struct Profile: Sendable, Equatable, Encodable {
    public var target: EndpointTarget = EndpointTarget()
    public var devices: DevicePopulation
    public var lifecycle: Lifecycle
    public var connection: ConnectionPolicy = ConnectionPolicy()
    public var load: LoadModel
    /// Cap on new TCP+TLS connections per second across all workers (token bucket); nil = none.
    public var maxNewConnectionsPerSecond: Double?
    public var warmupSeconds: Double = 0
    public var stop: StopCondition
    public var timeouts: OperationTimeouts = OperationTimeouts()
    public var onAccepted202: AcceptedPolicy = .defaultFollow
    /// Put tls-unique / tls-exporter into the CSR's challengePassword (RFC 7030 §3.5).
    public var channelBinding: Bool = false
    /// Seeds every random choice (mix draws, jitter) so runs repeat.
    public var seed: UInt64 = Profile.defaultSeed
    /// Which issued certificates get their signature verified against cacerts.
    public var signatureChecks: SignatureChecks = .sample
    /// The service-level limits the run is judged by, in profile order (empty: none).
    public var thresholds: [Threshold] = []
    /// When the run stops early (`abort`): the target-unusable rule by default.
    public var abort: AbortPolicy = .standard
    /// Open model (`load.open.arrivals`): arrivals evenly spaced or a seeded Poisson process.
    public var arrivals: ArrivalProcess = .uniform
    /// Open model (`load.open.queueLimit`): arrivals that may wait for a busy device, across the
    /// run's load threads; one more is dropped (counted and reported), never held in unbounded memory.
    public var arrivalQueueLimit: Int = Profile.defaultArrivalQueueLimit

    public static let defaultArrivalQueueLimit = 10_000
    /// Local addresses connections are bound to, device i on address i mod n (nil: the kernel picks).
    public var sourceAddresses: SourceAddresses?

    public static let defaultSeed: UInt64 = 7030

    enum CodingKeys: String, CodingKey {
        case target, devices, lifecycle, connection, load, maxNewConnectionsPerSecond, warmupSeconds, stop
        case timeouts = "timeoutsMs", onAccepted202, channelBinding, seed, thresholds, signatureChecks, abort
        case arrivals, arrivalQueueLimit, sourceAddresses
    }

    public init(devices: DevicePopulation, lifecycle: Lifecycle, load: LoadModel, stop: StopCondition) {
        self.devices = devices
        self.lifecycle = lifecycle
        self.load = load
        self.stop = stop
    }
}
