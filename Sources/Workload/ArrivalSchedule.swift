import Foundation

/// The open model's global schedule: the intended start time (ns from run start) of arrival k,
/// found by inverting the integrated rate Λ(t) = k — constant k/rate, linear ramps by the
/// quadratic, steps piecewise, a burst all at t0. Pure arithmetic: no clock is read here.
///
/// After a ramp and steps, the last rate holds until the run stops (`rate`, when given, is that
/// hold; it follows the ramp and steps).
public struct ArrivalSchedule: Sendable, Equatable {
    /// A stretch of linearly changing (or constant) rate.
    struct Segment: Sendable, Equatable {
        var startSeconds: Double
        /// `.infinity` for the final hold.
        var seconds: Double
        var fromRate: Double
        var toRate: Double
        /// Λ at the segment start (may be fractional).
        var arrivalsBefore: Double

        var arrivals: Double { seconds.isInfinite ? (fromRate > 0 ? .infinity : 0) : (fromRate + toRate) / 2 * seconds }
    }

    let segments: [Segment]
    /// Arrivals at t0 for a burst (nil otherwise).
    let burst: Int?

    /// Number of arrivals the schedule ever makes; nil when it runs until the run stops.
    public let totalArrivals: Int?

    public init(_ load: OpenLoad) {
        switch load {
        case .burst(let devices):
            segments = []
            burst = devices
            totalArrivals = devices
        case .rate(let ramp, let steps, let hold):
            var segments: [Segment] = []
            var clock = 0.0
            var before = 0.0
            func add(_ seconds: Double, _ from: Double, _ to: Double) {
                let segment = Segment(startSeconds: clock, seconds: seconds, fromRate: from, toRate: to, arrivalsBefore: before)
                segments.append(segment)
                clock += seconds
                before += segment.arrivals
            }
            if let ramp { add(ramp.seconds, ramp.from, ramp.to) }
            for step in steps { add(step.seconds, step.rate, step.rate) }
            let final = hold ?? segments.last?.toRate ?? 0
            add(.infinity, final, final)
            self.segments = segments
            burst = nil
            totalArrivals = final > 0 ? nil : Int(segments.last!.arrivalsBefore.rounded(.up))
        }
    }

    /// Constant `rate` arrivals/s from t0.
    public init(constantRate rate: Double) {
        self.init(.rate(ramp: nil, steps: [], hold: rate))
    }

    /// Intended start of arrival `k` (0-based) in ns from the run's start; nil past the end.
    public func intendedStartNs(arrival k: Int) -> UInt64? {
        guard let seconds = intendedStartSeconds(arrival: k) else { return nil }
        return UInt64((seconds * 1e9).rounded())
    }

    /// Intended start of arrival `k` in seconds from the run's start; nil past the end.
    public func intendedStartSeconds(arrival k: Int) -> Double? {
        guard k >= 0 else { return nil }
        if let burst { return k < burst ? 0 : nil }
        return intendedStartSeconds(operational: Double(k))
    }

    /// The time t (seconds from the run's start) at which Λ(t) = `target`, for a fractional target
    /// (Poisson arrivals); nil past the end. A burst has no rate to invert: nil.
    public func intendedStartSeconds(operational target: Double) -> Double? {
        guard target >= 0, burst == nil else { return nil }
        for segment in segments where target < segment.arrivalsBefore + segment.arrivals {
            let x = target - segment.arrivalsBefore
            guard x > 0 else { return segment.startSeconds }
            // Λ(t) = a t + s t²/2 = x  =>  t = 2x / (a + sqrt(a² + 2 s x)): stable for s = 0 and s < 0.
            let a = segment.fromRate
            let s = segment.seconds.isInfinite ? 0 : (segment.toRate - segment.fromRate) / segment.seconds
            let t = 2 * x / (a + (max(0, a * a + 2 * s * x)).squareRoot())
            return segment.startSeconds + min(t, segment.seconds)
        }
        return nil
    }

    /// How many arrivals are due at or before `ns` (for schedule-lag reporting).
    public func arrivalsDue(atNs ns: UInt64) -> Int {
        if let burst { return burst }
        let t = Double(ns) / 1e9
        for segment in segments.reversed() where t >= segment.startSeconds {
            let dt = min(t - segment.startSeconds, segment.seconds)
            let s = segment.seconds.isInfinite ? 0 : (segment.toRate - segment.fromRate) / segment.seconds
            let lambda = segment.arrivalsBefore + segment.fromRate * dt + s * dt * dt / 2
            let due = Int(lambda.rounded(.down)) + 1
            return totalArrivals.map { min($0, due) } ?? due
        }
        return 0
    }

    /// The schedule split across `workers` workers, arrival k going to worker k mod workers.
    public func split(workers: Int) -> [WorkerArrivals] {
        (0..<max(1, workers)).map { WorkerArrivals(schedule: self, worker: $0, workerCount: max(1, workers)) }
    }
}
