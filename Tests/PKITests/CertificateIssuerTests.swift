import COpenSSL
import DER
import Foundation
@testable import PKI
import XCTest

final class CertificateIssuerTests: XCTestCase {
    static let caTypes: [KeyType] = [.p256, .p384, .rsa2048, .ed25519]
    static let deviceTypes: [KeyType] = [.p256, .p384, .rsa2048, .ed25519]

    static func authority(_ type: KeyType, intermediate: Bool = false) throws -> CertificateAuthority {
        var options = CertificateAuthority.Options()
        options.keyType = type
        options.intermediate = intermediate
        return try CertificateAuthority(options: options)
    }

    /// Every CA key type × device key type: the issued certificate verifies under OpenSSL
    /// (`X509_verify` with the CA key, and `openssl verify -x509_strict -purpose sslclient` once per
    /// CA type), is v3, carries the CSR's subject, SAN and public key, clientAuth, the key usage for
    /// its key type, key identifiers, and the configured validity.
    func testIssuedCertificatesForEveryCAAndDeviceKeyType() throws {
        let dir = try makeTemporaryDirectory(self)
        let stranger = try CertificateIssuerTests.authority(.p256)
        for caType in CertificateIssuerTests.caTypes {
            let ca = try CertificateIssuerTests.authority(caType)
            let issuer = try ca.makeIssuer(validityDays: 45)
            XCTAssertEqual(issuer.validityDays, 45)
            let caKeyIdentifier = try XCTUnwrap(CertificateOracle.keyIdentifiers(ca.root)?.subject)
            for deviceType in CertificateIssuerTests.deviceTypes {
                let what = "CA \(caType), device \(deviceType)"
                let (csr, key) = try DeviceCSR.make(deviceType)
                let request = try CSRView(der: csr)
                let before = Int(time(nil))
                let issued = try issuer.issue(csr: csr)
                let after = Int(time(nil))
                let cert = issued.certificate

                XCTAssertEqual(issued.keyType, deviceType, what)
                XCTAssertEqual(try CertsOnly(der: issued.certsOnly).certificates.map { Array($0) }, [Array(cert)], what)
                XCTAssertTrue(CertificateOracle.verify(cert, signedBy: ca.root), what)
                XCTAssertFalse(CertificateOracle.verify(cert, signedBy: stranger.root), "\(what): verifies under another CA")
                XCTAssertEqual(CertificateOracle.version(cert), 2, what)
                XCTAssertEqual(CertificateOracle.subjectLine(cert), "/CN=device-7", what)
                XCTAssertEqual(CertificateOracle.issuerLine(cert), CertificateOracle.subjectLine(ca.root), what)
                XCTAssertEqual(Array(try CertificateView(der: cert).subject), Array(request.subject), what)
                XCTAssertEqual(CertificateOracle.publicKeyInfo(cert), key.publicKeyInfo, what)

                let requestedSAN = try XCTUnwrap(try request.requestedExtensions().first { $0.oid == OIDs.subjectAltName })
                let san = try XCTUnwrap(CertificateOracle.extensionValue(cert, nid: NID_subject_alt_name), what)
                XCTAssertEqual(san.value, Array(requestedSAN.value), what)
                XCTAssertFalse(san.critical, what)

                let usage = try XCTUnwrap(CertificateOracle.usage(cert), what)
                XCTAssertEqual(usage.extendedKeyUsage, UInt32(XKU_SSL_CLIENT), what)
                let expectedUsage = deviceType.isRSA ? UInt32(KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT) : UInt32(KU_DIGITAL_SIGNATURE)
                XCTAssertEqual(usage.keyUsage, expectedUsage, what)
                XCTAssertEqual(usage.isCA, 0, what)
                XCTAssertEqual(usage.flags & UInt32(EXFLAG_INVALID), 0, what)
                XCTAssertEqual(CertificateOracle.extensionValue(cert, nid: NID_basic_constraints)?.critical, true, what)
                XCTAssertEqual(CertificateOracle.extensionValue(cert, nid: NID_key_usage)?.critical, true, what)
                XCTAssertEqual(CertificateOracle.extensionValue(cert, nid: NID_ext_key_usage)?.critical, false, what)

                let identifiers = try XCTUnwrap(CertificateOracle.keyIdentifiers(cert), what)
                XCTAssertEqual(identifiers.subject, CertificateOracle.keyBitsSHA1(cert), what)
                XCTAssertEqual(identifiers.authority, caKeyIdentifier, what)

                let validity = try XCTUnwrap(CertificateOracle.validity(cert), what)
                XCTAssertTrue((before - 300...after - 300).contains(validity.notBefore), "\(what): notBefore \(validity.notBefore)")
                XCTAssertEqual(validity.notAfter - validity.notBefore, 45 * 86_400 + 300, what)

                let serial = try XCTUnwrap(CertificateOracle.serial(cert), what)
                XCTAssertEqual(serial.bytes, Array(issued.serialNumber), what)
                XCTAssertFalse(serial.negative, what)
                XCTAssertLessThanOrEqual(serial.bytes.count, 20, what)
            }
            let (csr, _) = try DeviceCSR.make(.p256)
            let leaf = Array(try issuer.issue(csr: csr).certificate)
            let strict = try OpenSSLCommand.verify(leaf, root: ca.root, purpose: "sslclient", in: dir)
            XCTAssertTrue(strict.ok, "CA \(caType): \(strict.output)")
            let wrongPurpose = try OpenSSLCommand.verify(leaf, root: ca.root, purpose: "sslserver", in: dir)
            XCTAssertFalse(wrongPurpose.ok, "CA \(caType): a client certificate passed as a TLS server")
        }
    }

