/// When a run stops early because going on would measure nothing useful: the profile's `abort`
/// section. The default rule (on unless `abort: off`) stops a run whose every operation in a
/// 5-second window failed to connect or to complete TLS; an optional error-rate rule stops a run
/// when that fraction of operations failed over its window.
public struct AbortPolicy: Sendable, Equatable, Encodable {
    /// Which rule stopped a run.
    public enum Rule: String, Sendable, Codable {
        /// Every operation of the window failed on connect or TLS: the target could not be measured.
        case targetUnusable
        /// The profile's error-rate rule: the server was measured and failed.
        case errorRate
    }

    /// Stop when at least `fraction` of the operations ending in `windowSeconds` failed.
    public struct ErrorRate: Sendable, Equatable, Encodable {
        public var fraction: Double
        public var windowSeconds: Int

        public init(fraction: Double, windowSeconds: Int = AbortPolicy.defaultWindowSeconds) {
            self.fraction = fraction
            self.windowSeconds = windowSeconds
        }
    }

    /// The default rule: every operation of a window failed on connect or TLS.
    public var targetUnusable: Bool
    public var errorRate: ErrorRate?

    public static let defaultWindowSeconds = 5
    /// The window of the default rule.
    public static let targetUnusableWindowSeconds = 5
    /// Longest window accepted (the live counts keep this many seconds).
    public static let maxWindowSeconds = 300

    public init(targetUnusable: Bool = true, errorRate: ErrorRate? = nil) {
        self.targetUnusable = targetUnusable
        self.errorRate = errorRate
    }

    /// The rules in force when the profile says nothing.
    public static let standard = AbortPolicy()
    /// `abort: off`: no rule at all (deliberate fault runs).
    public static let off = AbortPolicy(targetUnusable: false, errorRate: nil)

    /// Seconds of live counts the rules need.
    public var longestWindowSeconds: Int {
        max(targetUnusable ? Self.targetUnusableWindowSeconds : 0, errorRate?.windowSeconds ?? 0)
    }
}
