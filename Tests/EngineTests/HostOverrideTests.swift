import Engine
import Foundation
import Metrics
import PKI
import Workload
import XCTest

/// `target.resolve` (curl-style `host:port:address`): a made-up host name reaches an in-process
/// server on 127.0.0.1, with SNI and certificate verification for the URL's name; bad entries are
/// refused with their path and what is allowed.
final class HostOverrideTests: XCTestCase {
    func testMadeUpNameResolvedToLoopbackReachesTheServer() throws {
        var options = CertificateAuthority.Options()
        options.serverDNSNames = ["est-a.test"]
        options.serverIPAddresses = []  // the certificate covers the name only: verification must use the URL's host
        let server = try EngineFixture(authorityOptions: options)
        defer { server.stop() }
        let port = server.server.port
        let plan = try Workload.RunPlan.load(yaml: """
        target:
          url: https://EST-A.test:\(port)
          resolve: ["est-a.test:\(port):127.0.0.1"]
          caBundle: \(server.bundlePath)
        devices:
          count: 2
        lifecycle:
          - op: simpleenroll
        load:
          closed:
            devices: 2
        stop:
          operations: 6
          durationSeconds: 60
        abort: off
        """, name: "resolve")
        let target = try RunTarget.resolving(plan.profile)
        XCTAssertEqual(target.address.description, "127.0.0.1:\(port)")
        XCTAssertEqual(target.serverName, "EST-A.test")
        XCTAssertEqual(target.hostField, "EST-A.test:\(port)")
        let outcome = try RunCoordinator(plan: plan, target: target, threads: 1) { _ in }.run()
        XCTAssertEqual(outcome.metrics["simpleenroll"]?.count, 6)
        XCTAssertEqual(outcome.metrics["simpleenroll"]?.outcomes[.success2xx], 6, "\(outcome.warnings)")
        XCTAssertTrue(plan.redactedJSON().contains("est-a.test:\(port):127.0.0.1"), "the plan keeps the entry")
    }

    func testEntriesAreValidated() {
        func issue(_ resolve: String, url: String = "https://est.test:8443") -> String {
            let yaml = "target: {url: \(url), resolve: [\(resolve)]}\ndevices: {count: 1}\nlifecycle: [{op: cacerts}]\nload: {closed: {devices: 1}}\nstop: {operations: 1}"
            do {
                _ = try Workload.RunPlan.load(yaml: yaml, name: "p")
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(issue("\"est.test:8443:[::1]\""), "accepted")
        for (every, expected) in [("0", "target.resolveEverySeconds: must be greater than 0"), ("soon", "target.resolveEverySeconds: expected a number")] {
            let yaml = "target: {url: https://est.test, resolveEverySeconds: \(every)}\ndevices: {count: 1}\nlifecycle: [{op: cacerts}]\nload: {closed: {devices: 1}}\nstop: {operations: 1}"
            XCTAssertThrowsError(try Workload.RunPlan.load(yaml: yaml, name: "p")) { XCTAssertTrue("\($0)".contains(expected), "\($0)") }
        }
        let builtIn = "target: {resolveEverySeconds: 5}\ndevices: {count: 1}\nlifecycle: [{op: cacerts}]\nload: {closed: {devices: 1}}\nstop: {operations: 1}"
        XCTAssertThrowsError(try Workload.RunPlan.load(yaml: builtIn, name: "p")) { XCTAssertTrue("\($0)".contains("applies to target.url"), "\($0)") }
        XCTAssertEqual(issue("\"est.test:443:10.0.0.7\"", url: "https://est.test"), "accepted")
        for (entry, expected) in [
            ("\"est.test:8443\"", "has no address"),
            ("\"est.test:0:127.0.0.1\"", "not 1-65535"),
            ("\"est.test:8443:::1\"", "IPv6 address without brackets"),
            ("\"est.test:8443:[::1\"", "unclosed"),
            ("\"est.test:8443:somehost\"", "not an IPv4 address"),
            ("\"other.test:8443:127.0.0.1\"", "which no target URL uses (they use est.test:8443)"),
            ("\"est.test:443:127.0.0.1\"", "which no target URL uses"),
            ("\"est.test:8443:127.0.0.1\", \"EST.test:8443:127.0.0.2\"", "already resolved by an earlier entry"),
        ] {
            let text = issue(entry)
            XCTAssertTrue(text.contains("target.resolve[") && text.contains(expected), "\(entry): \(text)")
        }
    }
}
