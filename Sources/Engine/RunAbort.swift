import Workload

/// Why a run was stopped early by an abort rule, in one line for the console and result.json.
public struct RunAbort: Sendable, Equatable {
    public typealias Rule = AbortPolicy.Rule

    public let rule: Rule
    public let reason: String

    public init(rule: Rule, reason: String) {
        self.rule = rule
        self.reason = reason
    }

    /// Whether `policy` fires now, given the cumulative counts sampled once a second since the
    /// clock started (`samples.last` is now, one sample per whole second before it). A window
    /// is judged only once the run has lasted that long, and only when an operation ended in it.
    /// The target-unusable rule is judged first: it says more.
    public static func check(_ policy: AbortPolicy, samples: [EndedCounts]) -> RunAbort? {
        guard let now = samples.last else { return nil }
        func window(_ seconds: Int) -> EndedCounts? {
            guard seconds > 0, samples.count > seconds else { return nil }
            return now.since(samples[samples.count - 1 - seconds])
        }
        if policy.targetUnusable, let w = window(AbortPolicy.targetUnusableWindowSeconds), w.ended > 0, w.unreachable == w.ended {
            let ranked = w.unreachableReasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            var causes = ranked.prefix(2).map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            if ranked.count > 2 { causes += ", \(ranked.count - 2) more reason(s)" }
            if causes.isEmpty { causes = "connect/TLS failures ×\(w.unreachable)" }
            return RunAbort(rule: .targetUnusable, reason: "target unusable: \(causes) in \(AbortPolicy.targetUnusableWindowSeconds) s")
        }
        if let rule = policy.errorRate, let w = window(rule.windowSeconds), w.ended > 0,
           Double(w.failed) >= rule.fraction * Double(w.ended) {
            let percent = Double(w.failed) * 100 / Double(w.ended)
            return RunAbort(rule: .errorRate, reason: "error rate \(format(percent))% over the last \(rule.windowSeconds) s "
                            + "(\(w.failed) of \(w.ended) operations failed; abort.errorRate \(format(rule.fraction * 100))%)")
        }
        return nil
    }

    static func format(_ percent: Double) -> String {
        let tenths = (percent * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(tenths / 10)) : String(tenths / 10)
    }
}
