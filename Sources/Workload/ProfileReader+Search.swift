import Metrics

/// The `load.search` section (a capacity search) and the checks it needs from other sections.
extension ProfileReader {
    mutating func search(_ node: ProfileNode, at path: String) -> SearchPlan? {
        let names = ["from", "to", "stepSeconds", "warmupSeconds", "resolution", "growth"]
        guard let fields = fields(node, at: path, allowed: names) else { return nil }
        let before = issues.count
        func rate(_ name: String) -> Double? {
            let fieldPath = Self.join(path, name)
            guard let value = required(fields[name], at: fieldPath).flatMap({ number($0, at: fieldPath, positive: true) }) else { return nil }
            guard value <= SearchPlan.maxRate else {
                report(fieldPath, "\(format(value)) is more than \(format(SearchPlan.maxRate)) arrivals per second")
                return nil
            }
            return value
        }
        let from = rate("from")
        let to = rate("to")
        let step = number(fields["stepSeconds"], at: Self.join(path, "stepSeconds"), positive: true) ?? SearchPlan.defaultStepSeconds
        let warmup = number(fields["warmupSeconds"], at: Self.join(path, "warmupSeconds"), positive: false) ?? SearchPlan.defaultWarmupSeconds
        let resolution = number(fields["resolution"], at: Self.join(path, "resolution"), positive: true) ?? SearchPlan.defaultResolution
        let growth = number(fields["growth"], at: Self.join(path, "growth"), positive: true) ?? SearchPlan.defaultGrowth
        if let from, let to, to <= from {
            report(Self.join(path, "to"), "\(format(to)) is not above from (\(format(from))); a search needs a range of rates")
        }
        if step - warmup < 1 {
            report(Self.join(path, "warmupSeconds"),
                   "\(format(warmup)) leaves less than 1 s of stepSeconds (\(format(step))) measured; allowed: 0 to stepSeconds − 1")
        }
        if resolution > 1 {
            report(Self.join(path, "resolution"), "\(format(resolution)) is not a fraction; allowed: above 0 up to 1 (0.05 is 5%)")
        }
        if growth <= 1 || growth > 10 {
            report(Self.join(path, "growth"), "\(format(growth)) is out of range; allowed: above 1 up to 10 (2 doubles the rate each step)")
        }
        guard issues.count == before, let from, let to else { return nil }
        return SearchPlan(from: from, to: to, stepSeconds: step, warmupSeconds: warmup, resolution: resolution, growth: growth)
    }

    /// A search is judged by the thresholds, bounded by stop.durationSeconds, and has its own warm-up
    /// per step: what a search needs from the rest of the profile.
    mutating func checkSearch(_ search: SearchPlan, thresholds: [Threshold], stop: StopCondition?, warmupSeconds: Double) {
        if thresholds.isEmpty {
            report("load.search", "a capacity search needs thresholds (its SLO: each step holds only if every threshold held); add a thresholds section, e.g. thresholds: {all: {p99Ms: 500, errorRate: 0.01}}")
        }
        if let stop {
            if let duration = stop.durationSeconds, duration < search.stepSeconds {
                report("stop.durationSeconds", "\(format(duration)) is shorter than one search step (load.search.stepSeconds \(format(search.stepSeconds))); it bounds the whole search")
            }
            if stop.durationSeconds == nil {
                report("stop.durationSeconds", "required with load.search: it bounds the whole search")
            }
            if stop.operations != nil {
                report("stop.operations", "cannot bound a capacity search (each step runs load.search.stepSeconds); use stop.durationSeconds")
            }
        }
        if warmupSeconds > 0 {
            report("warmupSeconds", "a capacity search warms up every step: use load.search.warmupSeconds instead")
        }
    }
}
