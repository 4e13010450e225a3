import EST
import EventLoop
import HTTP
import TLS
import Workload
import XCTest
@testable import Engine

/// `EngineSettings(plan:target:client:threads:startNs:)` is pure: every derivation from the plan is
/// checked here without a server, a socket or a clock.
final class EngineSettingsTests: XCTestCase {
    static let startNs: UInt64 = 7_000_000_000

    /// A closed-model profile with `extra` YAML appended (sections not given take these defaults).
    static func plan(lifecycle: String = "  - op: simpleenroll", load: String = "load: {closed: {devices: 4, thinkTimeMs: 100}}",
                     extra: String = "") throws -> RunPlan {
        try RunPlan.load(yaml: """
            devices: {count: 4}
            lifecycle:
            \(lifecycle)
            \(load)
            stop: {durationSeconds: 2.5}
            \(extra)
            """, name: "test")
    }

    static func settings(_ plan: RunPlan, threads: Int = 1, ip: String = "127.0.0.1", serverName: String = "est.example",
                         label: String? = nil) throws -> EngineSettings {
        let target = RunTarget(address: try SocketAddress(ip: ip, port: 8443), serverName: serverName,
                               trust: .certificates([]), label: label, description: "test")
        let client = ClientSetup(tlsContext: try TLSContext(ClientSetup.configuration(plan.profile, trust: target.trust)))
        return try EngineSettings(plan: plan, target: target, client: client, threads: threads, startNs: startNs)
    }

    func testStepsExpandRepeatsAndTheClosedThinkTimeFollowsOnlyTheLastStep() throws {
        let plan = try Self.plan(lifecycle: """
              - {op: cacerts, thinkTimeMs: 5}
              - {op: simpleenroll, repeat: 2}
              - {op: cacerts, thinkTimeMs: 5}
              - {op: simplereenroll, repeat: 2, thinkTimeMs: 3}
            """)
        let s = try Self.settings(plan)
        XCTAssertEqual(s.steps.map(\.operation), [.cacerts, .simpleenroll, .simpleenroll, .cacerts, .simplereenroll, .simplereenroll])
        XCTAssertEqual(s.steps.map(\.thinkTimeMs), [5, 0, 0, 5, 3, 103])
        XCTAssertNil(s.mix)
        XCTAssertEqual(s.mixThinkTimeMs, 100)
        XCTAssertNil(s.arrivals)
    }

    func testAStepEqualToTheLastGetsNoClosedThinkTime() throws {
        let plan = try Self.plan(lifecycle: "  - op: cacerts\n  - op: cacerts")
        XCTAssertEqual(try Self.settings(plan).steps.map(\.thinkTimeMs), [0, 100])
    }

    func testAMixKeepsTheLifecycleAndListsItsOperations() throws {
        let plan = try Self.plan(lifecycle: "  mix: {simpleenroll: 3, cacerts: 1}")
        let s = try Self.settings(plan)
        XCTAssertEqual(s.mix, plan.profile.lifecycle)
        XCTAssertEqual(s.steps.map(\.operation), [.simpleenroll, .cacerts])
        XCTAssertEqual(s.steps.map(\.thinkTimeMs), [0, 0])
        XCTAssertEqual(s.mixThinkTimeMs, 100)
    }

    func testTimeoutsPerOperationFallBackToTheDefault() throws {
        let s = try Self.settings(try Self.plan(extra: "timeoutsMs: {default: 1000, simpleenroll: 2500}"))
        XCTAssertEqual(s.timeoutMs.count, ESTOperation.allCases.count)
        XCTAssertEqual(s.timeoutMs[.simpleenroll], 2500)
        XCTAssertEqual(s.timeoutMs[.cacerts], 1000)
        XCTAssertEqual(s.timeoutMs[.serverkeygen], 1000)
    }

    func testFollow202MapsSecondsToMilliseconds() throws {
        let follow = try Self.settings(try Self.plan(extra: "onAccepted202: {follow: {maxRetries: 3, maxWaitSeconds: 1.5}}"))
        XCTAssertEqual(follow.follow202?.maxRetries, 3)
        XCTAssertEqual(follow.follow202?.maxWaitMs, 1500)
        XCTAssertNil(try Self.settings(try Self.plan(extra: "onAccepted202: countAndStop")).follow202)
    }

    func testConnectionReuse() throws {
        let keepAlive = try Self.settings(try Self.plan(extra: "connection: {keepAlive: true}"))
        XCTAssertTrue(keepAlive.keepAlive)
        XCTAssertNil(keepAlive.operationsPerConnection)
        XCTAssertFalse(keepAlive.resumes)
        let fresh = try Self.settings(try Self.plan(extra: "connection: {newPerOperation: true, resumption: tickets}"))
        XCTAssertFalse(fresh.keepAlive)
        XCTAssertTrue(fresh.resumes)
        let limited = try Self.settings(try Self.plan(extra: "connection: {perConnection: 7}"))
        XCTAssertTrue(limited.keepAlive)
        XCTAssertEqual(limited.operationsPerConnection, 7)
    }

