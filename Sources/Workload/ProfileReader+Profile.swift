import EST
import Foundation

/// The document root: each section read by its own reader, then the checks that span sections.
extension ProfileReader {
    static let rootFields = [
        "target", "devices", "lifecycle", "connection", "load", "maxNewConnectionsPerSecond",
        "warmupSeconds", "stop", "timeoutsMs", "onAccepted202", "channelBinding", "seed", "thresholds", "abort", "signatureChecks",
        "sourceAddresses",
    ]

    /// The validated profile, or nil when any issue was recorded.
    mutating func profile(_ root: ProfileNode) -> Profile? {
        guard let fields = fields(root, at: "profile", allowed: Self.rootFields) else { return nil }
        let target = fields["target"].map { self.target($0, at: "target") } ?? EndpointTarget()
        let devices = required(fields["devices"], at: "devices").flatMap { self.devices($0, at: "devices") }
        var enrolled = false
        if case .fleet? = devices?.source { enrolled = true }
        let lifecycle = required(fields["lifecycle"], at: "lifecycle").flatMap { self.lifecycle($0, at: "lifecycle", enrolled: enrolled) }
        let connection = fields["connection"].map { self.connection($0, at: "connection") } ?? ConnectionPolicy()
        let load = required(fields["load"], at: "load").flatMap { self.load($0, at: "load", devices: devices) }
        let maxNew = number(fields["maxNewConnectionsPerSecond"], at: "maxNewConnectionsPerSecond", positive: true)
        let warmup = number(fields["warmupSeconds"], at: "warmupSeconds", positive: false) ?? 0
        let stop = required(fields["stop"], at: "stop").flatMap { self.stop($0, at: "stop") }
        let timeouts = fields["timeoutsMs"].map { self.timeouts($0, at: "timeoutsMs") } ?? OperationTimeouts()
        let accepted = fields["onAccepted202"].flatMap { self.accepted($0, at: "onAccepted202") } ?? .defaultFollow
        let channelBinding = bool(fields["channelBinding"], at: "channelBinding") ?? false
        var signatureChecks = SignatureChecks.sample
        if let text = string(fields["signatureChecks"], at: "signatureChecks") {
            if let value = SignatureChecks(rawValue: text) {
                signatureChecks = value
            } else {
                report("signatureChecks", "unknown value \"\(text)\"; expected one of \(SignatureChecks.allowedNames)")
            }
        }
        let seed = uint64(fields["seed"], at: "seed") ?? Profile.defaultSeed
        let thresholds = fields["thresholds"].map { self.thresholds($0, at: "thresholds") } ?? []
        let abort = fields["abort"].map { self.abort($0, at: "abort") } ?? .standard
        var sourceAddresses: SourceAddresses?
        if let node = fields["sourceAddresses"], node != .null {
            // One text ("127.0.0.2-127.0.0.64", commas allowed) or a list of addresses and ranges.
            let specs: [String]?
            if case .sequence = node { specs = stringList(node, at: "sourceAddresses") } else {
                specs = string(node, at: "sourceAddresses").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            }
            if let specs {
                do { sourceAddresses = try SourceAddresses(specs) } catch {
                    switch error {
                    case .invalid(let found): for issue in found { report(issue.path, issue.message) }
                    default: report("sourceAddresses", "\(error)")
                    }
                }
            }
        }

        if case .search(let search)? = load {
            checkSearch(search, thresholds: thresholds, stop: stop, warmupSeconds: warmup)
        } else if let duration = stop?.durationSeconds, warmup >= duration {
            report("warmupSeconds", "\(format(warmup)) is not shorter than stop.durationSeconds (\(format(duration)))")
        }
        guard issues.isEmpty, let devices, let lifecycle, let load, let stop else { return nil }
        var profile = Profile(devices: devices, lifecycle: lifecycle, load: load, stop: stop)
        profile.target = target
        profile.connection = connection
        profile.maxNewConnectionsPerSecond = maxNew
        profile.warmupSeconds = warmup
        profile.timeouts = timeouts
        profile.onAccepted202 = accepted
        profile.channelBinding = channelBinding
        profile.signatureChecks = signatureChecks
        profile.seed = seed
        profile.thresholds = thresholds
        profile.abort = abort
        profile.arrivals = arrivalProcess
        profile.arrivalQueueLimit = arrivalQueueLimit
        profile.sourceAddresses = sourceAddresses
        return profile
    }

