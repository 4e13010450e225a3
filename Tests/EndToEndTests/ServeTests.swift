import Foundation
import TestSupport
import XCTest

/// `estbench serve` with third-party clients only (curl and the openssl command) on 127.0.0.1.
final class ServeTests: ServeTestCase {
    func testThirdPartyClientsEnrollReenrollAndMore() throws {
        let server = try ServeProcess(["--auth", "basic", "--intermediate"], environment: ["ESTBENCH_USERS": "device:s3cret"])
        defer { server.stop() }
        // cacerts: the chain parses with openssl pkcs7 -print_certs.
        let cacerts = try curl(server, "cacerts")
        XCTAssertEqual(cacerts.code, 200)
        XCTAssertTrue(cacerts.headers.lowercased().contains("content-type: application/pkcs7-mime"))
        let chainDER = try XCTUnwrap(Data(base64Encoded: cacerts.body, options: .ignoreUnknownCharacters))
        try chainDER.write(to: URL(fileURLWithPath: path("cacerts.p7")))
        let chain = try tool(["openssl", "pkcs7", "-inform", "DER", "-in", path("cacerts.p7"), "-print_certs", "-out", path("chain.pem")])
        XCTAssertEqual(chain.status, 0, chain.stderr)
        let chainText = try String(contentsOfFile: path("chain.pem"), encoding: .utf8)
        XCTAssertEqual(chainText.components(separatedBy: "BEGIN CERTIFICATE").count - 1, 2, "intermediate + root")

        // simpleenroll with Basic auth; the certificate verifies with openssl verify.
        let csr = try makeCSR("device-1")
        let enrolled = try curl(server, "simpleenroll", post: csr, extra: ["-u", "device:s3cret"])
        XCTAssertEqual(enrolled.code, 200, String(decoding: enrolled.body, as: UTF8.self))
        XCTAssertTrue(enrolled.headers.contains("application/pkcs7-mime; smime-type=certs-only"))
        try XCTUnwrap(Data(base64Encoded: enrolled.body, options: .ignoreUnknownCharacters)).write(to: URL(fileURLWithPath: path("issued.p7")))
        XCTAssertEqual(try tool(["openssl", "pkcs7", "-inform", "DER", "-in", path("issued.p7"), "-print_certs", "-out", path("device-1.pem")]).status, 0)
        let verify = try tool(["openssl", "verify", "-CAfile", server.bundle, "-untrusted", path("chain.pem"), path("device-1.pem")])
        XCTAssertEqual(verify.status, 0, verify.stderr + String(decoding: verify.stdout, as: UTF8.self))
        let text = String(decoding: try tool(["openssl", "x509", "-in", path("device-1.pem"), "-noout", "-subject", "-ext", "subjectAltName,extendedKeyUsage"]).stdout, as: UTF8.self)
        XCTAssertTrue(text.contains("CN = device-1") && text.contains("DNS:device-1.example") && text.contains("Client Authentication"), text)

        // Wrong password: 401 with a Basic challenge.
        let wrong = try curl(server, "simpleenroll", post: csr, extra: ["-u", "device:nope"])
        XCTAssertEqual(wrong.code, 401)
        XCTAssertTrue(wrong.headers.contains("WWW-Authenticate: Basic realm=\"estbench\""), wrong.headers)

        // Re-enrollment with the issued certificate as TLS client certificate; without it: 403.
        let renewed = try curl(server, "simplereenroll", post: csr, extra: ["--cert", path("device-1.pem"), "--key", path("device-1.key")])
        XCTAssertEqual(renewed.code, 200, String(decoding: renewed.body, as: UTF8.self))
        XCTAssertEqual(try curl(server, "simplereenroll", post: csr).code, 403)
        // Another subject than the certificate's: 403.
        let other = try makeCSR("device-2")
        XCTAssertEqual(try curl(server, "simplereenroll", post: other, extra: ["--cert", path("device-1.pem"), "--key", path("device-1.key")]).code, 403)

        // serverkeygen: the returned key matches the returned certificate.
        let generated = try curl(server, "serverkeygen", post: csr, extra: ["-u", "device:s3cret"])
        XCTAssertEqual(generated.code, 200)
        let parts = String(decoding: generated.body, as: UTF8.self).components(separatedBy: "--estbench-part")
        let keyPart = try XCTUnwrap(parts.first { $0.contains("application/pkcs8") })
        let certPart = try XCTUnwrap(parts.first { $0.contains("certs-only") })
        func payload(_ part: String) -> Data? {
            Data(base64Encoded: part.components(separatedBy: "\r\n\r\n").dropFirst().joined(), options: .ignoreUnknownCharacters)
        }
        try XCTUnwrap(payload(keyPart)).write(to: URL(fileURLWithPath: path("generated.key.der")))
        try XCTUnwrap(payload(certPart)).write(to: URL(fileURLWithPath: path("generated.p7")))
        XCTAssertEqual(try tool(["openssl", "pkcs7", "-inform", "DER", "-in", path("generated.p7"), "-print_certs", "-out", path("generated.pem")]).status, 0)
        let keyPub = try tool(["openssl", "pkey", "-inform", "DER", "-in", path("generated.key.der"), "-pubout"])
        let certPub = try tool(["openssl", "x509", "-in", path("generated.pem"), "-noout", "-pubkey"])
        XCTAssertEqual(keyPub.status, 0, keyPub.stderr)
        XCTAssertFalse(keyPub.stdout.isEmpty)
        XCTAssertEqual(keyPub.stdout, certPub.stdout)

        // csrattrs decodes with openssl asn1parse.
        let attrs = try curl(server, "csrattrs")
        XCTAssertEqual(attrs.code, 200)
        try XCTUnwrap(Data(base64Encoded: attrs.body, options: .ignoreUnknownCharacters)).write(to: URL(fileURLWithPath: path("attrs.der")))
        let parsed = try tool(["openssl", "asn1parse", "-inform", "DER", "-in", path("attrs.der")])
        XCTAssertEqual(parsed.status, 0)
        XCTAssertTrue(String(decoding: parsed.stdout, as: UTF8.self).contains("id-ecPublicKey"))

        let summary = server.stop()
        XCTAssertTrue(summary.contains("stopped") && summary.contains("issued 2"), summary)
    }

