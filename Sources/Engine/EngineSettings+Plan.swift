import EST
import EventLoop
import HTTP
import PKI
import Workload

/// Deriving the settings from a validated plan: pure (no I/O, no clock) — what needs files or the
/// clock comes in as `client` and `startNs`.
extension EngineSettings {
    init(plan: RunPlan, target: RunTarget, client: ClientSetup, threads: Int, startNs: UInt64) throws(RunCoordinator.RunError) {
        let profile = plan.profile
        let threads = max(1, threads)
        var closedThinkMs: UInt64 = 0
        var arrivals: [WorkerArrivals]?
        switch profile.load {
        case .closed(_, let thinkTimeMs): closedThinkMs = UInt64(max(0, thinkTimeMs))
        case .open(let open): arrivals = ArrivalSchedule(open).split(workers: threads, shard: plan.shard)
        case .search: throw .unsupported("a capacity search runs as open-model steps: run it with CapacitySearchRun")
        }
        let steps: [Step]
        var mix: Lifecycle?
        switch profile.lifecycle {
        case .steps(let lifecycle): steps = Self.expand(lifecycle, closedThinkMs: closedThinkMs)
        case .mix(let entries):
            steps = entries.map { Step(operation: $0.operation, thinkTimeMs: 0) }
            mix = profile.lifecycle
        }
        let csrTemplate: PKI.CSRTemplate
        do { csrTemplate = try PKI.CSRTemplate(commonName: profile.devices.csr.commonNamePattern, sanDNS: profile.devices.csr.sanDNSPatterns) } catch {
            throw .setup("devices.csr: \(error)")
        }
        var timeouts = ESTOperationTable<UInt64>()
        for op in ESTOperation.allCases { timeouts[op] = UInt64(profile.timeouts.milliseconds(for: op)) }
        var follow202: (maxRetries: Int, maxWaitMs: UInt64)?
        if case .follow(let retries, let waitSeconds) = profile.onAccepted202 { follow202 = (retries, UInt64(waitSeconds * 1000)) }
        var operationsPerConnection: Int?
        if case .perConnection(let n) = profile.connection.reuse { operationsPerConnection = n }
        self.init(
            address: target.address, serverName: target.serverName, tlsContext: client.tlsContext,
            templates: try Self.templates(target: target, credentials: client.credentials),
            steps: steps, mix: mix, mixThinkTimeMs: closedThinkMs, seed: profile.seed,
            channelBinding: profile.channelBinding, follow202: follow202,
            warmupEndNs: startNs + Self.ns(seconds: profile.warmupSeconds),
            bootstrap: client.bootstrap,
            connectionsPerSecondPerWorker: profile.maxNewConnectionsPerSecond.map { (plan.shard?.share(ofRate: $0) ?? $0) / Double(threads) },
            csrTemplate: csrTemplate,
            keepAlive: profile.connection.reuse != .newPerOperation,
            operationsPerConnection: operationsPerConnection,
            resumes: profile.connection.resumption != .off, timeoutMs: timeouts,
            deadlineNs: profile.stop.durationSeconds.map { startNs + Self.ns(seconds: $0) },
            arrivals: arrivals,
            drainLimitNs: Self.ns(seconds: profile.stop.drainSeconds),
            signatureChecks: profile.signatureChecks)
        arrivalProcess = profile.arrivals
        for t in target.all {
            targets.append(EngineTarget(address: t.address, serverName: t.serverName,
                                        templates: try Self.templates(target: t, credentials: client.credentials), description: t.description,
                                        addresses: t.refreshedHost.map { TargetAddresses(host: $0.name, port: t.address.port, addresses: $0.addresses) }))
        }
        resolveEveryNs = profile.target.resolveEverySeconds.map { Self.ns(seconds: $0) }
        for ip in profile.sourceAddresses?.addresses ?? [] {
            do { sourceAddresses.append(try SocketAddress(ip: ip, port: 0)) } catch {
                throw .setup("sourceAddresses: \(ip) is not an address this machine can bind: \(error)")
            }
        }
        arrivalQueueLimitPerWorker = (profile.arrivalQueueLimit + threads - 1) / threads
    }

    /// Steps with their repeats unrolled, each with its think time; the closed model's think time
    /// comes after the lifecycle's last operation.
    static func expand(_ lifecycle: [LifecycleStep], closedThinkMs: UInt64) -> [Step] {
        var expanded: [Step] = []
        for (index, step) in lifecycle.enumerated() {
            let think = UInt64(max(0, step.thinkTimeMs))
            for r in 0..<step.repeatCount {
                let lastOfAll = index == lifecycle.count - 1 && r == step.repeatCount - 1
                expanded.append(Step(operation: step.operation, thinkTimeMs: think + (lastOfAll ? closedThinkMs : 0)))
            }
        }
        return expanded
    }

    /// One request template per operation: the Host field from the target's URL (an IPv6 address in
    /// brackets, port 443 omitted), the URL's path before `/.well-known/est`.
    static func templates(target: RunTarget, credentials: HTTP.BasicCredentials?) throws(RunCoordinator.RunError)
        -> ESTOperationTable<HTTPRequestTemplate> {
        var templates = ESTOperationTable<HTTPRequestTemplate>()
        for op in ESTOperation.allCases {
            do {
                templates[op] = try HTTPRequestTemplate(method: op.usesPOST ? .post : .get,
                                                        target: target.pathPrefix + ESTPath(label: target.label, operation: op).target,
                                                        host: target.hostField, contentType: op.requestContentType, credentials: credentials)
            } catch {
                throw .setup("request for \(op): \(error)")
            }
        }
        return templates
    }

    private static func ns(seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1e9) }
}
