import Foundation
import Glibc
import TestSupport
import XCTest

/// `estbench serve` against hostile clients (the adversarial probe's findings, kept as tests):
/// descriptor exhaustion, a connection cap, a pipelining client that never reads, a port in use,
/// and requests a real server must answer correctly. 127.0.0.1 only, bounded counts and times.
final class ServeSiegeTests: ServeTestCase {
    /// Held past serve's descriptor limit (with a cap above it, so accept4 meets EMFILE): the server
    /// stops accepting instead of spinning, answers once the connections close, and stops on SIGTERM.
    func testOutOfDescriptorsPausesAcceptingAndRecovers() throws {
        let server = try ServeProcess(["--max-connections", "5000"], descriptorLimit: 256)
        var held = HeldConnections()
        defer { held.closeAll() }
        held.open(port: server.port, count: 600)
        Thread.sleep(forTimeInterval: 1)
        // Two workers spinning in accept4 would burn about a core each; a paused server burns almost nothing.
        let before = cpuSeconds(server.process.processIdentifier)
        Thread.sleep(forTimeInterval: 3)
        let used = cpuSeconds(server.process.processIdentifier) - before
        XCTAssertLessThan(used, 2.0, "serve used \(used) s of CPU in 3 s while out of descriptors")
        held.closeAll()
        XCTAssertEqual(try curlUntilAnswered(server), 200, "answers once the connections closed")
        let started = Date()
        let summary = server.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "SIGTERM ends it")
        XCTAssertTrue(summary.contains("estbench serve: stopped"), summary)
        XCTAssertTrue(summary.contains("request 1"), summary)
    }

    /// At --max-connections the server stops accepting (new clients wait in the kernel's queue)
    /// and takes them again as connections close.
    func testConnectionCapStopsAcceptingUntilConnectionsClose() throws {
        let server = try ServeProcess(["--max-connections", "16"])
        var held = HeldConnections()
        defer { held.closeAll() }
        held.open(port: server.port, count: 40)
        Thread.sleep(forTimeInterval: 1)
        let waiting = try curl(server, "cacerts", extra: ["--max-time", "3"])
        XCTAssertNotEqual(waiting.code, 200, "a client over the cap is not served while the cap is held")
        held.closeAll()
        XCTAssertEqual(try curlUntilAnswered(server), 200)
        let summary = server.stop()
        XCTAssertTrue(summary.contains("connectionCap"), summary)
    }

    /// A client that pipelines megabytes of requests and never reads its answers: the server stops
    /// reading it (its memory stays flat) and cuts it off after --drain-timeout.
    func testClientThatDoesNotReadIsCutOffWithBoundedMemory() throws {
        let server = try ServeProcess(["--drain-timeout", "1000"], environment: smallQuarantine)
        let pid = server.process.processIdentifier
        let rssBefore = rssKiB(pid)
        let script = """
        import socket, ssl, sys
        ctx = ssl.create_default_context(cafile=sys.argv[2])
        s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))), server_hostname="127.0.0.1")
        s.settimeout(60)
        chunk = b"GET /.well-known/est/cacerts HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n" * 2000
        sent = 0
        try:
            while sent < (64 << 20):
                s.sendall(chunk)
                sent += len(chunk)
            print("sent all", sent)
        except (OSError, ssl.SSLError) as e:
            print("cut after", sent, type(e).__name__)
        """
        let r = try tool(["python3", "-c", script, String(server.port), server.bundle])
        let output = String(decoding: r.stdout, as: UTF8.self)
        XCTAssertTrue(output.hasPrefix("cut after"), output + r.stderr)
        let grown = rssKiB(pid) - rssBefore
        XCTAssertLessThan(grown, 64 * 1024, "serve grew by \(grown) KiB for one client that does not read")
        XCTAssertEqual(try curl(server, "cacerts").code, 200, "still serving")
        let summary = server.stop()
        XCTAssertTrue(summary.contains("drainTimeout 1"), summary)
    }

    /// A second serve on a port in use fails ("address already in use") instead of silently
    /// sharing it; with --reuse-port on both it starts.
    func testASecondServeOnAUsedPortFailsUnlessReusePort() throws {
        let first = try ServeProcess()
        let second = try runEstbench(["serve", "--listen", "127.0.0.1:\(first.port)", "--threads", "1", "--duration", "1"])
        XCTAssertNotEqual(second.status, 0, second.stdout)
        XCTAssertTrue(second.stderr.contains("address already in use"), second.stderr)
        first.stop()

        let shared = try ServeProcess(["--reuse-port"])
        defer { shared.stop() }
        let joined = try runEstbench(["serve", "--listen", "127.0.0.1:\(shared.port)", "--threads", "1", "--duration", "1", "--reuse-port"])
        XCTAssertEqual(joined.status, 0, joined.stderr)
        XCTAssertTrue(joined.stdout.contains("port shared"), joined.stdout)
    }

    /// RFC 9110 §15.6.2: an unknown method is 501; RFC 9112 §3.2.2: an absolute-form target is
    /// served; a 404 does not echo the client's path.
    func testUnknownMethodAbsoluteTargetAndQuiet404() throws {
        let server = try ServeProcess()
        defer { server.stop() }
        XCTAssertEqual(try curl(server, "cacerts", extra: ["-X", "BREW"]).code, 501)
        XCTAssertEqual(try curl(server, "cacerts", extra: ["-X", "PUT"]).code, 405)
        XCTAssertEqual(try curl(server, "cacerts", extra: ["--request-target", server.url("cacerts")]).code, 200)
        XCTAssertEqual(try curl(server, "cacerts", extra: ["--request-target", "HTTPS://127.0.0.1/.well-known/est/cacerts"]).code, 200)
        let long = String(repeating: "x", count: 10_000)
        let notFound = try curl(server, long)
        XCTAssertEqual(notFound.code, 404)
        let body = String(decoding: notFound.body, as: UTF8.self)
        XCTAssertFalse(body.contains("xxxxxxxx"), body)
        XCTAssertLessThan(notFound.body.count, 300, body)
        let unknownLabel = try curl(server, "cacerts", label: String(repeating: "y", count: 2_000))
        XCTAssertEqual(unknownLabel.code, 404)
        XCTAssertFalse(String(decoding: unknownLabel.body, as: UTF8.self).contains("yyyyyyyy"))
    }

    /// RFC 9110 §10.1.1: a client asking `Expect: 100-continue` gets `100 Continue` before it sends
    /// its body (curl told to wait 30 s for it but give up after 10: without the 100 it times out), and
    /// a body declared over --max-body-bytes gets its 413 at once, without a 100.
    func testExpectContinueIsAnsweredBeforeTheBody() throws {
        let server = try ServeProcess(["--max-body-bytes", "4096"])
        defer { server.stop() }
        let csr = try makeCSR("continue")
        let big = path("big.b64")
        try String(repeating: "QUFB", count: 2048).write(toFile: big, atomically: true, encoding: .utf8)
        for (file, expected, interim) in [(csr, 200, true), (big, 413, false)] {
            let headers = path("headers-\(UUID().uuidString)")
            let r = try tool(["curl", "-s", "-o", "/dev/null", "-D", headers, "-w", "%{http_code}", "--cacert", server.bundle,
                              "-H", "Content-Type: application/pkcs10", "-H", "Expect: 100-continue", "--expect100-timeout", "30",
                              "--max-time", "10", "--data-binary", "@\(file)", server.url("simpleenroll")])
            let h = (try? String(contentsOfFile: headers, encoding: .utf8)) ?? ""
            XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), String(expected), "curl exit \(r.status): \(h)")
            XCTAssertEqual(h.contains("HTTP/1.1 100 Continue"), interim, h)
        }
        let summary = server.stop()
        XCTAssertTrue(summary.contains("continued 1"), summary)
        XCTAssertTrue(summary.contains("bodyTooLarge 1"), summary)
    }

    // MARK: helpers

    /// curl until the server answers (it may still be taking the closed connections off its queue).
    private func curlUntilAnswered(_ server: ServeProcess, seconds: TimeInterval = 60) throws -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        var code = 0
        repeat {
            code = try curl(server, "cacerts", extra: ["--max-time", "10"]).code
            if code == 200 { return code }
            Thread.sleep(forTimeInterval: 0.5)
        } while Date() < deadline
        return code
    }

    private func curl(_ server: ServeProcess, _ operation: String, label: String, extra: [String] = []) throws
        -> (code: Int, headers: String, body: Data, exit: Int32) {
        let headers = path("headers-\(UUID().uuidString)")
        let r = try tool(["curl", "-s", "-o", "-", "-D", headers, "--cacert", server.bundle, "--max-time", "60"]
                         + extra + [server.url(operation, label: label)])
        let h = (try? String(contentsOfFile: headers, encoding: .utf8)) ?? ""
        return (h.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0, h, r.stdout, r.status)
    }
}

/// Under .ci/sanitize, ASan's quarantine would hold every freed buffer: serve's environment keeps it
/// small so that its RSS means memory in use.
let smallQuarantine = ["ASAN_OPTIONS": (ProcessInfo.processInfo.environment["ASAN_OPTIONS"].map { $0 + ":" } ?? "") + "quarantine_size_mb=8"]

/// Plain TCP connections opened and held by the test (non-blocking connects: past the server's
/// accept queue a blocking connect would wait for SYN retries).
struct HeldConnections {
    private(set) var descriptors: [Int32] = []

    mutating func open(port: UInt16, count: Int) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { break }
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            descriptors.append(fd)
        }
    }

    mutating func closeAll() {
        for fd in descriptors { Glibc.close(fd) }
        descriptors = []
    }
}

/// User + system CPU seconds of a process (/proc/PID/stat fields 14 and 15).
func cpuSeconds(_ pid: Int32) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // After the command: field 3 is at index 0, so utime (14) and stime (15) are at 11 and 12.
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// Resident set size of a process in KiB (/proc/PID/status VmRSS).
func rssKiB(_ pid: Int32) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
    return line.split(separator: " ").compactMap { Int($0) }.first ?? 0
}