    /// Several serve processes started at once on one new --ca-dir (the way to hold more connections
    /// than one process's descriptor limit allows) all serve a certificate of the one CA in its
    /// cacerts.pem: curl trusting that bundle reaches every one of them.
    func testServersStartedTogetherOnOneNewCADirectoryShareItsCA() throws {
        let ca = path("shared-ca")
        let started = StartedServers(count: 3)
        DispatchQueue.concurrentPerform(iterations: started.count) { i in
            started.record(i, Result { try ServeProcess(["--threads", "1"], caDirectory: ca) })
        }
        let servers = started.servers
        defer { for server in servers { server.stop() } }
        XCTAssertEqual(started.failures, [])
        XCTAssertEqual(servers.count, started.count)
        for server in servers {
            XCTAssertEqual(server.bundle, ca + "/cacerts.pem")
            let answer = try curl(server, "cacerts")
            XCTAssertEqual(answer.code, 200, "port \(server.port): curl exit \(answer.exit)")
        }
    }

    func testLabelsAndCertificateAuthentication() throws {
        let server = try ServeProcess(["--auth", "cert", "--label", "devices"])
        defer { server.stop() }
        XCTAssertEqual(try curl(server, "devices/cacerts").code, 200)
        XCTAssertEqual(try curl(server, "printers/cacerts").code, 404)
        let csr = try makeCSR("device-7")
        XCTAssertEqual(try curl(server, "simpleenroll", post: csr).code, 403, "no client certificate")
        // A client certificate from this CA (signed with the root key by the openssl command).
        XCTAssertEqual(try tool(["openssl", "req", "-inform", "DER", "-in", path("device-7.der"), "-out", path("device-7.csr.pem")]).status, 0)
        let signed = try tool(["openssl", "x509", "-req", "-in", path("device-7.csr.pem"), "-CA", server.caDirectory + "/root.pem",
                               "-CAkey", server.caDirectory + "/root.key", "-CAcreateserial", "-out", path("client.pem"), "-days", "1"],
                              in: work)
        XCTAssertEqual(signed.status, 0, signed.stderr)
        let withCert = try curl(server, "devices/simpleenroll", post: csr, extra: ["--cert", path("client.pem"), "--key", path("device-7.key")])
        XCTAssertEqual(withCert.code, 200, String(decoding: withCert.body, as: UTF8.self))
    }

