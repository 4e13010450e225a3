/// The `connection` section (reuse policy, resumption) and the `load` section (closed or open model).
extension ProfileReader {
    mutating func connection(_ node: ProfileNode, at path: String) -> ConnectionPolicy {
        var policy = ConnectionPolicy()
        let policies = ["keepAlive", "newPerOperation", "perConnection"]
        guard let fields = fields(node, at: path, allowed: policies + ["resumption"]) else { return policy }
        var chosen: [String] = []
        for name in ["keepAlive", "newPerOperation"] where fields[name] != nil {
            chosen.append(name)
            if let value = bool(fields[name], at: Self.join(path, name)), !value {
                report(Self.join(path, name), "must be true when given; name the policy you want (one of \(policies.joined(separator: ", ")))")
            }
        }
        if fields["perConnection"] != nil {
            chosen.append("perConnection")
            if let n = int(fields["perConnection"], at: Self.join(path, "perConnection"), atLeast: 1) { policy.reuse = .perConnection(n) }
        }
        if chosen.count > 1 {
            report(path, "\(chosen.joined(separator: " and ")) are mutually exclusive; choose one of \(policies.joined(separator: ", "))")
        } else if chosen == ["newPerOperation"] {
            policy.reuse = .newPerOperation
        }
        policy.resumption = choice(fields["resumption"], at: Self.join(path, "resumption"), noun: "resumption mode") ?? .off
        return policy
    }

    mutating func load(_ node: ProfileNode, at path: String, devices: DevicePopulation?) -> LoadModel? {
        let models = ["closed", "open", "search"]
        guard let fields = fields(node, at: path, allowed: models) else { return nil }
        let given = models.filter { fields[$0] != nil }
        guard given.count == 1 else {
            report(path, given.isEmpty ? "needs closed, open or search" : "\(given.joined(separator: " and ")) are mutually exclusive; choose one")
            return nil
        }
        switch given[0] {
        case "closed": return self.closed(fields["closed"]!, at: Self.join(path, "closed"), devices: devices)
        case "open": return self.open(fields["open"]!, at: Self.join(path, "open"), devices: devices).map { .open($0) }
        default: return self.search(fields["search"]!, at: Self.join(path, "search")).map { .search($0) }
        }
    }

    private mutating func closed(_ node: ProfileNode, at path: String, devices: DevicePopulation?) -> LoadModel? {
        let fields = node == .null ? [:] : self.fields(node, at: path, allowed: ["devices", "thinkTimeMs"])
        guard let fields else { return nil }
        let concurrent = int(fields["devices"], at: Self.join(path, "devices"), atLeast: 1)
        let think = int(fields["thinkTimeMs"], at: Self.join(path, "thinkTimeMs"), atLeast: 0)
        if let concurrent, let population = devices?.count, concurrent > population {
            report(Self.join(path, "devices"), "\(concurrent) exceeds devices.count (\(population))")
            return nil
        }
        guard let count = concurrent ?? devices?.count else { return nil }
        return .closed(devices: count, thinkTimeMs: think ?? 0)
    }

    private mutating func open(_ node: ProfileNode, at path: String, devices: DevicePopulation?) -> OpenLoad? {
        guard let fields = fields(node, at: path, allowed: ["rate", "ramp", "steps", "burst", "arrivals", "queueLimit"]) else { return nil }
        let shaping = ["rate", "ramp", "steps"].filter { fields[$0] != nil }
        if let process: ArrivalProcess = choice(fields["arrivals"], at: Self.join(path, "arrivals"), noun: "arrival process",
                                                names: ArrivalProcess.allowedNames) {
            arrivalProcess = process
            if process == .poisson && fields["burst"] != nil {
                report(Self.join(path, "arrivals"), "poisson spaces arrivals around a rate; a burst has none (all arrivals at t0): use uniform or give a rate")
            }
        }
        if let limit = int(fields["queueLimit"], at: Self.join(path, "queueLimit"), atLeast: 1) { arrivalQueueLimit = limit }
        if let burstNode = fields["burst"] {
            if !shaping.isEmpty {
                report(path, "burst cannot be combined with \(shaping.joined(separator: ", ")); a burst is all arrivals at t0")
                return nil
            }
            let burstPath = Self.join(path, "burst")
            guard let burst = self.fields(burstNode, at: burstPath, allowed: ["devices"]) else { return nil }
            guard let n = required(burst["devices"], at: Self.join(burstPath, "devices")).flatMap({
                int($0, at: Self.join(burstPath, "devices"), atLeast: 1)
            }) else { return nil }
            if let population = devices?.count, n > population {
                report(Self.join(burstPath, "devices"), "\(n) exceeds devices.count (\(population))")
                return nil
            }
            return .burst(devices: n)
        }
        guard !shaping.isEmpty else {
            report(path, "needs rate, ramp, steps or burst")
            return nil
        }
        let before = issues.count
        let hold = number(fields["rate"], at: Self.join(path, "rate"), positive: true)
        var ramp: OpenLoad.Ramp?
        if let rampNode = fields["ramp"] {
            let rampPath = Self.join(path, "ramp")
            if let r = self.fields(rampNode, at: rampPath, allowed: ["from", "to", "seconds"]) {
                let from = required(r["from"], at: Self.join(rampPath, "from")).flatMap { number($0, at: Self.join(rampPath, "from"), positive: false) }
                let to = required(r["to"], at: Self.join(rampPath, "to")).flatMap { number($0, at: Self.join(rampPath, "to"), positive: false) }
                let seconds = required(r["seconds"], at: Self.join(rampPath, "seconds")).flatMap {
                    number($0, at: Self.join(rampPath, "seconds"), positive: true)
                }
                if let from, let to, let seconds {
                    if from == 0 && to == 0 { report(rampPath, "from and to cannot both be 0") }
                    ramp = OpenLoad.Ramp(from: from, to: to, seconds: seconds)
                }
            }
        }
        var steps: [OpenLoad.Step] = []
        if let stepsNode = fields["steps"] {
            let stepsPath = Self.join(path, "steps")
            if case .sequence(let items) = stepsNode, !items.isEmpty {
                for (index, item) in items.enumerated() {
                    let stepPath = "\(stepsPath)[\(index)]"
                    guard let s = self.fields(item, at: stepPath, allowed: ["rate", "seconds"]) else { continue }
                    let rate = required(s["rate"], at: Self.join(stepPath, "rate")).flatMap { number($0, at: Self.join(stepPath, "rate"), positive: true) }
                    let seconds = required(s["seconds"], at: Self.join(stepPath, "seconds")).flatMap {
                        number($0, at: Self.join(stepPath, "seconds"), positive: true)
                    }
                    if let rate, let seconds { steps.append(OpenLoad.Step(rate: rate, seconds: seconds)) }
                }
            } else {
                report(stepsPath, "expected a non-empty sequence of {rate, seconds}, got \(stepsNode.kindDescription)")
            }
        }
        guard issues.count == before else { return nil }
        return .rate(ramp: ramp, steps: steps, hold: hold)
    }
}