    /// Through an intermediate: the certificate chains to the root only with the intermediate.
    func testIssuedThroughIntermediateVerifiesAsAChain() throws {
        let dir = try makeTemporaryDirectory(self)
        for caType in CertificateIssuerTests.caTypes {
            let ca = try CertificateIssuerTests.authority(caType, intermediate: true)
            let intermediate = try XCTUnwrap(ca.intermediate)
            let leaf = Array(try ca.makeIssuer().issue(csr: try DeviceCSR.make(.ed25519).der).certificate)
            XCTAssertTrue(CertificateOracle.verify(leaf, signedBy: intermediate), "\(caType)")
            XCTAssertEqual(CertificateOracle.issuerLine(leaf), CertificateOracle.subjectLine(intermediate))
            let chained = try OpenSSLCommand.verify(leaf, root: ca.root, intermediate: intermediate, purpose: "sslclient", in: dir)
            XCTAssertTrue(chained.ok, "\(caType): \(chained.output)")
            let alone = try OpenSSLCommand.verify(leaf, root: ca.root, in: dir)
            XCTAssertFalse(alone.ok, "\(caType): verified without its intermediate")
        }
    }

    /// 1000 issues from one issuer: 1000 distinct positive 16-octet serials; a second issuer shares none.
    func testSerialNumbersAreUniqueAcross1000Issues() throws {
        let ca = try CertificateIssuerTests.authority(.p256)
        let csr = try DeviceCSR.make(.p256).der
        var seen = Set<[UInt8]>()
        for issuer in [try ca.makeIssuer(), try ca.makeIssuer()] {
            for _ in 0..<1000 {
                let serial = Array(try issuer.issue(csr: csr).serialNumber)
                XCTAssertEqual(serial.count, 16)
                XCTAssertTrue((0x40...0x7F).contains(serial[0]), "positive and minimal: \(serial[0])")
                seen.insert(serial)
            }
        }
        XCTAssertEqual(seen.count, 2000)
    }

    func testSubjectOverrideReplacesTheRequestedSubject() throws {
        let ca = try CertificateIssuerTests.authority(.p256)
        let issuer = try ca.makeIssuer()
        let (csr, key) = try DeviceCSR.make(.p256)
        let renewed = CertificateAuthority.name("device-7-renewed")
        let cert = try issuer.issue(csr: csr, subject: renewed[...]).certificate
        XCTAssertEqual(CertificateOracle.subjectLine(cert), "/CN=device-7-renewed")
        XCTAssertEqual(CertificateOracle.publicKeyInfo(cert), key.publicKeyInfo)
        XCTAssertNotNil(CertificateOracle.extensionValue(cert, nid: NID_subject_alt_name))
        XCTAssertTrue(CertificateOracle.verify(cert, signedBy: ca.root))
        XCTAssertThrowsError(try issuer.issue(csr: csr, subject: [0x04, 0x00][...])) {
            guard case .internalFailure(.malformed)? = $0 as? IssuanceError else { return XCTFail("\($0)") }
            XCTAssertFalse(($0 as? IssuanceError)?.isRequestError ?? true)
        }
    }

