import Foundation
import XCTest

/// Each fault mode of `estbench serve`, at fraction 1, produces exactly its fault — seen by curl and
/// the openssl command — and the operations it was not configured for are unaffected.
final class ServeFaultTests: ServeTestCase {
    func enroll(_ server: ServeProcess, name: String) throws -> (code: Int, headers: String, body: Data, exit: Int32) {
        try curl(server, "simpleenroll", post: try makeCSR(name))
    }

    func certificatePublicKey(ofCertsOnlyBase64 body: Data) throws -> Data? {
        guard let der = Data(base64Encoded: body, options: .ignoreUnknownCharacters) else { return nil }
        try der.write(to: URL(fileURLWithPath: path("f.p7")))
        guard try tool(["openssl", "pkcs7", "-inform", "DER", "-in", path("f.p7"), "-print_certs", "-out", path("f.pem")]).status == 0 else {
            return nil
        }
        return try tool(["openssl", "x509", "-in", path("f.pem"), "-noout", "-pubkey"]).stdout
    }

    func testEachFaultProducesItsFaultAndNothingElse() throws {
        let faults = ["202:7", "401", "500", "503", "delay:300", "close", "reset", "bad-base64", "wrong-content-type",
                      "truncated-pkcs7", "wrong-key", "retry-after-date", "401-no-challenge", "201", "extra-status-header", "cte",
                      "chunked", "trailing-nul"]
        for fault in faults {
            let s = try ServeProcess(["--fault", "simpleenroll:\(fault)=1"])
            defer { s.stop() }
            let started = Date()
            let r = try enroll(s, name: "dev")
            let elapsed = Date().timeIntervalSince(started)
            let body = String(decoding: r.body, as: UTF8.self)
            switch fault {
            case "202:7":
                XCTAssertEqual(r.code, 202)
                XCTAssertTrue(r.headers.contains("Retry-After: 7"), r.headers)
            case "401":
                XCTAssertEqual(r.code, 401)
                XCTAssertTrue(r.headers.contains("WWW-Authenticate: Basic"), r.headers)
            case "500": XCTAssertEqual(r.code, 500)
            case "503":
                XCTAssertEqual(r.code, 503)
                XCTAssertTrue(r.headers.contains("Retry-After"), r.headers)
            case "delay:300":
                XCTAssertEqual(r.code, 200)
                XCTAssertGreaterThanOrEqual(elapsed, 0.3)
                XCTAssertNotNil(try certificatePublicKey(ofCertsOnlyBase64: r.body))
            case "close":
                XCTAssertNotEqual(r.exit, 0, "curl sees a truncated response")
                XCTAssertTrue(r.code == 200 || r.code == 0)
                XCTAssertNil(try certificatePublicKey(ofCertsOnlyBase64: r.body), "no whole certificate arrives")
            case "reset":
                XCTAssertEqual(r.exit, 56, "curl: failure receiving (connection reset)")
                XCTAssertEqual(r.code, 0)
            case "bad-base64":
                XCTAssertEqual(r.code, 200)
                XCTAssertTrue(body.contains("*!*"), body)
            case "wrong-content-type":
                XCTAssertEqual(r.code, 200)
                XCTAssertTrue(r.headers.contains("Content-Type: text/html"), r.headers)
                XCTAssertNotNil(try certificatePublicKey(ofCertsOnlyBase64: r.body), "the body itself is intact")
            case "truncated-pkcs7":
                XCTAssertEqual(r.code, 200)
                XCTAssertNotNil(Data(base64Encoded: r.body, options: .ignoreUnknownCharacters), "valid base64")
                XCTAssertNil(try certificatePublicKey(ofCertsOnlyBase64: r.body), "but not a whole PKCS#7")
            case "wrong-key":
                XCTAssertEqual(r.code, 200)
                let issued = try XCTUnwrap(try certificatePublicKey(ofCertsOnlyBase64: r.body))
                let requested = try tool(["openssl", "pkey", "-in", path("dev.key"), "-pubout"]).stdout
                XCTAssertNotEqual(issued, requested)
                XCTAssertTrue(String(decoding: try tool(["openssl", "x509", "-in", path("f.pem"), "-noout", "-subject"]).stdout, as: UTF8.self).contains("CN = dev"))
            case "retry-after-date":
                XCTAssertEqual(r.code, 202)
                XCTAssertNotNil(r.headers.range(of: #"Retry-After: [A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT"#,
                                                options: .regularExpression), r.headers)
            case "401-no-challenge":
                XCTAssertEqual(r.code, 401)
                XCTAssertFalse(r.headers.lowercased().contains("www-authenticate"), r.headers)
            case "201":
                XCTAssertEqual(r.code, 201)
                XCTAssertNotNil(try certificatePublicKey(ofCertsOnlyBase64: r.body))
            case "extra-status-header", "cte", "chunked":
                let field = ["extra-status-header": "Status: 200 OK", "cte": "Content-Transfer-Encoding: base64",
                             "chunked": "Transfer-Encoding: chunked"][fault]!
                XCTAssertEqual(r.code, 200)
                XCTAssertTrue(r.headers.contains(field), r.headers)
                XCTAssertNotNil(try certificatePublicKey(ofCertsOnlyBase64: r.body))
            case "trailing-nul":
                XCTAssertEqual(r.code, 200)
                XCTAssertEqual(r.body.last, 0)
            default: XCTFail(fault)
            }
            // Only simpleenroll was configured: cacerts is untouched.
            XCTAssertEqual(try curl(s, "cacerts").code, 200, fault)
        }
    }

