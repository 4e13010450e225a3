import EST
import PKI
/// The `devices` section (population, key type, CSR template, pool or generate) and the
/// `lifecycle` section (ordered steps or weighted mix).
extension ProfileReader {
    mutating func devices(_ node: ProfileNode, at path: String) -> DevicePopulation? {
        guard let fields = fields(node, at: path, allowed: ["count", "keyType", "csr", "pool", "generate", "fleet"]) else { return nil }
        let count = required(fields["count"], at: Self.join(path, "count")).flatMap {
            int($0, at: Self.join(path, "count"), atLeast: 1)
        }
        let keyType: KeyType? = choice(fields["keyType"], at: Self.join(path, "keyType"), noun: "key type", names: KeyType.allowedNames)
        var template = CSRTemplate()
        if let csr = fields["csr"], let csrFields = self.fields(csr, at: Self.join(path, "csr"), allowed: ["commonName", "sanDNS"]) {
            let csrPath = Self.join(path, "csr")
            if let cn = string(csrFields["commonName"], at: Self.join(csrPath, "commonName")) {
                checkPlaceholders(cn, at: Self.join(csrPath, "commonName"))
                template.commonNamePattern = cn
            }
            if let sans = stringList(csrFields["sanDNS"], at: Self.join(csrPath, "sanDNS")) {
                for (index, san) in sans.enumerated() { checkPlaceholders(san, at: "\(Self.join(csrPath, "sanDNS"))[\(index)]") }
                template.sanDNSPatterns = sans
            }
        }
        let pool = string(fields["pool"], at: Self.join(path, "pool"))
        let generate = bool(fields["generate"], at: Self.join(path, "generate"))
        let fleet = string(fields["fleet"], at: Self.join(path, "fleet"))
        var source = DevicePopulation.Source.generate
        if let fleet {
            // Enrolled devices from an earlier run's --save-fleet: keys, CSRs and their certificates.
            if pool != nil || generate != nil {
                report(path, "fleet is mutually exclusive with pool and generate; a fleet file holds the devices' keys and CSRs")
            }
            source = .fleet(path: fleet)
        } else {
            switch (pool, generate) {
            case (.some, true?):
                report(path, "pool and generate are mutually exclusive; choose one")
            case (let pool?, _):
                source = .poolFile(path: pool)
            case (nil, false?):
                report(Self.join(path, "generate"), "false needs devices.pool (a pool file to load instead)")
            case (nil, _):
                break
            }
        }
        guard let count else { return nil }
        var population = DevicePopulation(count: count)
        population.keyType = keyType ?? .p256
        population.csr = template
        population.source = source
        return population
    }

    /// Patterns follow the pool's grammar (PKI's FieldPattern: `{i}`, `{i:0N}`), so a profile and
    /// `pool generate` accept the same texts.
    mutating func checkPlaceholders(_ pattern: String, at path: String) {
        do { _ = try FieldPattern(pattern) } catch { report(path, "\(error)") }
    }

    /// `enrolled`: the devices start with certificates (a fleet), so simplereenroll may come first.
    mutating func lifecycle(_ node: ProfileNode, at path: String, enrolled: Bool = false) -> Lifecycle? {
        let operations = ESTOperation.allowedNames
        switch node {
        case .sequence(let items):
            guard !items.isEmpty else {
                report(path, "needs at least one step")
                return nil
            }
            var steps: [LifecycleStep] = []
            var holdsCertificate = enrolled
            var complete = true
            for (index, item) in items.enumerated() {
                let stepPath = "\(path)[\(index)]"
                guard let fields = fields(item, at: stepPath, allowed: ["op", "repeat", "thinkTimeMs"]) else {
                    complete = false
                    continue
                }
                let operation: ESTOperation? = required(fields["op"], at: Self.join(stepPath, "op")).flatMap {
                    choice($0, at: Self.join(stepPath, "op"), noun: "operation", names: ESTOperation.allowedNames)
                }
                let repeatCount = int(fields["repeat"], at: Self.join(stepPath, "repeat"), atLeast: 1)
                let think = int(fields["thinkTimeMs"], at: Self.join(stepPath, "thinkTimeMs"), atLeast: 0)
                guard let operation else {
                    complete = false
                    continue
                }
                if operation == .simplereenroll && !holdsCertificate {
                    report(Self.join(stepPath, "op"),
                           "simplereenroll needs a certificate from an earlier simpleenroll, fullcmc or serverkeygen step")
                }
                if operation.issuesCertificate { holdsCertificate = true }
                steps.append(LifecycleStep(operation: operation, repeatCount: repeatCount ?? 1, thinkTimeMs: think ?? 0))
            }
            return complete ? .steps(steps) : nil
        case .mapping:
            guard let fields = fields(node, at: path, allowed: ["mix"]) else { return nil }
            guard let mix = required(fields["mix"], at: Self.join(path, "mix")) else { return nil }
            let mixPath = Self.join(path, "mix")
            guard case .mapping(let entries) = mix else {
                report(mixPath, "expected a mapping of operation names to weights, got \(mix.kindDescription)")
                return nil
            }
            var weighted: [Lifecycle.WeightedOperation] = []
            for entry in entries {
                let entryPath = Self.join(mixPath, entry.key)
                guard let operation = ESTOperation(rawValue: entry.key) else {
                    report(entryPath, "unknown operation \"\(entry.key)\"; expected one of \(operations)")
                    continue
                }
                if weighted.contains(where: { $0.operation == operation }) {
                    report(entryPath, "duplicate field")
                    continue
                }
                if let weight = int(entry.value, at: entryPath, atLeast: 0) {
                    weighted.append(Lifecycle.WeightedOperation(operation: operation, weight: weight))
                }
            }
            if entries.isEmpty || (weighted.count == entries.count && weighted.allSatisfy { $0.weight == 0 }) {
                report(mixPath, "needs at least one operation with a weight above 0")
                return nil
            }
            let reenrolls = weighted.contains { $0.operation == .simplereenroll && $0.weight > 0 }
            let issues = weighted.contains { $0.operation.issuesCertificate && $0.operation != .simplereenroll && $0.weight > 0 }
            if reenrolls && !issues && !enrolled {
                report(Self.join(mixPath, "simplereenroll"), "needs a certificate: give simpleenroll, fullcmc or serverkeygen a weight too")
            }
            return weighted.count == entries.count ? .mix(weighted) : nil
        case .null, .scalar:
            report(path, "expected a sequence of steps or a mapping with mix, got \(node.kindDescription)")
            return nil
        }
    }
}