    func testCSRWithoutExtensionsGetsNoSubjectAltName() throws {
        let ca = try CertificateIssuerTests.authority(.p256)
        let (csr, _) = try DeviceCSR.make(.p256, template: try CSRTemplate(commonName: "plain-{i}"))
        let cert = try ca.makeIssuer().issue(csr: csr).certificate
        XCTAssertEqual(CertificateOracle.subjectLine(cert), "/CN=plain-7")
        XCTAssertNil(CertificateOracle.extensionValue(cert, nid: NID_subject_alt_name))
        XCTAssertNotNil(CertificateOracle.extensionValue(cert, nid: NID_subject_key_identifier))
        XCTAssertTrue(CertificateOracle.verify(cert, signedBy: ca.root))
    }

    /// A refused CSR yields its named error and no certificate; the issuer keeps working.
    func testRefusedCSRsAreNamed() throws {
        let ca = try CertificateIssuerTests.authority(.p256)
        let issuer = try ca.makeIssuer()
        var (csr, _) = try DeviceCSR.make(.p256)
        let good = csr
        let view = try CSRView(der: csr)
        csr[view.subject.endIndex - 1] ^= 0x01
        XCTAssertThrowsError(try issuer.issue(csr: csr)) {
            guard case .signatureDoesNotVerify? = $0 as? IssuanceError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try issuer.issue(csr: Array(good.dropLast()))) {
            guard case .malformedCSR? = $0 as? IssuanceError else { return XCTFail("\($0)") }
        }
        XCTAssertTrue(CertificateOracle.verify(try issuer.issue(csr: good).certificate, signedBy: ca.root))
    }

    /// A result keeps its bytes while the issuer goes on (the output buffer is shared, never overwritten).
    func testResultsSurviveLaterIssues() throws {
        let ca = try CertificateIssuerTests.authority(.p256)
        let issuer = try ca.makeIssuer()
        let first = try issuer.issue(csr: try DeviceCSR.make(.p256, index: 1).der)
        let copy = first.certsOnly
        let second = try issuer.issue(csr: try DeviceCSR.make(.rsa2048, index: 2).der)
        XCTAssertEqual(first.certsOnly, Array(copy))
        XCTAssertNotEqual(Array(first.certificate), Array(second.certificate))
        XCTAssertEqual(CertificateOracle.subjectLine(first.certificate), "/CN=device-1")
        XCTAssertEqual(CertificateOracle.subjectLine(second.certificate), "/CN=device-2")
    }

    func testIssuerRefusesAKeyThatIsNotTheCAs() throws {
        let ca = try CertificateIssuerTests.authority(.p256)
        XCTAssertThrowsError(try CertificateIssuer(caCertificate: ca.root, caKey: ca.serverKey)) {
            guard case .invalidKeyMaterial? = $0 as? PKIError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try CertificateIssuer(caCertificate: ca.root, caKey: ca.issuingKey, validityDays: 0))
    }

    /// The benchmark's OpenSSL path does the same work: same subject, issuer, key, extensions
    /// (as a set), SAN, key identifiers; its response parses with our reader.
    func testOpenSSLBaselineIssuesAnEquivalentCertificate() throws {
        for caType in [KeyType.p256, .ed25519] {
            let ca = try CertificateIssuerTests.authority(caType)
            let csr = try IssueBenchmark.deviceCSR()
            let ours = Array(try ca.makeIssuer().issue(csr: csr).certificate)
            let message = try OpenSSLIssuanceBaseline(caCertificate: ca.issuingCertificate, caKey: ca.issuingKey).issue(csr: csr)
            let theirs = Array(try XCTUnwrap(try CertsOnly(der: message).certificates.first))
            XCTAssertTrue(CertificateOracle.verify(theirs, signedBy: ca.root))
            XCTAssertEqual(CertificateOracle.subjectLine(theirs), CertificateOracle.subjectLine(ours))
            XCTAssertEqual(CertificateOracle.issuerLine(theirs), CertificateOracle.issuerLine(ours))
            XCTAssertEqual(CertificateOracle.publicKeyInfo(theirs), CertificateOracle.publicKeyInfo(ours))
            func extensions(_ der: [UInt8]) throws -> [String: [UInt8]] {
                var out: [String: [UInt8]] = [:]
                var r = DERReader(try XCTUnwrap(try CertificateView(der: der[...]).extensions))
                while let e = try r.next() {
                    var f = e.children()
                    let oid = try f.read().oid()
                    let critical = try f.readIfPresent(.boolean) != nil
                    out["\(oid)\(critical ? " critical" : "")"] = Array(try f.read(.octetString).content)
                }
                return out
            }
            XCTAssertEqual(try extensions(theirs), try extensions(ours), "\(caType)")
            XCTAssertEqual(CertificateOracle.usage(theirs)?.keyUsage, CertificateOracle.usage(ours)?.keyUsage)
        }
    }
}
