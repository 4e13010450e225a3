import PKI
import XCTest
@testable import Workload

/// Each kind of bad profile yields its exact issue — path and message — and all issues are collected.
final class ProfileValidationTests: XCTestCase {
    private let operations = "cacerts, simpleenroll, simplereenroll, fullcmc, serverkeygen, csrattrs"

    private func expect(_ yaml: String, _ expected: [ProfileIssue], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(ProfileFixtures.issues(yaml, file: file, line: line), expected, file: file, line: line)
    }

    private func issue(_ path: String, _ message: String) -> ProfileIssue { ProfileIssue(path: path, message: message) }

    private func base(lifecycle: String = "[{op: simpleenroll}]", load: String = "{closed: {}}",
                      stop: String = "{durationSeconds: 10}", extra: String = "") -> String {
        "devices: {count: 10}\nlifecycle: \(lifecycle)\nload: \(load)\nstop: \(stop)\n\(extra)"
    }

    func testUnknownOperation() {
        expect(base(lifecycle: "[{op: cacerts}, {op: simpleenroll}, {op: simpleenrol}]"),
               [issue("lifecycle[2].op", "unknown operation \"simpleenrol\"; expected one of \(operations)")])
    }

    func testUnknownField() {
        expect(base(extra: "devices2: 3"), [issue("devices2",
            "unknown field; expected one of target, devices, lifecycle, connection, load, maxNewConnectionsPerSecond, warmupSeconds, stop, timeoutsMs, onAccepted202, channelBinding, seed, thresholds, abort, signatureChecks, sourceAddresses")])
        expect("devices: {count: 10, colour: red}\nlifecycle: [{op: cacerts}]\nload: {closed: {}}\nstop: {operations: 5}",
               [issue("devices.colour", "unknown field; expected one of count, keyType, csr, pool, generate, fleet")])
    }

    func testWrongTypes() {
        expect("devices: {count: many}\nlifecycle: [{op: cacerts}]\nload: {closed: {}}\nstop: {operations: 5}",
               [issue("devices.count", "expected an integer, got \"many\"")])
        expect(base(extra: "channelBinding: [true]"), [issue("channelBinding", "expected true or false, got a sequence")])
        expect(base(extra: "target: https://x"), [issue("target",
            "expected a mapping with fields url, urls, resolve, resolveEverySeconds, caLabel, caBundle, tls, bootstrap, credentials, got \"https://x\"")])
        expect(base(lifecycle: "simpleenroll"), [issue("lifecycle", "expected a sequence of steps or a mapping with mix, got \"simpleenroll\"")])
    }

    func testUnknownEnumValues() {
        expect("devices: {count: 1, keyType: p521}\nlifecycle: [{op: cacerts}]\nload: {closed: {}}\nstop: {operations: 5}",
               [issue("devices.keyType", "unknown key type \"p521\"; expected one of p256, p384, rsa2048, rsa3072, rsa4096, ed25519")])
        expect(base(extra: "connection: {resumption: psk}"),
               [issue("connection.resumption", "unknown resumption mode \"psk\"; expected one of off, tickets, ids")])
        expect(base(extra: "timeoutsMs: {simpleenrol: 5}"),
               [issue("timeoutsMs.simpleenrol", "unknown operation \"simpleenrol\"; expected default or one of \(operations)")])
        expect(base(extra: "onAccepted202: retry"),
               [issue("onAccepted202", "unknown 202 policy \"retry\"; expected one of follow, countAndStop")])
    }

    func testMissingRequiredSections() {
        expect("devices: {count: 1}", [
            issue("lifecycle", "required field missing"),
            issue("load", "required field missing"),
            issue("stop", "required field missing"),
        ])
    }

    func testOpenModelBurstWithRate() {
        expect(base(load: "{open: {rate: 100, burst: {devices: 5}}}"),
               [issue("load.open", "burst cannot be combined with rate; a burst is all arrivals at t0")])
    }

    func testRateMustBePositive() {
        expect(base(load: "{open: {rate: 0}}"), [issue("load.open.rate", "must be greater than 0, got 0")])
        expect(base(load: "{open: {rate: -5}}"), [issue("load.open.rate", "must be greater than 0, got -5")])
    }

    func testOpenModelNeedsAShape() {
        expect(base(load: "{open: {}}"), [issue("load.open", "needs rate, ramp, steps or burst")])
        expect(base(load: "{open: {ramp: {from: 0, to: 0, seconds: 3}}}"), [issue("load.open.ramp", "from and to cannot both be 0")])
        expect(base(load: "{open: {steps: [{rate: 5}]}}"), [issue("load.open.steps[0].seconds", "required field missing")])
    }

    func testClosedAndOpenBoth() {
        expect(base(load: "{closed: {}, open: {rate: 5}}"), [issue("load", "closed and open are mutually exclusive; choose one")])
    }

