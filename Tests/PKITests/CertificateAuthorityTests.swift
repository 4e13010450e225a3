import COpenSSL
import DER
import Foundation
@testable import PKI
import XCTest

final class CertificateAuthorityTests: XCTestCase {
    /// For every CA key type, root → intermediate → server verifies with `openssl verify -x509_strict`
    /// (purpose sslserver for the server), and OpenSSL reads the CA and server flags we meant.
    func testChainVerifiesWithOpenSSLForEveryCAKeyType() throws {
        let dir = try makeTemporaryDirectory(self)
        for type in CertificateIssuerTests.caTypes {
            let ca = try CertificateIssuerTests.authority(type, intermediate: true)
            let intermediate = try XCTUnwrap(ca.intermediate)
            XCTAssertEqual(ca.issuingKey.type, type)
            XCTAssertEqual(ca.issuingCertificate, intermediate)
            XCTAssertEqual(ca.caCertificates, [intermediate, ca.root])
            XCTAssertEqual(ca.serverCertificateChain, [ca.serverCertificate, intermediate])
            XCTAssertEqual(try CertsOnly(der: ca.cacerts).certificates.map { Array($0) }, [intermediate, ca.root])

            for (name, cert, chain, purpose) in [("root", ca.root, nil, nil), ("intermediate", intermediate, nil, nil),
                                                 ("server", ca.serverCertificate, intermediate, "sslserver")] as [(String, [UInt8], [UInt8]?, String?)] {
                let r = try OpenSSLCommand.verify(cert, root: ca.root, intermediate: chain, purpose: purpose, in: dir)
                XCTAssertTrue(r.ok, "\(type) \(name): \(r.output)")
            }
            XCTAssertTrue(CertificateOracle.verify(ca.root, signedBy: ca.root), "\(type)")
            XCTAssertTrue(CertificateOracle.verify(intermediate, signedBy: ca.root), "\(type)")
            XCTAssertTrue(CertificateOracle.verify(ca.serverCertificate, signedBy: intermediate), "\(type)")

            for (name, cert) in [("root", ca.root), ("intermediate", intermediate)] {
                let usage = try XCTUnwrap(CertificateOracle.usage(cert))
                XCTAssertEqual(usage.isCA, 1, "\(type) \(name)")
                XCTAssertEqual(usage.keyUsage, UInt32(KU_KEY_CERT_SIGN | KU_CRL_SIGN), "\(type) \(name)")
                XCTAssertEqual(CertificateOracle.extensionValue(cert, nid: NID_basic_constraints)?.critical, true)
                XCTAssertEqual(CertificateOracle.extensionValue(cert, nid: NID_key_usage)?.critical, true)
                XCTAssertNotNil(CertificateOracle.keyIdentifiers(cert)?.subject)
            }
            XCTAssertEqual(CertificateOracle.withX509(intermediate) { X509_get_pathlen($0) }, 0, "\(type)")
            XCTAssertEqual(CertificateOracle.withX509(ca.root) { X509_get_pathlen($0) }, -1, "\(type): root without pathLen")
            XCTAssertEqual(CertificateOracle.keyIdentifiers(intermediate)?.authority, CertificateOracle.keyIdentifiers(ca.root)?.subject)

            let server = ca.serverCertificate
            let usage = try XCTUnwrap(CertificateOracle.usage(server))
            XCTAssertEqual(usage.isCA, 0)
            XCTAssertEqual(usage.extendedKeyUsage, UInt32(XKU_SSL_SERVER))
            XCTAssertEqual(usage.keyUsage, UInt32(KU_DIGITAL_SIGNATURE))
            XCTAssertEqual(CertificateOracle.withX509(server) { X509_check_host($0, "localhost", 9, 0, nil) }, 1)
            XCTAssertEqual(CertificateOracle.withX509(server) { X509_check_ip_asc($0, "127.0.0.1", 0) }, 1)
            XCTAssertEqual(CertificateOracle.withX509(server) { X509_check_ip_asc($0, "::1", 0) }, 1)
            XCTAssertEqual(CertificateOracle.withX509(server) { X509_check_host($0, "example.com", 11, 0, nil) }, 0)
            XCTAssertEqual(CertificateOracle.publicKeyInfo(server), ca.serverKey.publicKeyInfo)
        }
    }