    func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    mutating func stop(_ node: ProfileNode, at path: String) -> StopCondition? {
        guard let fields = fields(node, at: path, allowed: ["durationSeconds", "operations", "drainSeconds"]) else { return nil }
        let duration = number(fields["durationSeconds"], at: Self.join(path, "durationSeconds"), positive: true)
        let operations = int(fields["operations"], at: Self.join(path, "operations"), atLeast: 1)
        var drain = StopCondition.defaultDrainSeconds
        if let value = number(fields["drainSeconds"], at: Self.join(path, "drainSeconds"), positive: false) {
            if value > StopCondition.maxDrainSeconds {
                report(Self.join(path, "drainSeconds"), "\(format(value)) is more than \(format(StopCondition.maxDrainSeconds)) seconds")
            } else {
                drain = value
            }
        }
        let given = [fields["durationSeconds"], fields["operations"]].contains { $0 != nil && $0 != .null }
        if !given {
            report(path, "needs durationSeconds, operations or both")
            return nil
        }
        guard duration != nil || operations != nil else { return nil }
        return StopCondition(durationSeconds: duration, operations: operations, drainSeconds: drain)
    }

    mutating func timeouts(_ node: ProfileNode, at path: String) -> OperationTimeouts {
        var timeouts = OperationTimeouts()
        guard case .mapping(let entries) = node else {
            report(path, "expected a mapping of default and operation names to milliseconds, got \(node.kindDescription)")
            return timeouts
        }
        for entry in entries {
            let fieldPath = Self.join(path, entry.key)
            if entry.key == "default" {
                if let ms = int(entry.value, at: fieldPath, atLeast: 1) { timeouts.defaultMs = ms }
            } else if let operation = ESTOperation(rawValue: entry.key) {
                if let ms = int(entry.value, at: fieldPath, atLeast: 1) { timeouts.perOperationMs[operation] = ms }
            } else {
                report(fieldPath, "unknown operation \"\(entry.key)\"; expected default or one of \(ESTOperation.allowedNames)")
            }
        }
        return timeouts
    }

    mutating func accepted(_ node: ProfileNode, at path: String) -> AcceptedPolicy? {
        let expected = "expected one of follow, countAndStop"
        switch node {
        case .scalar("countAndStop"): return .countAndStop
        case .scalar("follow"): return .defaultFollow
        case .scalar(let text):
            report(path, "unknown 202 policy \"\(text)\"; \(expected)")
            return nil
        case .mapping:
            guard let fields = fields(node, at: path, allowed: ["follow"]) else { return nil }
            guard let follow = fields["follow"] else {
                report(path, "\(expected), or a mapping follow: {maxRetries, maxWaitSeconds}; got an empty mapping")
                return nil
            }
            let followPath = Self.join(path, "follow")
            guard follow != .null else { return .defaultFollow }
            guard let options = self.fields(follow, at: followPath, allowed: ["maxRetries", "maxWaitSeconds"]) else { return nil }
            guard case .follow(let defaultRetries, let defaultWait) = AcceptedPolicy.defaultFollow else { return nil }
            let retries = int(options["maxRetries"], at: Self.join(followPath, "maxRetries"), atLeast: 0) ?? defaultRetries
            let wait = number(options["maxWaitSeconds"], at: Self.join(followPath, "maxWaitSeconds"), positive: true) ?? defaultWait
            return .follow(maxRetries: retries, maxWaitSeconds: wait)
        case .null, .sequence:
            report(path, "\(expected), or a mapping follow: {maxRetries, maxWaitSeconds}; got \(node.kindDescription)")
            return nil
        }
    }
}