    /// stop.drainSeconds: 0 to 600 (default 5), carried into the plan.
    func testDrainSeconds() throws {
        expect(base(stop: "{durationSeconds: 10, drainSeconds: -1}"), [issue("stop.drainSeconds", "must be at least 0, got -1")])
        expect(base(stop: "{durationSeconds: 10, drainSeconds: 601}"), [issue("stop.drainSeconds", "601 is more than 600 seconds")])
        XCTAssertEqual(try RunPlan.load(yaml: base(stop: "{durationSeconds: 10, drainSeconds: 0.5}"), name: "t").profile.stop.drainSeconds, 0.5)
        XCTAssertEqual(try RunPlan.load(yaml: base(), name: "t").profile.stop.drainSeconds, 5)
    }

    func testStopWithNeither() {
        expect(base(stop: "{}"), [issue("stop", "needs durationSeconds, operations or both")])
    }

    func testKeepAliveWithNewPerOperation() {
        expect(base(extra: "connection: {keepAlive: true, newPerOperation: true}"), [issue("connection",
            "keepAlive and newPerOperation are mutually exclusive; choose one of keepAlive, newPerOperation, perConnection")])
        expect(base(extra: "connection: {perConnection: 0}"), [issue("connection.perConnection", "must be greater than 0, got 0")])
    }

    func testDuplicateFieldsAndFalsePolicies() {
        expect(base(extra: "devices: {count: 3}"), [issue("devices", "duplicate field")])
        expect(base(extra: "connection: {keepAlive: false}"), [issue("connection.keepAlive",
            "must be true when given; name the policy you want (one of keepAlive, newPerOperation, perConnection)")])
    }

    func testDeviceSourceAndConnectionChoices() throws {
        expect("devices: {count: 1, pool: p.pool, generate: true}\nlifecycle: [{op: cacerts}]\nload: {closed: {}}\nstop: {operations: 5}",
               [issue("devices", "pool and generate are mutually exclusive; choose one")])
        let profile = try RunPlan.load(yaml: "devices: {count: 4, pool: p.pool}\nlifecycle: [{op: cacerts}]\nload: {closed: {}}\n"
            + "stop: {operations: 5}\nconnection: {perConnection: 8, resumption: ids}", name: "c").profile
        XCTAssertEqual(profile.devices.source, .poolFile(path: "p.pool"))
        XCTAssertEqual(profile.connection, ConnectionPolicy(reuse: .perConnection(8), resumption: .ids))
    }

    func testPopulationLimits() {
        expect(base(load: "{open: {burst: {devices: 50}}}"), [issue("load.open.burst.devices", "50 exceeds devices.count (10)")])
        expect(base(load: "{closed: {devices: 11}}"), [issue("load.closed.devices", "11 exceeds devices.count (10)")])
    }

    func testReenrollNeedsAnEarlierEnrollment() {
        expect(base(lifecycle: "[{op: cacerts}, {op: simplereenroll}]"), [issue("lifecycle[1].op",
            "simplereenroll needs a certificate from an earlier simpleenroll, fullcmc or serverkeygen step")])
        expect(base(lifecycle: "{mix: {simplereenroll: 1, cacerts: 1}}"), [issue("lifecycle.mix.simplereenroll",
            "needs a certificate: give simpleenroll, fullcmc or serverkeygen a weight too")])
    }

    func testTargetChecks() {
        expect(base(extra: "target: {url: http://est.example}"), [issue("target.url", "expected https://host[:port][/path], got \"http://est.example\"")])
        expect(base(extra: "target: {url: \"https://est.example/proxy?x=1\"}"), [issue("target.url",
            "expected https://host[:port][/path] without a query or fragment (use target.caLabel for a CA label), got \"https://est.example/proxy?x=1\"")])
        expect(base(extra: "target: {url: \"https://u:p@est.example\"}"), [issue("target.url",
            "must not carry credentials; use target.credentials.basic with passwordEnv or passwordFile")])
        expect(base(extra: "target: {tls: {versions: {min: \"1.3\", max: \"1.2\"}}}"), [issue("target.tls.versions", "min 1.3 is above max 1.2")])
        expect(base(extra: "target: {tls: {versions: {min: \"1.1\"}}}"),
               [issue("target.tls.versions.min", "unknown TLS version \"1.1\"; expected one of 1.2, 1.3")])
    }

    /// A path is a prefix before /.well-known/est (a deployment behind a proxy), kept in the URL.
    func testATargetURLMayHaveAPath() throws {
        for url in ["https://est.example/proxy", "https://est.example:8443/a/b/", "https://[::1]/proxy"] {
            XCTAssertEqual(try RunPlan.load(yaml: base(extra: "target: {url: \"\(url)\"}"), name: "t").profile.target.url, url)
        }
    }

