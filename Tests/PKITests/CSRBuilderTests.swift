import DER
@testable import PKI
import XCTest

final class CSRBuilderTests: XCTestCase {
    func fullTemplate() throws -> CSRTemplate {
        var t = CSRTemplate()
        t.subject = [
            (.commonName, try FieldPattern("device-{i}")),
            (.organization, try FieldPattern("Example Ünïcode Org")),
            (.organizationalUnit, try FieldPattern("fleet {i:06}")),
            (.country, try FieldPattern("DE")),
            (.serialNumber, try FieldPattern("SN{i:010}")),
            (.emailAddress, try FieldPattern("d{i}@devices.example")),
        ]
        t.sanDNS = [try FieldPattern("{i}.devices.example"), try FieldPattern("alt-{i}{i}.example")]
        t.sanURI = [try FieldPattern("urn:dev:{i}")]
        t.sanIP = [try CSRTemplate.ipAddress("192.0.2.7"), try CSRTemplate.ipAddress("2001:db8::1")]
        t.challengePassword = "s3cret+/="
        t.extraExtensions = [CSRTemplate.Extension(oid: OID("2.5.29.15"), critical: true, value: [0x03, 0x02, 0x07, 0x80])]
        try t.validate()
        return t
    }

    /// Every field asked for comes back, read by our CSRView and by OpenSSL.
    func testDecodedFieldsEqualWhatWasAsked() throws {
        let signer = try Signer(key: try KeyGenerator(type: .p256).generate())
        let csr = try CSRBuilder(template: try fullTemplate()).build(index: 123, signer: signer)
        XCTAssertTrue(OpenSSLOracle.verifyCSR(csr))
        let view = try CSRView(der: csr)
        XCTAssertEqual(view.version, 0)
        let subject = try view.subjectAttributes()
        XCTAssertEqual(subject.map(\.0), [OIDs.commonName, OIDs.organization, OIDs.organizationalUnit, OIDs.country,
                                          OIDs.serialNumber, OIDs.emailAddress])
        XCTAssertEqual(subject.map(\.1), ["device-123", "Example Ünïcode Org", "fleet 000123", "DE", "SN0000000123",
                                          "d123@devices.example"])
        let san = try view.subjectAltNames()
        XCTAssertEqual(san.dns, ["123.devices.example", "alt-123123.example"])
        XCTAssertEqual(san.uri, ["urn:dev:123"])
        XCTAssertEqual(san.ip, [[192, 0, 2, 7], [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]])
        XCTAssertEqual(try view.challengePassword(), "s3cret+/=")
        let keyUsage = try view.requestedExtensions().first { $0.oid == OID("2.5.29.15") }
        XCTAssertEqual(keyUsage?.critical, true)
        XCTAssertEqual(keyUsage.map { Array($0.value) }, [0x03, 0x02, 0x07, 0x80])
        XCTAssertEqual(Array(view.publicKeyInfo), signer.key.publicKeyInfo)
        XCTAssertEqual(OpenSSLOracle.subjectLine(csr),
                       "/CN=device-123/O=Example \\xC3\\x9Cn\\xC3\\xAFcode Org/OU=fleet 000123/C=DE/serialNumber=SN0000000123/emailAddress=d123@devices.example")
    }

    /// The pre-encoded skeleton path gives exactly the general encoder's bytes, for every digit count.
    func testSkeletonMatchesGeneralEncoder() throws {
        var rng = SplitMix64(seed: 7)
        let key = try KeyGenerator(type: .p256).generate()
        let rsa = try KeyGenerator(type: .rsa2048).generate()
        for template in [try fullTemplate(), try CSRTemplate(commonName: "device-{i}"), try CSRTemplate(commonName: "fixed")] {
            let builder = try CSRBuilder(template: template)
            var indices = Array(0...1200)
            var p = 1
            for _ in 0..<18 {
                indices += [p, p - 1, p + 1, p * 5]
                p = p.multipliedReportingOverflow(by: 10).partialValue
            }
            indices += (0..<500).map { _ in Int(rng.next() >> 1) }
            indices += [Int.max, Int.max - 1]
            for i in indices where i >= 0 {
                for spki in [key.publicKeyInfo, rsa.publicKeyInfo] {
                    builder.encodeInfoGeneral(index: i, publicKeyInfo: spki, challengePassword: nil)
                    let general = builder.encodedInfo
                    builder.encodeInfo(index: i, publicKeyInfo: spki)
                    XCTAssertEqual(builder.encodedInfo, general, "index \(i)")
                }
            }
        }
    }

