import Foundation
import XCTest

/// The real `estbench` binary, run as a user would: exit codes, messages, files, and what third-party
/// tools make of its output.
final class CLITests: XCTestCase {
    @discardableResult
    func run(_ arguments: [String], tool: URL? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        try runEstbench(arguments, tool: tool)
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testPoolGenerateThenInspectGivesAVerifiableCSR() throws {
        let dir = try temporaryDirectory()
        let pool = dir.appendingPathComponent("devices.pool").path
        let generated = try run(["pool", "generate", "--key", "p256", "--count", "30", "--out", pool, "--threads", "2",
                                 "--cn", "device-{i:03}", "--san-dns", "{i}.devices.example", "--o", "Example"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        XCTAssertTrue(generated.stdout.contains("30 p256 CSRs"), generated.stdout)
        XCTAssertTrue(generated.stdout.contains("thread 1:"), generated.stdout)
        let attributes = try FileManager.default.attributesOfItem(atPath: pool)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)

        let inspected = try run(["pool", "inspect", pool, "--index", "12", "--load"])
        XCTAssertEqual(inspected.status, 0, inspected.stderr)
        XCTAssertTrue(inspected.stdout.contains("key type: p256"), inspected.stdout)
        XCTAssertTrue(inspected.stdout.contains("entries: 30"), inspected.stdout)
        XCTAssertTrue(inspected.stdout.contains("every key matches its CSR"), inspected.stdout)
        guard let begin = inspected.stdout.range(of: "-----BEGIN CERTIFICATE REQUEST-----") else {
            return XCTFail("no PEM in \(inspected.stdout)")
        }
        let pem = dir.appendingPathComponent("entry12.pem")
        try String(inspected.stdout[begin.lowerBound...]).write(to: pem, atomically: true, encoding: .utf8)
        let verified = try run(["req", "-in", pem.path, "-noout", "-verify", "-subject"],
                               tool: URL(fileURLWithPath: "/usr/bin/openssl").standardized)
        XCTAssertEqual(verified.status, 0, verified.stderr)
        XCTAssertTrue((verified.stdout + verified.stderr).contains("verify OK"))
        XCTAssertTrue(verified.stdout.contains("CN = device-012"), verified.stdout)
    }

    /// Bad input: exit code 2 and one line that names the problem and what is allowed; nothing written.
    func testBadInputExitsTwoWithOneClearLine() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("x.pool").path
        let cases: [([String], String)] = [
            (["pool", "generate", "--key", "p999", "--count", "1", "--out", out], "p256"),
            (["pool", "generate", "--count", "0", "--out", out], "allowed: 1..."),
            (["pool", "generate", "--count", "5", "--out", dir.appendingPathComponent("no/such/dir.pool").path], "cannot write"),
            (["pool", "generate", "--count", "5", "--out", out, "--cn", "dev-{x}"], "allowed placeholders"),
            (["pool", "generate", "--count", "5", "--out", out, "--san-ip", "1.2.3"], "not an IPv4 or IPv6 address"),
            (["pool", "inspect", dir.appendingPathComponent("missing.pool").path], "cannot read pool file"),
            (["bench", "csr", "--rounds", "0"], "allowed: 1...100"),
            (["bench", "csr", "--key", "dsa"], "ed25519"),
            (["bench", "csr", "--key", "p256", "--rsa-keygen"], "--rsa-keygen needs RSA in --key; allowed with: rsa2048, all"),
            (["bench", "calibrate", "--pairs", "0"], "--pairs 0 is out of range; allowed: 1...20"),
            (["bench", "calibrate", "--mode", "h3"], "keepalive"),
            (["serve", "--capacity", "0"], "capacity 0 is out of range; allowed: 1...1000000 requests per second"),
            (["serve", "--capacity", "100", "--capacity-queue=-1"], "capacity queue -1 is out of range; allowed: 0...10000000 waiting requests"),
            (["serve", "--capacity-queue", "10"], "--capacity-queue needs --capacity N"),
            (["serve", "--max-body-bytes", "10"], "--max-body-bytes 10 is out of range; allowed: 1024...67108864"),
            (["serve", "--max-header-bytes", "2000000"], "--max-header-bytes 2000000 is out of range; allowed: 1024...1048576"),
            (["serve", "--handshake-timeout", "0"], "--handshake-timeout, --idle-timeout and --request-timeout take 1...3600000 milliseconds"),
        ]
        for (arguments, expected) in cases {
            let r = try run(arguments)
            XCTAssertEqual(r.status, 2, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expected), "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("estbench: error:") || r.stderr.hasPrefix("Error:"), r.stderr)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "nothing half-written")
    }

    func testInspectRejectsAnotherVersion() throws {
        let dir = try temporaryDirectory()
        let pool = dir.appendingPathComponent("a.pool").path
        XCTAssertEqual(try run(["pool", "generate", "--count", "2", "--out", pool]).status, 0)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: pool))
        bytes[9] = 2
        try bytes.write(to: URL(fileURLWithPath: pool))
        let r = try run(["pool", "inspect", pool])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("version 2 is not supported; this estbench reads version 1"), r.stderr)
    }

    /// `--json` gives one document with every row's fields (figures from a debug build mean nothing;
    /// the shape is what is checked here).
    func testBenchJSONHasEveryRow() throws {
        let r = try run(["bench", "pkcs7", "--rounds", "1", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let document = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(document?["benchmark"] as? String, "pkcs7")
        let rows = document?["rows"] as? [[String: Any]] ?? []
        XCTAssertEqual(rows.map { $0["name"] as? String }, ["openssl-EVP_DecodeUpdate", "base64-decode", "openssl-d2i_PKCS7", "der-certs-only-match"])
        for row in rows {
            for field in ["keyType", "opsPerSecond", "nsPerOp", "ratio", "ratioP25", "ratioP75", "baseline"] { XCTAssertNotNil(row[field], field) }
            XCTAssertGreaterThan(row["opsPerSecond"] as? Double ?? 0, 0)
            // The spread brackets the median (a baseline row: 1, 1, 1).
            let p25 = row["ratioP25"] as? Double ?? -1, ratio = row["ratio"] as? Double ?? -1, p75 = row["ratioP75"] as? Double ?? -1
            XCTAssertTrue(0 < p25 && p25 <= ratio && ratio <= p75, "\(p25) \(ratio) \(p75)")
        }
        XCTAssertEqual(rows.last?["baseline"] as? String, "openssl-d2i_PKCS7")
        // Progress on standard error, stdout left to the document: a line as it starts, one as it ends.
        let progress = r.stderr.split(separator: "\n")
        XCTAssertEqual(progress.first, "bench pkcs7: p256 …", r.stderr)
        XCTAssertTrue(progress.last?.hasPrefix("bench pkcs7: p256 done in ") == true, r.stderr)
    }
}
