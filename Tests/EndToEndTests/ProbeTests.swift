import Foundation
import TestSupport
import XCTest

/// `estbench probe` against `openssl s_server -www` on 127.0.0.1: the real binary, a third-party server.
final class ProbeTests: XCTestCase {
    func testProbePrintsPhasesForEachRequest() throws {
        let server = try OpenSSLServer()
        defer { server.stop() }
        let r = try runEstbench(["probe", "https://127.0.0.1:\(server.port)/", "--cacert", server.certificateFile,
                             "--count", "3", "--new-connection-each"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let lines = r.stdout.split(separator: "\n").filter { $0.hasPrefix("#") }
        XCTAssertEqual(lines.count, 3, r.stdout)
        for line in lines {
            XCTAssertTrue(line.contains(" 200 "), String(line))
            for phase in ["connect", "tls", "first byte", "complete", "total", "TLSv1.3"] {
                XCTAssertTrue(line.contains(phase), "\(phase) missing in \(line)")
            }
        }
        XCTAssertTrue(r.stdout.contains("3 answered [200×3], 0 failed"), r.stdout)
    }

    func testResumptionWithTickets() throws {
        let server = try OpenSSLServer()
        defer { server.stop() }
        for version in ["--tls1.2", "--tls1.3"] {
            let r = try runEstbench(["probe", "https://localhost:\(server.port)/", "--cacert", server.certificateFile,
                                 "--count", "3", "--resume", "tickets", version])
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
            XCTAssertTrue(r.stdout.contains("3 handshake(s)") && r.stdout.contains("2 resumed"), "\(version): \(r.stdout)")
        }
        let off = try runEstbench(["probe", "https://localhost:\(server.port)/", "--cacert", server.certificateFile, "--count", "2"])
        XCTAssertTrue(off.stdout.contains("0 resumed"), off.stdout)
    }

    /// Verification is on by default: a self-signed server fails without --cacert, passes with --insecure.
    func testVerificationIsOnUnlessOptedOut() throws {
        let server = try OpenSSLServer()
        defer { server.stop() }
        let r = try runEstbench(["probe", "https://127.0.0.1:\(server.port)/", "--count", "1"])
        XCTAssertEqual(r.status, 3, "a TLS failure: the target could not be reached")
        XCTAssertTrue(r.stdout.contains("certificate verification failed"), r.stdout)
        let insecure = try runEstbench(["probe", "https://127.0.0.1:\(server.port)/", "--count", "1", "--insecure"])
        XCTAssertEqual(insecure.status, 0, insecure.stdout)
    }

    func testBadInput() throws {
        let cases: [([String], String)] = [
            (["probe", "http://127.0.0.1:1/"], "must start with https://"),
            (["probe", "https://127.0.0.1:99999/"], "not 1-65535"),
            (["probe", "https://127.0.0.1:1/", "--count", "0"], "allowed: 1...100000"),
            (["probe", "https://127.0.0.1:1/", "--tls1.2", "--tls1.3"], "exclude each other"),
            (["probe", "https://127.0.0.1:1/", "--cert", "/nonexistent.pem"], "--cert and --key go together"),
            (["probe", "https://127.0.0.1:1/", "--resume", "always"], "one of 'off', 'tickets' or 'ids'"),
            (["probe", "https://127.0.0.1:1/", "--cacert", "/nonexistent.pem"], "cannot read it"),
        ]
        for (arguments, expected) in cases {
            let r = try runEstbench(arguments)
            XCTAssertEqual(r.status, 2, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expected), "\(arguments): \(r.stderr)")
        }
    }
}
