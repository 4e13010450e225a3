@testable import Engine
import EventLoop
import Foundation
import Metrics
import TLS
import XCTest

/// estbench's own machine running out — descriptors (EMFILE, ENFILE), local ports (EADDRNOTAVAIL at
/// connect), a source address it lacks (EADDRNOTAVAIL at bind) — is counted as a connect_error
/// reason like any refused port, and each kind seen comes with one warning saying what to change.
final class ClientExhaustionTests: XCTestCase {
    let limits = ClientExhaustion.Limits(softFiles: 64, hardFiles: 64, systemFiles: 9_223_372, localPorts: 32768 ... 60999,
                                         sourceAddresses: 0, builtInServer: false)

    /// The operation's metrics after connect failures with these libuv codes (−errno on Linux), classified as the engine does.
    func metrics(_ failures: [(code: Int32, operation: UVOperation, times: Int)]) throws -> OperationMetrics {
        var metrics = OperationMetrics(name: "cacerts")
        let address = try SocketAddress(ip: "127.0.0.1", port: 8443)
        for failure in failures {
            for _ in 0 ..< failure.times {
                let (outcome, reason) = EngineDevice.failure(.transport(UVError(code: failure.code, operation: failure.operation)), address: address)
                metrics.record(stamps: OperationPhaseStamps(), outcome: outcome, reason: reason)
            }
        }
        return metrics
    }

    func testEachCodeIsAConnectErrorReasonWithTheCallTellingBindFromConnect() throws {
        let m = try metrics([(-EMFILE, .connect, 3), (-ENFILE, .connect, 1),
                             (-EADDRNOTAVAIL, .connect, 2), (-EADDRNOTAVAIL, .bind, 4)])
        XCTAssertEqual(m.outcomes.byKey, ["connect_error": 10])
        let reasons = Dictionary(uniqueKeysWithValues: m.reasons.ranked("connect_error").map { ($0.reason, $0.tally.count) })
        XCTAssertEqual(reasons, ["EMFILE": 3, "ENFILE": 1, "EADDRNOTAVAIL": 2, "EADDRNOTAVAIL (bind)": 4])
        let example = try XCTUnwrap(m.reasons.byOutcome["connect_error"]?["EADDRNOTAVAIL (bind)"]?.example)
        XCTAssertEqual(example, "127.0.0.1:8443: bind: address not available (EADDRNOTAVAIL)")
    }

    func testOneWarningPerKindWithTheCountsTheLimitsAndWhatToChange() throws {
        let m = try metrics([(-EMFILE, .connect, 3), (-ENFILE, .connect, 1),
                             (-EADDRNOTAVAIL, .connect, 2), (-EADDRNOTAVAIL, .bind, 4)])
        // Two operations' figures add up: one warning per kind, not per operation.
        let warnings = ClientExhaustion.warnings([m, m], limits: limits)
        XCTAssertEqual(warnings.count, 4, "\(warnings)")
        XCTAssertTrue(warnings[0].hasPrefix("out of file descriptors (EMFILE ×6): the open-file limit is 64 (hard 64)"), warnings[0])
        XCTAssertTrue(warnings[0].contains("lower the devices (devices.count, load.closed.devices, --devices) or raise the hard limit"), warnings[0])
        XCTAssertTrue(warnings[1].hasPrefix("the system is out of file descriptors (ENFILE ×2): fs.file-max is 9223372"), warnings[1])
        XCTAssertTrue(warnings[2].hasPrefix("out of local ports (EADDRNOTAVAIL ×4, e.g. 127.0.0.1:8443: connect: address not available (EADDRNOTAVAIL))"),
                      warnings[2])
        XCTAssertTrue(warnings[2].contains("are 28232 (net.ipv4.ip_local_port_range 32768 60999)"), warnings[2])
        XCTAssertTrue(warnings[2].contains("sourceAddresses: 127.0.0.2-127.0.0.64") && warnings[2].contains("--source-addresses; none now"), warnings[2])
        XCTAssertTrue(warnings[3].hasPrefix("a source address is not on this machine (EADDRNOTAVAIL at bind ×8"), warnings[3])
    }

    func testTheAdviceFollowsTheLimitsAndTheBuiltInServer() throws {
        let m = try metrics([(-EMFILE, .connect, 1)])
        var below = limits
        below.softFiles = 1024
        below.hardFiles = 4096
        below.builtInServer = true
        let warning = try XCTUnwrap(ClientExhaustion.warnings([m], limits: below).first)
        XCTAssertTrue(warning.contains("the open-file limit is 1024 (hard 4096)"), warning)
        XCTAssertTrue(warning.contains("raise the soft limit (ulimit -n 4096)"), warning)
        XCTAssertTrue(warning.contains("the built-in server's as many again") && warning.hasSuffix("or run `estbench serve` as its own process"), warning)
    }

    func testOtherConnectFailuresGetNoAdvice() throws {
        let m = try metrics([(-ECONNREFUSED, .connect, 5), (-ECONNRESET, .read, 2)])
        XCTAssertEqual(ClientExhaustion.warnings([m], limits: limits), [])
        XCTAssertEqual(ClientExhaustion.warnings([], limits: limits), [])
    }

    /// The machine's own figures are read where they exist (Linux /proc) and are sane.
    func testCurrentLimitsAreRead() {
        let current = ClientExhaustion.Limits.current(sourceAddresses: 3, builtInServer: false)
        XCTAssertEqual(current.softFiles, DescriptorLimit.current)
        XCTAssertGreaterThanOrEqual(current.hardFiles, current.softFiles)
        XCTAssertEqual(current.sourceAddresses, 3)
        #if os(Linux)
        let ports = try? XCTUnwrap(current.localPorts)
        XCTAssertTrue(ports.map { $0.lowerBound > 0 && $0.upperBound <= 65535 } ?? false, "\(String(describing: ports))")
        #endif
    }

    /// A source address this machine lacks (TEST-NET-1, RFC 5737) fails every connection at bind:
    /// counted as `EADDRNOTAVAIL (bind)`, said once in the warnings, and the run ends by itself.
    func testASourceAddressNotOnThisMachineIsNamedWithAdvice() throws {
        let fixture = try EngineFixture()
        defer { fixture.stop() }
        let run = try fixture.run("""
        sourceAddresses: 192.0.2.1
        devices: {count: 2}
        lifecycle: [{op: cacerts}]
        load: {closed: {devices: 2}}
        stop: {operations: 6, durationSeconds: 60}
        abort: off
        """)
        run.assertEveryFailureHasAReason()
        XCTAssertEqual(run.counters("cacerts"), ["connect_error": 6])
        XCTAssertEqual(run.reasons("cacerts", "connect_error"), ["EADDRNOTAVAIL (bind)": 6])
        let advice = run.outcome.warnings.filter { $0.hasPrefix("a source address is not on this machine (EADDRNOTAVAIL at bind ×6") }
        XCTAssertEqual(advice.count, 1, "\(run.outcome.warnings)")
    }
}