    /// Root-only CA: the root issues the server certificate; names, addresses and key type as asked.
    func testRootOnlyWithChosenServerNames() throws {
        let dir = try makeTemporaryDirectory(self)
        var options = CertificateAuthority.Options()
        options.keyType = .ed25519
        options.serverKeyType = .rsa2048
        options.serverDNSNames = ["est.example", "localhost"]
        options.serverIPAddresses = ["10.1.2.3"]
        let ca = try CertificateAuthority(options: options)
        XCTAssertNil(ca.intermediate)
        XCTAssertEqual(ca.caCertificates, [ca.root])
        XCTAssertEqual(ca.serverCertificateChain, [ca.serverCertificate])
        XCTAssertEqual(ca.serverKey.type, .rsa2048)
        XCTAssertEqual(CertificateOracle.subjectLine(ca.serverCertificate), "/CN=est.example")
        XCTAssertEqual(CertificateOracle.usage(ca.serverCertificate)?.keyUsage, UInt32(KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT))
        XCTAssertEqual(CertificateOracle.withX509(ca.serverCertificate) { X509_check_host($0, "est.example", 11, 0, nil) }, 1)
        XCTAssertEqual(CertificateOracle.withX509(ca.serverCertificate) { X509_check_ip_asc($0, "10.1.2.3", 0) }, 1)
        XCTAssertEqual(CertificateOracle.withX509(ca.serverCertificate) { X509_check_ip_asc($0, "127.0.0.1", 0) }, 0)
        let r = try OpenSSLCommand.verify(ca.serverCertificate, root: ca.root, purpose: "sslserver", in: dir)
        XCTAssertTrue(r.ok, r.output)
    }

    func testOptionsAreChecked() {
        var options = CertificateAuthority.Options()
        options.serverIPAddresses = ["127.0.0.256"]
        XCTAssertThrowsError(try CertificateAuthority(options: options)) {
            XCTAssertEqual($0 as? PKIError, .invalidTemplate("\"127.0.0.256\" is not an IPv4 or IPv6 address"))
        }
        options = CertificateAuthority.Options()
        options.serverDNSNames = ["bücher.example"]
        XCTAssertThrowsError(try CertificateAuthority(options: options))
        options = CertificateAuthority.Options()
        options.serverDNSNames = []
        options.serverIPAddresses = []
        XCTAssertThrowsError(try CertificateAuthority(options: options))
    }