    func testConnectionsPerSecondAreSplitPerWorker() throws {
        let plan = try Self.plan(extra: "maxNewConnectionsPerSecond: 100")
        XCTAssertEqual(try Self.settings(plan, threads: 4).connectionsPerSecondPerWorker, 25)
        XCTAssertNil(try Self.settings(try Self.plan(), threads: 4).connectionsPerSecondPerWorker)
    }

    func testDeadlineAndWarmUpCountFromTheStart() throws {
        let s = try Self.settings(try Self.plan(extra: "warmupSeconds: 0.5"))
        XCTAssertEqual(s.deadlineNs, Self.startNs + 2_500_000_000)
        XCTAssertEqual(s.warmupEndNs, Self.startNs + 500_000_000)
        XCTAssertEqual(s.drainLimitNs, 5_000_000_000)
        let byCount = try RunPlan.load(yaml: """
            devices: {count: 1}
            lifecycle: [{op: cacerts}]
            load: {closed: {}}
            stop: {operations: 10}
            """, name: "test")
        XCTAssertNil(try Self.settings(byCount).deadlineNs)
    }

    func testOpenModelSplitsArrivalsPerWorkerWithoutThinkTime() throws {
        let s = try Self.settings(try Self.plan(load: "load: {open: {rate: 40}}"), threads: 3)
        XCTAssertEqual(s.arrivals?.count, 3)
        XCTAssertEqual(s.mixThinkTimeMs, 0)
        XCTAssertEqual(s.steps.map(\.thinkTimeMs), [0])
    }

    func testTemplatesNameTheServerInTheHostFieldAndTheLabelInThePath() throws {
        let s = try Self.settings(try Self.plan(), label: "arbitrary")
        for op in ESTOperation.allCases { XCTAssertNotNil(s.templates[op], "\(op)") }
        let request = Self.text(s.templates[.simpleenroll]!)
        XCTAssertTrue(request.hasPrefix("POST /.well-known/est/arbitrary/simpleenroll HTTP/1.1\r\n"), request)
        XCTAssertTrue(request.contains("\r\nHost: est.example:8443\r\n"), request)
        XCTAssertTrue(Self.text(s.templates[.cacerts]!).hasPrefix("GET /.well-known/est/arbitrary/cacerts HTTP/1.1\r\n"))
    }

    func testAnIPv6TargetGoesInBracketsInTheHostField() throws {
        let s = try Self.settings(try Self.plan(), ip: "::1", serverName: "::1")
        let request = Self.text(s.templates[.cacerts]!)
        XCTAssertTrue(request.contains("\r\nHost: [::1]:8443\r\n"), request)
        XCTAssertTrue(Self.text(s.templates[.simpleenroll]!).hasPrefix("POST /.well-known/est/simpleenroll HTTP/1.1\r\n"))
    }

    /// The Host field and the path come from the target's URL: IPv6 in brackets, port 443 left out,
    /// a path put before /.well-known/est without doubling its trailing slash.
    func testTheURLGivesTheHostFieldAndAPathPrefix() throws {
        func requests(_ url: String, label: String? = nil) throws -> (get: String, post: String) {
            let plan = try Self.plan(extra: "target: {url: \"\(url)\"\(label.map { ", caLabel: \($0)" } ?? "")}")
            let target = try RunTarget.resolving(plan.profile)
            let s = try EngineSettings.templates(target: target, credentials: nil)
            return (Self.text(s[.cacerts]!), Self.text(s[.simpleenroll]!))
        }
        let proxied = try requests("https://[::1]/proxy/", label: "devices")
        XCTAssertTrue(proxied.get.hasPrefix("GET /proxy/.well-known/est/devices/cacerts HTTP/1.1\r\n"), proxied.get)
        XCTAssertTrue(proxied.get.contains("\r\nHost: [::1]\r\n"), proxied.get)
        let deep = try requests("https://127.0.0.1:8443/a/b")
        XCTAssertTrue(deep.post.hasPrefix("POST /a/b/.well-known/est/simpleenroll HTTP/1.1\r\n"), deep.post)
        XCTAssertTrue(deep.post.contains("\r\nHost: 127.0.0.1:8443\r\n"), deep.post)
        let plain = try requests("https://127.0.0.1/")
        XCTAssertTrue(plain.get.hasPrefix("GET /.well-known/est/cacerts HTTP/1.1\r\n"), plain.get)
        XCTAssertTrue(plain.get.contains("\r\nHost: 127.0.0.1\r\n"), plain.get)
        let builtIn = RunTarget.builtInServer(address: try SocketAddress(ip: "127.0.0.1", port: 40123), root: [], label: nil, threads: 1)
        let own = Self.text(try EngineSettings.templates(target: builtIn, credentials: nil)[.cacerts]!)
        XCTAssertTrue(own.contains("\r\nHost: 127.0.0.1:40123\r\n"), own)
    }

    func testTheTargetAndClientPassThrough() throws {
        let s = try Self.settings(try Self.plan(extra: "channelBinding: true\nseed: 42"))
        XCTAssertEqual(s.address.port, 8443)
        XCTAssertEqual(s.serverName, "est.example")
        XCTAssertTrue(s.channelBinding)
        XCTAssertEqual(s.seed, 42)
        XCTAssertNil(s.bootstrap)
    }

    private static func text(_ template: HTTPRequestTemplate) -> String {
        var bytes: [UInt8] = []
        template.encode(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
