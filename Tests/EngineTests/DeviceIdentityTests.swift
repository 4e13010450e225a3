import Engine
import Foundation
import PKI
import Server
import Workload
import XCTest

/// Per-device identities and credentials against the in-process server: factory certificates minted
/// from a bootstrap CA (accepted through the server's client CAs), per-device pairs from a
/// directory, and one Basic user per device.
final class DeviceIdentityTests: XCTestCase {
    static let enrollTwice = """
    devices:
      count: 3
      csr:
        commonName: "dev-{i}"
        sanDNS: ["dev-{i}.example"]
    lifecycle:
      - op: simpleenroll
      - op: simplereenroll
    load:
      closed:
        devices: 3
    stop:
      operations: 12
      durationSeconds: 60
    abort: off
    """

    /// A factory CA's certificate and key as PEM files in the fixture's folder.
    private func factoryFiles(_ fixture: EngineFixture, _ factory: CertificateAuthority) throws -> (certificate: String, key: String) {
        let certificate = try fixture.file("factory.pem", PEM.encode(factory.root, label: "CERTIFICATE"))
        let key = try fixture.file("factory.key", PEM.encode(try factory.issuingKey.pkcs8(), label: "PRIVATE KEY"))
        return (certificate, key)
    }

    func testFactoryMintedIdentitiesAreAcceptedThroughTheServersClientCA() throws {
        let factory = try CertificateAuthority()
        let fixture = try EngineFixture(authentication: .cert, clientCAs: [factory.root])
        defer { fixture.stop() }
        let files = try factoryFiles(fixture, factory)
        let run = try fixture.run(Self.enrollTwice, target: "  bootstrap: {caCertificate: \(files.certificate), caKey: \(files.key), validityDays: 30}")
        XCTAssertGreaterThanOrEqual(run.counters("simpleenroll")["2xx"] ?? 0, 3, "\(run.counters("simpleenroll"))")
        XCTAssertGreaterThan(run.counters("simplereenroll")["2xx"] ?? 0, 0, "\(run.counters("simplereenroll"))")
        for op in ["simpleenroll", "simplereenroll"] {
            XCTAssertEqual(run.counters(op).filter { $0.key != "2xx" }.values.reduce(0, +), 0, "\(op): \(run.counters(op))")
        }
    }

    func testFactoryIdentitiesAreRefusedWithoutTheClientCA() throws {
        let factory = try CertificateAuthority()
        let fixture = try EngineFixture(authentication: .cert)
        defer { fixture.stop() }
        let files = try factoryFiles(fixture, factory)
        let run = try fixture.run(Self.enrollTwice.replacingOccurrences(of: "operations: 12", with: "operations: 3"),
                                  target: "  bootstrap: {caCertificate: \(files.certificate), caKey: \(files.key)}")
        XCTAssertEqual(run.counters("simpleenroll")["2xx"] ?? 0, 0, "\(run.counters("simpleenroll"))")
        XCTAssertGreaterThan(run.count("simpleenroll"), 0)
        run.assertEveryFailureHasAReason()
    }

    func testFactoryCertificatesCarryTheDeviceKeySubjectAndIssuer() throws {
        let factory = try CertificateAuthority()
        let pool = try PoolGenerator.generateDevices(keyType: .p256, template: try CSRTemplate(commonName: "dev-{i}", sanDNS: ["dev-{i}.example"]),
                                                     count: 5, threads: 2)
        let certificates = try FactoryCertificates.mint(csrs: pool.csrs[...], caCertificate: factory.root, caKey: factory.issuingKey,
                                                        validityDays: 10, threads: 2)
        XCTAssertEqual(certificates.count, 5)
        let rootView = try CertificateView(der: factory.root[...])
        for (i, der) in certificates.enumerated() {
            let view = try CertificateView(der: der[...])
            let csr = try CSRView(der: pool.csrs[i])
            XCTAssertEqual(Array(view.subject), Array(csr.subject), "device \(i)")
            XCTAssertEqual(Array(view.issuer), Array(rootView.subject), "device \(i)")
            XCTAssertTrue(try pool.keys[i].isKey(ofCertificate: der), "device \(i)")
            XCTAssertNotNil(view.subjectAltName, "device \(i)")
        }
    }

