/// Caps new connections per second, as a token bucket in GCRA form: one theoretical arrival
/// time advanced by a fixed interval. With `burst` 1 any 1 s window admits at most `perSecond`
/// (rounded down); a larger burst adds `burst - 1`. Callers pass the time in; no clock is read.
public struct ConnectionRateLimiter: Sendable, Equatable {
    /// The answer to a request for a new connection.
    public enum Admission: Sendable, Equatable {
        case admitted
        /// Not yet; ask again at (or schedule the connect for) this time.
        case notBefore(UInt64)
    }

    /// Spacing between admissions, rounded up so the rate is never exceeded.
    public let intervalNs: UInt64
    public let burst: Int
    private var theoreticalNs: UInt64 = 0

    public init(perSecond rate: Double, burst: Int = 1) {
        precondition(rate > 0 && burst >= 1, "rate must be > 0 and burst >= 1")
        intervalNs = max(1, UInt64((1e9 / rate).rounded(.up)))
        self.burst = burst
    }

    private var toleranceNs: UInt64 { UInt64(burst - 1) * intervalNs }

    /// The earliest time at or after `nowNs` a connection would be admitted.
    public func nextAdmissionNs(nowNs: UInt64) -> UInt64 {
        let earliest = theoreticalNs > toleranceNs ? theoreticalNs - toleranceNs : 0
        return max(nowNs, earliest)
    }

    /// Admits a new connection at `nowNs` (taking a token) or says when one will be available.
    public mutating func admit(nowNs: UInt64) -> Admission {
        let next = nextAdmissionNs(nowNs: nowNs)
        guard next == nowNs else { return .notBefore(next) }
        theoreticalNs = max(theoreticalNs, nowNs) + intervalNs
        return .admitted
    }
}
