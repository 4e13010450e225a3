/// The open model's arrival rate over time: an optional linear ramp, then optional steps, then
/// an optional constant rate held until stop — or a burst of N arrivals at t0 (reboot storm).
/// An arrival is one device starting its lifecycle.
public enum OpenLoad: Sendable, Equatable, Encodable {
    case rate(ramp: Ramp?, steps: [Step], hold: Double?)
    case burst(devices: Int)

    /// Rate moving linearly from `from` to `to` arrivals/s over `seconds`.
    public struct Ramp: Sendable, Equatable, Encodable {
        public var from: Double
        public var to: Double
        public var seconds: Double
        public init(from: Double, to: Double, seconds: Double) {
            self.from = from
            self.to = to
            self.seconds = seconds
        }
    }

    /// A constant rate held for `seconds`.
    public struct Step: Sendable, Equatable, Encodable {
        public var rate: Double
        public var seconds: Double
        public init(rate: Double, seconds: Double) {
            self.rate = rate
            self.seconds = seconds
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .rate(let ramp, let steps, let hold):
            try container.encodeIfPresent(ramp, forKey: .ramp)
            if !steps.isEmpty { try container.encode(steps, forKey: .steps) }
            try container.encodeIfPresent(hold, forKey: .rate)
        case .burst(let devices):
            try container.encode(["devices": devices], forKey: .burst)
        }
    }

    private enum Key: String, CodingKey { case ramp, steps, rate, burst }
}
