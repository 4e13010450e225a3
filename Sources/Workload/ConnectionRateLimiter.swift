/// Caps new connections per second, as a token bucket in GCRA form: one theoretical arrival
/// time advanced by a fixed interval. With `burst` 1 any 1 s window admits at most `perSecond`
/// (rounded down); a larger burst adds `burst - 1`. Callers pass the time in; no clock is read.
///
/// A caller over the cap reserves its turn: it is told once when it may connect, and that
/// admission is its own. Callers waiting together queue in order, each on one timer — asking
/// again at "the next free instant" would wake every waiting caller at each admission, so that
/// 12,500 devices waiting for a 125/s cap cost tens of millions of wake-ups.
public struct ConnectionRateLimiter: Sendable, Equatable {
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

    /// Takes the next admission and returns when it is: `nowNs` when a connection may open now,
    /// else the later instant at which this caller may open it (without asking again). Each
    /// call takes one admission, whether or not the caller uses it.
    public mutating func reserve(nowNs: UInt64) -> UInt64 {
        let earliest = theoreticalNs > toleranceNs ? theoreticalNs - toleranceNs : 0
        let admittedNs = max(nowNs, earliest)
        theoreticalNs = max(theoreticalNs, admittedNs) + intervalNs
        return admittedNs
    }
}