    func testFaultFractionsAndBadSpecs() throws {
        let s = try ServeProcess(["--fault", "cacerts:503=0.5", "--fault-seed", "7"])
        defer { s.stop() }
        var codes: [Int] = []
        for _ in 0..<40 { codes.append(try curl(s, "cacerts").code) }
        let unavailable = codes.filter { $0 == 503 }.count
        XCTAssertTrue((8...32).contains(unavailable), "about half: \(unavailable) of 40")
        XCTAssertEqual(codes.filter { $0 == 200 }.count + unavailable, 40)
        for (spec, message) in [("cacerts:418=0.5", "unknown fault"), ("enroll:503=1", "unknown operation"),
                                ("cacerts:503=2", "from 0 to 1"), ("cacerts:503", "OPERATION:FAULT=FRACTION"),
                                ("simpleenroll:=1", "unknown fault")] {
            let r = try runEstbench(["serve", "--listen", "127.0.0.1:0", "--duration", "5", "--fault", spec])
            XCTAssertEqual(r.status, 2, spec)
            XCTAssertTrue(r.stderr.contains(message), "\(spec): \(r.stderr)")
        }
    }

    /// On exit serve tells, per operation, the requests and the faults it injected — only those that
    /// changed a response (wrong-key cannot touch cacerts) — as lines and in --stats-json.
    func testInjectedFaultsAreReportedOnExit() throws {
        let stats = path("stats.json")
        let s = try ServeProcess(["--fault", "cacerts:503=0.5", "--fault", "cacerts:wrong-key=0.5", "--fault-seed", "3",
                                  "--stats-json", stats])
        var unavailable = 0
        for _ in 0..<20 where try curl(s, "cacerts").code == 503 { unavailable += 1 }
        let output = s.stop()
        XCTAssertTrue(output.contains("estbench serve: cacerts: 20 request(s); injected 503 \(unavailable), wrong-key 0"), output)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: stats))) as? [String: Any]
        let cacerts = (json?["operations"] as? [String: Any])?["cacerts"] as? [String: Any]
        XCTAssertEqual(cacerts?["requests"] as? Int, 20)
        XCTAssertEqual(cacerts?["faults"] as? [String: Int], ["503": unavailable, "wrong-key": 0])
        XCTAssertEqual((json?["events"] as? [String: Int])?["fault"], unavailable)
    }

    /// A client that leaves while its response is delayed must not take the server down.
    func testClientLeavingDuringADelayedResponse() throws {
        // One thread: both delayed responses share one loop, whose timers fire in deadline order.
        let s = try ServeProcess(["--fault", "simpleenroll:delay:1500=1", "--threads", "1"])
        defer { s.stop() }
        let csr = try makeCSR("leaver")
        let r = try curl(s, "simpleenroll", post: csr, extra: ["--max-time", "0.4"])
        XCTAssertEqual(r.exit, 28, "curl timed out")
        // A second delayed enrollment, answered after the leaver's deadline has passed on the same loop.
        XCTAssertEqual(try curl(s, "simpleenroll", post: csr).code, 200, "served after the delayed response's client left")
        XCTAssertEqual(try curl(s, "cacerts").code, 200, "still serving")
        XCTAssertTrue(s.process.isRunning)
    }

    /// A fault drawn for a request that ends early (here at authentication) does not hit the next one.
    func testAFaultDoesNotLeakIntoTheNextRequest() throws {
        let s = try ServeProcess(["--auth", "basic", "--fault", "simpleenroll:close=1", "--threads", "1"],
                                 environment: ["ESTBENCH_USERS": "u:p"])
        defer { s.stop() }
        XCTAssertEqual(try curl(s, "simpleenroll", post: try makeCSR("d")).code, 401)
        let next = try curl(s, "cacerts")
        XCTAssertEqual(next.exit, 0)
        XCTAssertEqual(next.code, 200)
        XCTAssertNotNil(Data(base64Encoded: next.body, options: .ignoreUnknownCharacters))
    }
}
