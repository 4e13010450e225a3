@testable import Engine
import EST
import Foundation
import Metrics
import PKI
import Server
import TLS
import EventLoop
import Workload
import XCTest

/// Every failed operation carries its reason, counted per class with one example: HTTP statuses by
/// their status line, protocol deviations by what was wrong, validation failures by the check,
/// connection failures by errno name, TLS failures by the verify result or alert.
final class FailureReasonTests: XCTestCase {
    func testServerFaultsArriveWithTheirReasons() throws {
        let server = try EngineFixture(faults: ["cacerts:503=1", "simpleenroll:close=0.5", "simpleenroll:bad-base64=0.5"])
        let run = try server.run("""
        devices: {count: 2}
        lifecycle: [{op: cacerts}, {op: simpleenroll}]
        load: {closed: {devices: 2}}
        stop: {operations: 40, durationSeconds: 120}
        """)
        run.assertEveryFailureHasAReason()
        // The budget of 40 is shared by two devices: one may run an operation more than the other.
        XCTAssertEqual(run.count("cacerts") + run.count("simpleenroll"), 40)
        XCTAssertEqual(run.reasons("cacerts", "5xx"), ["503 Service Unavailable": run.count("cacerts")])
        let deviations = run.reasons("simpleenroll", "protocol_deviation")
        let invalid = run.reasons("simpleenroll", "validation_failure:base64")
        XCTAssertEqual(Array(deviations.keys), ["body truncated"], "a close mid-body is a truncated body")
        XCTAssertEqual(Array(invalid.keys), ["not base64"])
        XCTAssertEqual(deviations.values.reduce(0, +) + invalid.values.reduce(0, +), run.count("simpleenroll"))
        let example = run.outcome.metrics["simpleenroll"]?.reasons.ranked("protocol_deviation").first?.tally.example ?? ""
        XCTAssertTrue(example.contains("connection closed after"), example)
    }

    /// A server whose certificate the client does not trust: the verify result is the reason, and
    /// the class is a verification failure, not a generic handshake failure.
    func testAnUntrustedServerIsAVerificationFailureWithOpenSSLsReason() throws {
        let server = try EngineFixture()
        let stranger = try CertificateAuthority()
        let bundle = try server.file("stranger.pem", PEM.encode(stranger.root, label: "CERTIFICATE"))
        let plan = try RunPlan.load(yaml: """
        target: {url: "https://127.0.0.1:\(server.server.port)", caBundle: \(bundle)}
        devices: {count: 2}
        lifecycle: [{op: cacerts}]
        load: {closed: {devices: 2}}
        stop: {operations: 4, durationSeconds: 60}
        """, name: "untrusted")
        let outcome = try RunCoordinator(plan: plan, target: try RunTarget.resolving(plan.profile), threads: 1) { _ in }.run()
        let run = EngineFixture.Run(outcome: outcome, wallSeconds: 0)
        run.assertEveryFailureHasAReason()
        XCTAssertEqual(run.counters("cacerts"), ["tls_error:verify": 4])
        let reason = try XCTUnwrap(run.reasons("cacerts", "tls_error:verify").keys.first)
        XCTAssertTrue(reason.contains("self-signed certificate") || reason.contains("unable to get local issuer certificate"), reason)
    }
}

/// Every operation's answer is validated end to end against the built-in server: all six
/// operations succeed, and the fullcmc and serverkeygen answers were really checked.
final class AllOperationsTests: XCTestCase {
    func testEverySixOperationsSucceedAgainstTheBuiltInServer() throws {
        let server = try EngineFixture()
        let run = try server.run("""
        devices: {count: 1}
        lifecycle: [{op: cacerts}, {op: csrattrs}, {op: simpleenroll}, {op: simplereenroll}, {op: serverkeygen}, {op: fullcmc}]
        load: {closed: {devices: 1}}
        stop: {operations: 24, durationSeconds: 120}
        """)
        for op in ["cacerts", "csrattrs", "simpleenroll", "simplereenroll", "serverkeygen", "fullcmc"] {
            XCTAssertEqual(run.counters(op), ["2xx": 4], op)
        }
        XCTAssertEqual(run.outcome.findings.keys.sorted(), [], "the built-in server deviates from nothing")
    }

    /// A CA that refuses a fullcmc request answers 200 with a failure status inside the Full PKI
    /// Response (here: the server requires channel binding, the client does not bind): a failure
    /// with the CA's words as its example, never a success.
    func testAFailedCMCStatusIsAValidationFailure() throws {
        let server = try EngineFixture(channelBinding: true)
        let run = try server.run("""
        devices: {count: 1}
        lifecycle: [{op: fullcmc}]
        load: {closed: {devices: 1}}
        stop: {operations: 3, durationSeconds: 120}
        """)
        run.assertEveryFailureHasAReason()
        XCTAssertEqual(run.counters("fullcmc"), ["validation_failure:cmc": 3])
        let example = run.outcome.metrics["fullcmc"]?.reasons.ranked("validation_failure:cmc").first?.tally.example ?? ""
        XCTAssertTrue(example.contains("fullcmc status 2") && example.contains("channel binding"), example)
    }
}

/// Connection failures sorted into their classes with a reason: a failure of an established
/// session (an alert or a bad record after the handshake) is never a handshake failure.
final class ConnectionFailureClassTests: XCTestCase {
    func classify(_ error: TLSConnectionError) -> (String, String)? {
        let (outcome, reason) = EngineDevice.failure(error, address: try! SocketAddress(ip: "127.0.0.1", port: 8443))
        return (outcome.key, reason.key)
    }

    func testEachFailureLandsInItsClassWithItsReason() {
        XCTAssertEqual(classify(.transport(UVError(code: -111, operation: .connect)))?.0, "connect_error")
        XCTAssertEqual(classify(.transport(UVError(code: -111, operation: .connect)))?.1, "ECONNREFUSED")
        XCTAssertEqual(classify(.transport(UVError(code: -104, operation: .read)))?.1, "ECONNRESET")
        XCTAssertEqual(classify(.tls(.certificateVerification(code: 20, reason: "unable to get local issuer certificate")))?.0, "tls_error:verify")
        XCTAssertEqual(classify(.tls(.certificateVerification(code: 20, reason: "unable to get local issuer certificate")))?.1,
                       "unable to get local issuer certificate")
        XCTAssertEqual(classify(.tls(.handshake(errors: [], alertSent: nil, alertReceived: TLSAlert(code: 70))))?.0, "tls_error:protocol_version")
        XCTAssertEqual(classify(.tls(.handshake(errors: ["x"], alertSent: nil, alertReceived: nil)))?.0, "tls_error:handshake")
        XCTAssertEqual(classify(.closedDuringHandshake)?.0, "tls_error:handshake")
        // After the handshake: the established session's failure, by its alert or as "session".
        XCTAssertEqual(classify(.tls(.alertReceived(TLSAlert(code: 116), errors: [])))?.0, "tls_error:certificate_required")
        XCTAssertEqual(classify(.tls(.alertReceived(TLSAlert(code: 116), errors: [])))?.1, "alert after the handshake: certificate_required")
        XCTAssertEqual(classify(.tls(.protocolFailure(errors: ["bad record mac"], alertSent: TLSAlert(code: 20))))?.0, "tls_error:session")
        XCTAssertEqual(classify(.tls(.unexpectedEOF))?.0, "tls_error:session")
    }
}
