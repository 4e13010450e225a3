@testable import Engine
import EventLoop
import Foundation
import Metrics
import PKI
import Server
import Workload
import XCTest

/// `target.resolveEverySeconds`: a name's addresses are looked up again at the interval (failures
/// keep those known), and new connections spread over every address — here two in-process servers
/// on 127.0.0.1 and 127.0.0.2 at one port, as one name behind round-robin DNS.
final class AddressRefreshTests: XCTestCase {
    func testRefresherPublishesChangesAndKeepsAddressesOnFailure() throws {
        let one = [try SocketAddress(ip: "127.0.0.1", port: 8443)]
        let two = [try SocketAddress(ip: "127.0.0.1", port: 8443), try SocketAddress(ip: "127.0.0.2", port: 8443)]
        let shared = TargetAddresses(host: "est.test", port: 8443, addresses: one)
        XCTAssertFalse(shared.publish(one), "the same list is no change")
        XCTAssertEqual(shared.generation, 0)
        let calls = Counter()
        let refresher = AddressRefresher(targets: [shared], intervalNs: 10_000_000) { host, port throws(ResolutionError) in
            XCTAssertEqual(host, "est.test")
            XCTAssertEqual(port, 8443)
            let n = calls.next()
            if n == 1 { throw ResolutionError(host: host, reason: "SERVFAIL") }
            return n == 0 ? two : one
        }
        refresher.start()
        let deadline = Date().addingTimeInterval(5)
        while refresher.tally.lookups < 4 && Date() < deadline { usleep(5_000) }
        refresher.stop()
        let tally = refresher.tally
        XCTAssertGreaterThanOrEqual(tally.lookups, 4)
        XCTAssertEqual(tally.failures, 1)
        XCTAssertEqual(tally.firstFailure, "cannot resolve host \"est.test\": SERVFAIL")
        XCTAssertEqual(tally.changes, 2, "one → two (the failure keeps two) → one")
        XCTAssertEqual(shared.snapshot().addresses.map(\.description), ["127.0.0.1:8443"])
        XCTAssertEqual(shared.generation, 2)
    }

    func testNewConnectionsSpreadOverEveryAddress() throws {
        let a = try EngineFixture()
        let port = a.server.port
        let b = try EngineFixture(listen: try SocketAddress(ip: "127.0.0.2", port: port))
        defer {
            a.stop()
            b.stop()
        }
        let bundle = try a.file("both.pem", PEM.encode(a.authority.root, label: "CERTIFICATE") + PEM.encode(b.authority.root, label: "CERTIFICATE"))
        let plan = try Workload.RunPlan.load(yaml: """
        target:
          url: https://localhost:\(port)
          resolveEverySeconds: 60
          caBundle: \(bundle)
        devices:
          count: 4
        lifecycle:
          - op: simpleenroll
        connection:
          newPerOperation: true
        load:
          closed:
            devices: 4
        stop:
          operations: 16
          durationSeconds: 60
        abort: off
        """, name: "refresh")
        var target = try RunTarget.resolving(plan.profile)
        // As if localhost had two A records (the machine's resolver may know one only).
        target.refreshedHost = ("localhost", [try SocketAddress(ip: "127.0.0.1", port: port), try SocketAddress(ip: "127.0.0.2", port: port)])
        let outcome = try RunCoordinator(plan: plan, target: target, threads: 1) { _ in }.run()
        XCTAssertEqual(outcome.metrics["simpleenroll"]?.outcomes[.success2xx], 16, "\(outcome.warnings)")
        let served = [a.server.counts[.request] ?? 0, b.server.counts[.request] ?? 0]
        XCTAssertEqual(served.reduce(0, +), 16)
        XCTAssertEqual(served[0], 8, "round-robin over the two addresses: \(served)")
    }
}

/// A call counter shared with a resolver closure on the refresher's thread.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