    /// A challengePassword given per CSR (channel binding) replaces the template's.
    func testChallengePasswordOverride() throws {
        let signer = try Signer(key: try KeyGenerator(type: .ed25519).generate())
        let builder = try CSRBuilder(template: try fullTemplate())
        let binding = "dGxzLWV4cG9ydGVyIHZhbHVl"
        let csr = try builder.build(index: 5, signer: signer, challengePassword: binding)
        XCTAssertTrue(OpenSSLOracle.verifyCSR(csr))
        XCTAssertEqual(try CSRView(der: csr).challengePassword(), binding)
        // The next CSR without an override is back to the template's.
        XCTAssertEqual(try CSRView(der: try builder.build(index: 6, signer: signer)).challengePassword(), "s3cret+/=")
    }

    /// The attributes SET OF is in DER order even when challengePassword's encoding is the longer one.
    func testAttributesAreInSetOfOrder() throws {
        var t = try CSRTemplate(commonName: "x", sanDNS: ["a"])
        t.challengePassword = String(repeating: "p", count: 200)
        let csr = try CSRBuilder(template: t).build(index: 0, signer: try Signer(key: try KeyGenerator(type: .p256).generate()))
        XCTAssertTrue(OpenSSLOracle.verifyCSR(csr))
        var attributes = DERReader(try CSRView(der: csr).attributes)
        var previous: ArraySlice<UInt8>?
        while let a = try attributes.next() {
            if let previous { XCTAssertFalse(a.encoded.lexicographicallyPrecedes(previous)) }
            previous = a.encoded
        }
    }

    func testPatternErrorsNameTheProblem() {
        XCTAssertThrowsError(try FieldPattern("device-{x}")) { XCTAssertTrue("\($0)".contains("cannot expand \"{x}\""), "\($0)") }
        XCTAssertThrowsError(try FieldPattern("device-{i")) { XCTAssertTrue("\($0)".contains("unclosed"), "\($0)") }
        XCTAssertThrowsError(try FieldPattern("device-}")) { XCTAssertTrue("\($0)".contains("without"), "\($0)") }
        XCTAssertThrowsError(try FieldPattern("{i:0}"))
        XCTAssertThrowsError(try FieldPattern("{i:021}"))
        XCTAssertEqual(try FieldPattern("d-{i:05}-{i}").expand(42), "d-00042-42")
    }

    func testTemplateValidation() throws {
        var t = CSRTemplate(subject: [(.country, try FieldPattern("Germany"))])
        XCTAssertThrowsError(try t.validate()) { XCTAssertTrue("\($0)".contains("two-letter"), "\($0)") }
        t = CSRTemplate(subject: [(.serialNumber, try FieldPattern("SN_1"))])
        XCTAssertThrowsError(try t.validate()) { XCTAssertTrue("\($0)".contains("PrintableString"), "\($0)") }
        t = CSRTemplate(sanDNS: [try FieldPattern("bücher.example")])
        XCTAssertThrowsError(try t.validate()) { XCTAssertTrue("\($0)".contains("ASCII"), "\($0)") }
        XCTAssertThrowsError(try CSRTemplate.ipAddress("300.1.1.1"))
    }

    /// The template's text form (as pool files store it) reads back to the same template.
    func testTemplateTextRoundTrip() throws {
        let t = try fullTemplate()
        XCTAssertEqual(try CSRTemplate(text: t.text), t)
        XCTAssertThrowsError(try CSRTemplate(text: "subject.XX=1")) { XCTAssertTrue("\($0)".contains("allowed"), "\($0)") }
    }
}
