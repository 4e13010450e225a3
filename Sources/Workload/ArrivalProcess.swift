/// How the open model's arrivals are spaced around the planned rate: evenly (`uniform`, wrk2's
/// constant throughput) or as a Poisson process (`poisson`: independent devices, exponential gaps
/// with the rate's mean, seeded) — the same rate shape either way.
public enum ArrivalProcess: String, Sendable, Equatable, CaseIterable, Encodable {
    case uniform, poisson

    public static var allowedNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
