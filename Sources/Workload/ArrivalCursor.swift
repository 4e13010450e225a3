import DER
import Foundation

/// One worker's walk through its share of the open-model schedule, one arrival at a time: uniform
/// arrivals are the schedule's own (k ≡ w mod W); Poisson arrivals are an independent Poisson process
/// per worker at 1/W of the rate (their superposition is Poisson at the full rate), drawn as
/// exponential gaps in the schedule's operational time Λ and mapped back through Λ⁻¹, so ramps and
/// steps keep their shape. Pure: seeded, no clock.
public struct ArrivalCursor: Sendable {
    public let arrivals: WorkerArrivals
    public let process: ArrivalProcess
    private var draws: SplitMix64
    /// Arrivals taken so far (the local index of the current one).
    public private(set) var taken = 0
    /// Poisson: Λ of the current arrival.
    private var operational = 0.0
    /// Intended start (ns from the run's start) of the current arrival; nil once the schedule is exhausted.
    public private(set) var currentNs: UInt64?

    public init(arrivals: WorkerArrivals, process: ArrivalProcess, seed: UInt64) {
        self.arrivals = arrivals
        self.process = process
        draws = SplitMix64(seed: SplitMix64.mix(seed ^ SplitMix64.mix(0xA771_7A15 &+ UInt64(arrivals.worker))))
        currentNs = nil
        currentNs = first()
    }

    private mutating func first() -> UInt64? {
        switch process {
        case .uniform: return arrivals.intendedStartNs(local: 0)
        case .poisson:
            operational = gap()
            return startNs(operational)
        }
    }

    /// Moves to the next arrival.
    public mutating func advance() {
        taken += 1
        switch process {
        case .uniform: currentNs = arrivals.intendedStartNs(local: taken)
        case .poisson:
            guard currentNs != nil else { return }
            operational += gap()
            currentNs = startNs(operational)
        }
    }

    /// An exponential gap in operational time with mean W (this worker's share of the arrivals).
    private mutating func gap() -> Double {
        let u = draws.nextUnit()
        return -log(1 - u) * Double(arrivals.workerCount)
    }

    private func startNs(_ x: Double) -> UInt64? {
        arrivals.schedule.intendedStartSeconds(operational: x).map { UInt64(($0 * 1e9).rounded()) }
    }
}