    func testCsrattrsIsConfigurable() throws {
        let none = try ServeProcess(["--csrattrs", "none"])
        XCTAssertEqual(try curl(none, "csrattrs").code, 204)
        none.stop()
        // SEQUENCE { challengePassword OID }, given as DER.
        let der: [UInt8] = [0x30, 0x0B, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x07]
        try Data(der).write(to: URL(fileURLWithPath: path("attrs.der")))
        let custom = try ServeProcess(["--csrattrs", path("attrs.der")])
        defer { custom.stop() }
        let r = try curl(custom, "csrattrs")
        XCTAssertEqual(r.code, 200)
        XCTAssertEqual(Data(base64Encoded: r.body, options: .ignoreUnknownCharacters), Data(der))
        try Data("not DER".utf8).write(to: URL(fileURLWithPath: path("bad.der")))
        let bad = try runEstbench(["serve", "--listen", "127.0.0.1:0", "--duration", "5", "--csrattrs", path("bad.der")])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("not a DER SEQUENCE"), bad.stderr)
    }

    /// Bad requests get their status and reason; none of them stops the server.
    func testBadRequestsAndSlowClients() throws {
        let server = try ServeProcess(["--request-timeout", "800"])
        defer { server.stop() }
        let csr = try makeCSR("device-3")
        XCTAssertEqual(try curl(server, "simpleenroll", post: csr, contentType: "text/plain").code, 415)
        try "!!!not base64!!!".write(toFile: path("garbage.b64"), atomically: true, encoding: .utf8)
        let garbage = try curl(server, "simpleenroll", post: path("garbage.b64"))
        XCTAssertEqual(garbage.code, 400)
        XCTAssertTrue(String(decoding: garbage.body, as: UTF8.self).contains("not base64"))
        // A CSR whose signature does not verify (one byte of the subject changed).
        var der = try Data(contentsOf: URL(fileURLWithPath: path("device-3.der")))
        if let i = der.firstRange(of: Data("device-3".utf8))?.lowerBound { der[i] = UInt8(ascii: "D") }
        try der.base64EncodedString().write(toFile: path("tampered.b64"), atomically: true, encoding: .utf8)
        let tampered = try curl(server, "simpleenroll", post: path("tampered.b64"))
        XCTAssertEqual(tampered.code, 400)
        XCTAssertTrue(String(decoding: tampered.body, as: UTF8.self).contains("does not verify") ||
                      String(decoding: tampered.body, as: UTF8.self).contains("signature"), String(decoding: tampered.body, as: UTF8.self))
        try Data(count: 200_000).write(to: URL(fileURLWithPath: path("huge.b64")))
        XCTAssertEqual(try curl(server, "simpleenroll", post: path("huge.b64")).code, 413)
        XCTAssertEqual(try curl(server, "enroll-me").code, 404)
        XCTAssertEqual(try curl(server, "cacerts", post: csr).code, 405)

        // A client that sends its headers one byte at a time is cut off; others are served meanwhile.
        // s_client prints the handshake summary ("Verify return code") once the TLS session is up, and
        // its input starts with a 0.5 s pause, so the slow bytes start only after it is connected.
        let slow = Process()
        slow.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        slow.arguments = ["sh", "-c", "(sleep 0.5; printf 'G'; sleep 0.4; printf 'E'; sleep 0.4; printf 'T'; sleep 0.4; printf ' /'; sleep 2) | "
                          + "openssl s_client -connect 127.0.0.1:\(server.port) -ign_eof -nocommands -CAfile \(server.bundle) 2>/dev/null; echo exit=$?"]
        let slowOutput = ProcessOutput(slow)
        let started = Date()
        try slow.run()
        terminateAfterDeadline(slow, seconds: 60)
        try slowOutput.waitForLine(containing: "Verify return code")
        XCTAssertEqual(try curl(server, "cacerts").code, 200, "served while a slow client is connected")
        let output = String(decoding: try slowOutput.waitForEnd().stdout, as: UTF8.self)
        slow.waitUntilExit()
        XCTAssertTrue(output.contains("exit="), output)
        XCTAssertFalse(output.contains("HTTP/1.1"), output)
        // Cut off by the server (800 ms request timeout): s_client ignores the end of its input and
        // would otherwise hang until the 60 s kill.
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        XCTAssertEqual(try curl(server, "cacerts").code, 200, "still serving")
        let summary = server.stop()
        XCTAssertTrue(summary.contains("requestTimeout 1"), summary)
    }
}

/// Servers started from several threads at once, each slot filled by its thread under the lock.
private final class StartedServers: @unchecked Sendable {
    let count: Int
    private let lock = NSLock()
    private var outcomes: [Result<ServeProcess, any Error>?]

    init(count: Int) {
        self.count = count
        outcomes = Array(repeating: nil, count: count)
    }

    func record(_ index: Int, _ outcome: Result<ServeProcess, any Error>) {
        lock.withLock { outcomes[index] = outcome }
    }

    var servers: [ServeProcess] {
        lock.withLock { outcomes.compactMap { try? $0?.get() } }
    }

    var failures: [String] {
        lock.withLock {
            outcomes.compactMap { outcome -> String? in
                guard case .failure(let error)? = outcome else { return nil }
                return "\(error)"
            }
        }
    }
}