    /// Save and load: same certificates and keys, keys 0600 and certificates 0644, the keys readable
    /// by the `openssl` command, and the loaded CA issues certificates that chain to the saved root.
    func testSaveAndLoadRoundTrip() throws {
        let base = try makeTemporaryDirectory(self)
        for (type, intermediate) in [(KeyType.rsa2048, true), (.p384, false), (.ed25519, true)] {
            let ca = try CertificateIssuerTests.authority(type, intermediate: intermediate)
            let dir = base.appendingPathComponent("\(type)-\(intermediate ? "with-intermediate" : "root-only")").path
            try ca.save(to: dir)

            var expected = ["root.pem", "root.key", "server.pem", "server.key"]
            if intermediate { expected += ["intermediate.pem", "intermediate.key"] }
            XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir)), Set(expected))
            for name in expected {
                var st = stat()
                XCTAssertEqual(stat(dir + "/" + name, &st), 0)
                XCTAssertEqual(st.st_mode & 0o777, name.hasSuffix(".key") ? 0o600 : 0o644, name)
                if name.hasSuffix(".key") {
                    let r = try runTool(["openssl", "pkey", "-in", dir + "/" + name, "-noout"])
                    XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
                    XCTAssertTrue(try String(contentsOfFile: dir + "/" + name, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
                }
            }

            let loaded = try CertificateAuthority.load(from: dir)
            XCTAssertEqual(loaded.root, ca.root)
            XCTAssertEqual(loaded.intermediate, ca.intermediate)
            XCTAssertEqual(loaded.serverCertificate, ca.serverCertificate)
            XCTAssertEqual(loaded.cacerts, ca.cacerts)
            XCTAssertEqual(loaded.rootKey.publicKeyInfo, ca.rootKey.publicKeyInfo)
            XCTAssertEqual(loaded.issuingKey.publicKeyInfo, ca.issuingKey.publicKeyInfo)
            XCTAssertEqual(loaded.serverKey.publicKeyInfo, ca.serverKey.publicKeyInfo)
            XCTAssertEqual(loaded.issuingKey.type, ca.issuingKey.type)

            let leaf = Array(try loaded.makeIssuer().issue(csr: try DeviceCSR.make(.p256).der).certificate)
            let r = try OpenSSLCommand.verify(leaf, root: ca.root, intermediate: ca.intermediate, purpose: "sslclient", in: base)
            XCTAssertTrue(r.ok, r.output)
        }
        // Saving a root-only CA over one with an intermediate removes the intermediate's files.
        let dir = base.appendingPathComponent("rsa2048-with-intermediate").path
        let rootOnly = try CertificateIssuerTests.authority(.p256)
        try rootOnly.save(to: dir)
        XCTAssertNil(try CertificateAuthority.load(from: dir).intermediate)
        XCTAssertEqual(try CertificateAuthority.load(from: dir).root, rootOnly.root)
    }

    /// Each way a CA directory can be wrong names the file.
    func testLoadErrorsNameTheFile() throws {
        let base = try makeTemporaryDirectory(self)
        let dir = base.appendingPathComponent("ca").path
        try CertificateIssuerTests.authority(.p256, intermediate: true).save(to: dir)
        func load() -> CertificateAuthorityError? {
            do {
                _ = try CertificateAuthority.load(from: dir)
                return nil
            } catch {
                return error
            }
        }
        XCTAssertNil(load())

        let missing = base.appendingPathComponent("nowhere").path
        XCTAssertThrowsError(try CertificateAuthority.load(from: missing)) {
            guard case .cannotRead(let path, _)? = $0 as? CertificateAuthorityError else { return XCTFail("\($0)") }
            XCTAssertEqual(path, missing + "/root.pem")
        }

        let serverKey = try Data(contentsOf: URL(fileURLWithPath: dir + "/server.key"))
        let rootKey = try Data(contentsOf: URL(fileURLWithPath: dir + "/root.key"))
        try serverKey.write(to: URL(fileURLWithPath: dir + "/root.key"))
        XCTAssertEqual(load(), .keyMismatch(keyPath: dir + "/root.key", certificatePath: dir + "/root.pem"))
        try rootKey.write(to: URL(fileURLWithPath: dir + "/root.key"))

        try FileManager.default.moveItem(atPath: dir + "/intermediate.key", toPath: dir + "/kept.key")
        XCTAssertEqual(load(), .incompletePair(present: dir + "/intermediate.pem", missing: dir + "/intermediate.key"))
        try FileManager.default.moveItem(atPath: dir + "/kept.key", toPath: dir + "/intermediate.key")

        let serverPEM = try Data(contentsOf: URL(fileURLWithPath: dir + "/server.pem"))
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: dir + "/server.pem"))
        XCTAssertEqual(load(), .noCertificate(path: dir + "/server.pem"))
        try Data(PEM.encode([0x30, 0x03, 0x02, 0x01, 0x01], label: "CERTIFICATE").utf8).write(to: URL(fileURLWithPath: dir + "/server.pem"))
        guard case .malformedCertificate(let path, _)? = load() else { return XCTFail("malformed certificate accepted") }
        XCTAssertEqual(path, dir + "/server.pem")
        try serverPEM.write(to: URL(fileURLWithPath: dir + "/server.pem"))

        try Data("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".utf8).write(to: URL(fileURLWithPath: dir + "/server.key"))
        guard case .unreadableKey(let keyPath, _)? = load() else { return XCTFail("garbage key accepted") }
        XCTAssertEqual(keyPath, dir + "/server.key")
        try serverKey.write(to: URL(fileURLWithPath: dir + "/server.key"))
        XCTAssertNil(load())

        // Keys stay 0600: a key others may read (or write) is refused before it is used.
        for mode: mode_t in [0o644, 0o640, 0o602] {
            XCTAssertEqual(chmod(dir + "/intermediate.key", mode), 0)
            XCTAssertEqual(load(), .keyExposed(path: dir + "/intermediate.key", mode: UInt32(mode)))
            XCTAssertTrue(load()?.description.contains("chmod 600") == true, "\(load().map { "\($0)" } ?? "")")
        }
        XCTAssertEqual(chmod(dir + "/intermediate.key", 0o600), 0)
        XCTAssertNil(load())
    }

    /// Callers started together on one new directory (as several `serve --ca-dir` processes are) get
    /// one CA: exactly one creates it, the others load what it saved, and a later call loads it too.
    /// Each caller opens the lock file itself, so they contend as separate processes would (flock
    /// locks belong to the open file, not the process).
    func testLoadOrCreateGivesConcurrentCallersOneCA() throws {
        let dir = try makeTemporaryDirectory(self).appendingPathComponent("shared-ca").path
        let callers = 6
        let outcomes = Locked<[Result<(root: [UInt8], created: Bool), CertificateAuthorityError>]>([])
        DispatchQueue.concurrentPerform(iterations: callers) { _ in
            let outcome = Result { () throws(CertificateAuthorityError) -> (root: [UInt8], created: Bool) in
                let (authority, created) = try CertificateAuthority.loadOrCreate(in: dir, options: .init())
                return (authority.root, created)
            }
            outcomes.withLock { $0.append(outcome) }
        }
        let results = try outcomes.withLock { $0 }.map { try $0.get() }
        XCTAssertEqual(results.count, callers)
        XCTAssertEqual(results.filter(\.created).count, 1, "exactly one caller creates the CA")
        let saved = try CertificateAuthority.load(from: dir)
        for result in results { XCTAssertEqual(result.root, saved.root) }
        let again = try CertificateAuthority.loadOrCreate(in: dir, options: .init())
        XCTAssertFalse(again.created)
        XCTAssertEqual(again.authority.serverCertificate, saved.serverCertificate)
        // A complete CA saved without the lock (by `save`) is only read: no lock file is made there.
        let readOnly = try makeTemporaryDirectory(self).appendingPathComponent("saved-ca").path
        try CertificateAuthority().save(to: readOnly)
        let loaded = try CertificateAuthority.loadOrCreate(in: readOnly, options: .init())
        XCTAssertFalse(loaded.created)
        XCTAssertEqual(loaded.authority.root, try CertificateAuthority.load(from: readOnly).root)
        XCTAssertFalse(FileManager.default.fileExists(atPath: readOnly + "/.lock"))

        // Options that cannot make a CA are one error naming why; nothing is left behind.
        var bad = CertificateAuthority.Options()
        bad.serverDNSNames = []
        bad.serverIPAddresses = []
        let empty = try makeTemporaryDirectory(self).appendingPathComponent("bad-ca").path
        XCTAssertThrowsError(try CertificateAuthority.loadOrCreate(in: empty, options: bad)) {
            guard case .cannotCreate? = $0 as? CertificateAuthorityError else { return XCTFail("\($0)") }
            XCTAssertTrue("\($0)".hasPrefix("cannot create the CA: "), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: empty + "/root.pem"))
    }
}