    func testCSRPlaceholders() {
        expect("devices: {count: 1, csr: {commonName: \"d-{id}\"}}\nlifecycle: [{op: cacerts}]\nload: {closed: {}}\nstop: {operations: 5}",
               [issue("devices.csr.commonName", "pattern \"d-{id}\": cannot expand \"{id}\"; allowed placeholders: \(FieldPattern.allowedPlaceholders)")])
    }

    func testWarmupMustBeShorterThanDuration() {
        expect(base(extra: "warmupSeconds: 10"), [issue("warmupSeconds", "10 is not shorter than stop.durationSeconds (10)")])
    }

    func testAllIssuesAreCollected() {
        let yaml = """
            devices: {count: 0, keyType: p521}
            lifecycle: [{op: simpleenrol, repeat: 0}]
            load: {open: {rate: 0}}
            stop: {}
            seed: -1
            extra: 1
            """
        expect(yaml, [
            issue("extra", "unknown field; expected one of target, devices, lifecycle, connection, load, maxNewConnectionsPerSecond, warmupSeconds, stop, timeoutsMs, onAccepted202, channelBinding, seed, thresholds, abort, signatureChecks, sourceAddresses"),
            issue("devices.count", "must be greater than 0, got 0"),
            issue("devices.keyType", "unknown key type \"p521\"; expected one of p256, p384, rsa2048, rsa3072, rsa4096, ed25519"),
            issue("lifecycle[0].op", "unknown operation \"simpleenrol\"; expected one of \(operations)"),
            issue("lifecycle[0].repeat", "must be greater than 0, got 0"),
            issue("load.open.rate", "must be greater than 0, got 0"),
            issue("stop", "needs durationSeconds, operations or both"),
            issue("seed", "expected a non-negative integer, got \"-1\""),
        ])
    }

    func testMalformedYAML() {
        XCTAssertThrowsError(try RunPlan.load(yaml: "devices: [1, 2", name: "bad")) { error in
            guard case ProfileError.malformedYAML = error else { return XCTFail("got \(error)") }
        }
        XCTAssertEqual(ProfileFixtures.issues(""), [issue("profile",
            "expected a mapping with fields target, devices, lifecycle, connection, load, maxNewConnectionsPerSecond, warmupSeconds, stop, timeoutsMs, onAccepted202, channelBinding, seed, thresholds, abort, signatureChecks, sourceAddresses, got null")])
    }

    /// A sequence or mapping used as a key is refused where it stands (it used to become a key made of
    /// the parser's debug dump, reported as an unknown field).
    func testNonScalarMappingKeyIsMalformed() {
        let cases: [(yaml: String, line: Int, column: Int, kind: String)] = [
            ("devices:\n  ? [count, 1]\n  : 2\n", 2, 5, "a sequence"),
            ("{count: 1}: 2\n", 1, 1, "a mapping"),
            ("lifecycle:\n  - {op: simpleenroll, ? {x: 1} : y}\n", 2, 26, "a mapping"),
        ]
        for item in cases {
            XCTAssertThrowsError(try RunPlan.load(yaml: item.yaml, name: "bad")) { error in
                XCTAssertEqual(error as? ProfileError, .malformedYAML(line: item.line, column: item.column,
                    reason: "a mapping key must be a word or a quoted string, got \(item.kind)"), item.yaml)
            }
        }
        XCTAssertEqual(ProfileError.malformedYAML(line: 1, column: 1, reason: "a mapping key must be a word or a quoted string, got a mapping").description,
                       "profile is not valid YAML: line 1, column 1: a mapping key must be a word or a quoted string, got a mapping")
    }

    func testErrorDescriptionListsOneIssuePerLine() {
        let error = ProfileError.invalid([issue("a", "x"), issue("b[1].c", "y")])
        XCTAssertEqual(error.description, "a: x\nb[1].c: y")
    }
}

extension ProfileValidationTests {
    /// Verification is on unless the profile says `verify: false`; anything but a boolean is refused.
    func testTLSVerifyOptOut() throws {
        let on = try RunPlan.load(yaml: base(extra: "target: {url: \"https://127.0.0.1:8443\"}"), name: "t")
        XCTAssertTrue(on.profile.target.tls.verify)
        let off = try RunPlan.load(yaml: base(extra: "target: {url: \"https://127.0.0.1:8443\", tls: {verify: false}}"), name: "t")
        XCTAssertFalse(off.profile.target.tls.verify)
        XCTAssertTrue(off.redactedJSON().contains("\"verify\" : false"), off.redactedJSON())
        XCTAssertEqual(ProfileFixtures.issues(base(extra: "target: {url: \"https://127.0.0.1:8443\", tls: {verify: maybe}}")).map(\.path),
                       ["target.tls.verify"])
    }
}