    func testPerDeviceIdentitiesFromADirectory() throws {
        let factory = try CertificateAuthority()
        let fixture = try EngineFixture(authentication: .cert, clientCAs: [factory.root])
        defer { fixture.stop() }
        let directory = fixture.directory.appendingPathComponent("devices").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The factory keys are not the enrollment keys: each device has its own pair on disk.
        let factoryPool = try PoolGenerator.generateDevices(keyType: .p256, template: try CSRTemplate(commonName: "idevid-{i}", sanDNS: []),
                                                            count: 3, threads: 1)
        let certificates = try FactoryCertificates.mint(csrs: factoryPool.csrs[...], caCertificate: factory.root, caKey: factory.issuingKey,
                                                        validityDays: 10, threads: 1)
        for i in 0..<3 {
            try PEM.encode(certificates[i], label: "CERTIFICATE").write(toFile: "\(directory)/device-\(i).pem", atomically: true, encoding: .utf8)
            try PEM.encode(try factoryPool.keys[i].pkcs8(), label: "PRIVATE KEY").write(toFile: "\(directory)/device-\(i).key", atomically: true, encoding: .utf8)
        }
        let run = try fixture.run(Self.enrollTwice, target: "  bootstrap: {directory: \(directory)}")
        XCTAssertGreaterThanOrEqual(run.counters("simpleenroll")["2xx"] ?? 0, 3, "\(run.counters("simpleenroll"))")
        XCTAssertEqual(run.counters("simpleenroll").filter { $0.key != "2xx" }.values.reduce(0, +), 0, "\(run.counters("simpleenroll"))")

        // A device without its pair is named before anything runs.
        try FileManager.default.removeItem(atPath: "\(directory)/device-2.key")
        XCTAssertThrowsError(try fixture.run(Self.enrollTwice, target: "  bootstrap: {directory: \(directory)}")) { error in
            XCTAssertTrue("\(error)".contains("device-2.key"), "\(error)")
        }
    }

    func testPerDeviceBasicCredentialsFromAFileOfLines() throws {
        var users: [String: String] = [:]
        for i in 0..<3 { users["dev-\(i)"] = "secret-\(i)-pw" }
        let fixture = try EngineFixture(authentication: .basic, users: users)
        defer { fixture.stop() }
        let passwords = try fixture.file("passwords", (0..<3).map { "secret-\($0)-pw" }.joined(separator: "\n") + "\n")
        let profile = Self.enrollTwice.replacingOccurrences(of: "  - op: simplereenroll\n", with: "")
            .replacingOccurrences(of: "operations: 12", with: "operations: 6")
        let credentials = "  credentials:\n    basic: {user: \"dev-{i}\", passwordFile: \(passwords)}"
        let run = try fixture.run(profile, target: credentials)
        XCTAssertGreaterThanOrEqual(run.counters("simpleenroll")["2xx"] ?? 0, 6, "\(run.counters("simpleenroll"))")
        XCTAssertEqual(run.counters("simpleenroll")["401"] ?? 0, 0)

        // The plan as written to result.json names where the passwords live, never what they are.
        let plan = try RunPlan.load(yaml: fixture.target + "\n" + credentials + "\n" + profile, name: "redacted")
        let json = plan.redactedJSON()
        XCTAssertTrue(json.contains("dev-{i}"), json)
        XCTAssertFalse(json.contains("secret-"), json)

        // One wrong line: that device (and only it) is refused.
        let wrong = try fixture.file("wrong", "secret-0-pw\nnot-it\nsecret-2-pw\n")
        let refused = try fixture.run(profile, target: "  credentials:\n    basic: {user: \"dev-{i}\", passwordFile: \(wrong)}")
        XCTAssertGreaterThan(refused.counters("simpleenroll")["401"] ?? 0, 0, "\(refused.counters("simpleenroll"))")
        XCTAssertGreaterThan(refused.counters("simpleenroll")["2xx"] ?? 0, 0, "\(refused.counters("simpleenroll"))")

        // Too few lines for the devices: refused before anything runs, without a password in the message.
        let short = try fixture.file("short", "secret-0-pw\nsecret-1-pw\n")
        XCTAssertThrowsError(try fixture.run(profile, target: "  credentials:\n    basic: {user: \"dev-{i}\", passwordFile: \(short)}")) { error in
            XCTAssertTrue("\(error)".contains("2 password line(s); 3 device(s)"), "\(error)")
            XCTAssertFalse("\(error)".contains("secret-"), "\(error)")
        }
    }
}
