/// Operations ended since the run's clock started (warm-up included), cumulative: what the abort
/// monitor samples from `RunProgress` once a second. The difference of two samples is a window.
public struct EndedCounts: Sendable, Equatable {
    /// Every operation that ended, failed ones too.
    public var ended = 0
    /// Operations whose outcome is an error.
    public var failed = 0
    /// Failed on connect or TLS (outcome connect_error or tls_error:*): the target was not reached.
    public var unreachable = 0
    /// The unreachable failures by reason ("ECONNREFUSED", "TLS: unable to get local issuer certificate").
    public var unreachableReasons: [String: Int] = [:]

    public init(ended: Int = 0, failed: Int = 0, unreachable: Int = 0, unreachableReasons: [String: Int] = [:]) {
        self.ended = ended
        self.failed = failed
        self.unreachable = unreachable
        self.unreachableReasons = unreachableReasons
    }

    /// What ended between `earlier` and `self`.
    public func since(_ earlier: EndedCounts) -> EndedCounts {
        var reasons: [String: Int] = [:]
        for (key, count) in unreachableReasons {
            let delta = count - (earlier.unreachableReasons[key] ?? 0)
            if delta > 0 { reasons[key] = delta }
        }
        return EndedCounts(ended: ended - earlier.ended, failed: failed - earlier.failed,
                           unreachable: unreachable - earlier.unreachable, unreachableReasons: reasons)
    }
}
