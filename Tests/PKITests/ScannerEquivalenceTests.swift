import DER
import Foundation
@testable import PKI
import XCTest

/// The pointer-based reads of certs-only messages and certificates (`DERScanner`) against the
/// slice-based walk they replaced (`SliceReference`, with `DERReader`): the same fields, or the same
/// error, on the seed corpus and on every truncation and many single-byte corruptions of it.
final class ScannerEquivalenceTests: XCTestCase {
    /// The reference: the `DERReader` walk `CertsOnly` and `CertificateView` used before the scanner.
    enum SliceReference {
        struct Certificate: Equatable {
            var fields: [[UInt8]?]
            var version: Int
            var notBefore: DERTime
            var notAfter: DERTime
        }

        static func certificate(_ der: ArraySlice<UInt8>) throws(DERError) -> Certificate {
            let certificate = try DERReader.single(der)
            try certificate.expect(.sequence)
            var outer = certificate.children()
            let tbsElement = try outer.read(.sequence)
            let signatureAlgorithm = try outer.read(.sequence).encoded
            let signature = try outer.read(.bitString).bitString().bytes
            try outer.finish()
            var t = tbsElement.children()
            var version = 0
            if let v = try t.readIfPresent(.context(0, constructed: true)) { version = try DERReader.single(v.content).integer() }
            let serial = try t.read().integerBytes()
            _ = try t.read(.sequence)
            let issuer = try t.read(.sequence).encoded
            var validity = try t.read(.sequence).children()
            let notBefore = try validity.read().time()
            let notAfter = try validity.read().time()
            try validity.finish()
            let subject = try t.read(.sequence).encoded
            let spki = try t.read(.sequence).encoded
            _ = try t.readIfPresent(.context(1, constructed: false))
            _ = try t.readIfPresent(.context(2, constructed: false))
            var extensions: ArraySlice<UInt8>?
            if let x = try t.readIfPresent(.context(3, constructed: true)) { extensions = try DERReader.single(x.content).content }
            try t.finish()
            let fields: [ArraySlice<UInt8>?] = [certificate.encoded, tbsElement.encoded, serial, issuer, subject, spki, extensions,
                                                signatureAlgorithm, signature]
            return Certificate(fields: fields.map { $0.map { Array($0) } }, version: version, notBefore: notBefore, notAfter: notAfter)
        }

        static func certsOnly(_ der: ArraySlice<UInt8>) throws(CertsOnly.ParseError) -> (certificates: [ArraySlice<UInt8>], signers: Int) {
            var contentInfo: DERReader
            let type: DERElement
            do {
                contentInfo = try DERReader.single(der).children()
                type = try contentInfo.read(.objectIdentifier)
            } catch { throw .der(error) }
            guard type.isOID(OIDs.signedData) else {
                throw .notSignedData(contentType: (try? type.oid().description) ?? "(malformed OID)")
            }
            var certificates: [ArraySlice<UInt8>] = []
            var count = 0
            do {
                let explicit = try contentInfo.read(.context(0, constructed: true))
                try contentInfo.finish()
                var signed = try DERReader.single(explicit.content).children()
                try signed.skip(.integer)
                try signed.skip(.set)
                try signed.skip(.sequence)
                if let set = try signed.readIfPresent(.context(0, constructed: true)) {
                    var members = set.children()
                    while let c = try members.next() { certificates.append(c.encoded) }
                }
                try signed.skipIfPresent(.context(1, constructed: true))
                var s = try signed.read(.set).children()
                try signed.finish()
                while try s.next() != nil { count += 1 }
            } catch { throw .der(error) }
            if certificates.isEmpty { throw .noCertificates }
            return (certificates, count)
        }

        static func publicKeyInfo(_ der: ArraySlice<UInt8>) throws(DERError) -> ArraySlice<UInt8> {
            var outer = try DERReader.single(der).children()
            var t = try outer.read(.sequence).children()
            try t.skipIfPresent(.context(0, constructed: true))
            for tag: DERTag in [.integer, .sequence, .sequence, .sequence, .sequence] { try t.skip(tag) }
            return try t.read(.sequence).encoded
        }

        /// `issued(in:matching:)` as the two-step walk: the count and the index and fields found.
        static func issued(_ der: ArraySlice<UInt8>, _ key: ArraySlice<UInt8>) throws(CertsOnly.ParseError) -> (Int, Int?, Certificate?) {
            let message = try certsOnly(der)
            for (i, c) in message.certificates.enumerated() {
                let spki: ArraySlice<UInt8>
                do { spki = try publicKeyInfo(c) } catch { throw .malformedCertificate(index: i, error) }
                if spki.elementsEqual(key) {
                    do { return (message.certificates.count, i, try certificate(c)) } catch { throw .malformedCertificate(index: i, error) }
                }
            }
            return (message.certificates.count, nil, nil)
        }
    }

    static func fields(_ v: CertificateView) -> SliceReference.Certificate {
        let fields: [ArraySlice<UInt8>?] = [v.encoded, v.tbs, v.serialNumber, v.issuer, v.subject, v.publicKeyInfo, v.extensions,
                                            v.signatureAlgorithm, v.signature]
        return .init(fields: fields.map { $0.map { Array($0) } }, version: v.version, notBefore: v.notBefore, notAfter: v.notAfter)
    }

    static func corpus(_ directory: String) throws -> [String: [UInt8]] {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Corpus/\(directory)")
        var out: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            out[name] = Array(try Data(contentsOf: dir.appendingPathComponent(name)))
        }
        return out
    }

    /// Variants of `bytes`: every truncation, and a corruption at every offset (cycling through
    /// values that break tags, lengths and contents), each read at a non-zero slice offset too.
    static func variants(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = [bytes]
        for n in 0..<bytes.count { out.append(Array(bytes[..<n])) }
        let values: [UInt8] = [0x00, 0xFF, 0x80, 0x81, 0x1F, 0x30, 0x02, 0x7F]
        for i in bytes.indices {
            var v = bytes
            v[i] = v[i] == values[i % values.count] ? v[i] ^ 0x01 : values[i % values.count]
            out.append(v)
        }
        return out
    }

    /// A slice with a non-zero start index: error offsets and field ranges must be the input's indices.
    static func offsetSlice(_ bytes: [UInt8]) -> ArraySlice<UInt8> { ([0xAA, 0xBB, 0xCC] + bytes)[3...] }

    func testCertificateViewMatchesSliceWalk() throws {
        var inputs = try Self.corpus("der-reader").filter { $0.key == "certificate" }.map(\.value)
        for message in try Self.corpus("certs-only").values { inputs += try CertsOnly(der: message).certificates.map { Array($0) } }
        XCTAssertGreaterThanOrEqual(inputs.count, 3)
        var compared = 0, failed = 0
        for input in inputs {
            for bytes in Self.variants(input) {
                for slice in [bytes[...], Self.offsetSlice(bytes)] {
                    let expected = Result { () throws(DERError) in try SliceReference.certificate(slice) }
                    let actual = Result { () throws(DERError) in Self.fields(try CertificateView(der: slice)) }
                    XCTAssertEqual(actual, expected, "\(bytes.count) bytes from a \(input.count)-byte certificate")
                    if case .failure = expected { failed += 1 }
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThan(failed, compared / 2, "most variants are malformed")
        XCTAssertLessThan(failed, compared, "the unmodified certificates parse")
    }

    func testCertsOnlyMatchesSliceWalk() throws {
        let messages = try Self.corpus("certs-only")
        XCTAssertEqual(messages.count, 2)
        var found = 0
        for (name, message) in messages {
            let keys = try SliceReference.certsOnly(message[...]).certificates.map { Array(try SliceReference.publicKeyInfo($0)) }
            for bytes in Self.variants(message) {
                for slice in [bytes[...], Self.offsetSlice(bytes)] {
                    let expected = Result { () throws(CertsOnly.ParseError) in try SliceReference.certsOnly(slice) }
                    let actual = Result { () throws(CertsOnly.ParseError) in try CertsOnly(der: slice) }
                    switch (actual, expected) {
                    case (.success(let a), .success(let e)):
                        XCTAssertEqual(a.certificates.map { $0.indices }, e.certificates.map { $0.indices }, name)
                        XCTAssertEqual(a.signerCount, e.signers, name)
                    case (.failure(let a), .failure(let e)): XCTAssertEqual(a, e, name)
                    default: XCTFail("\(name), \(bytes.count) bytes: scanner \(actual), slice walk \(expected)")
                    }
                    // The one-walk key match, for each certificate's key and a key no certificate has.
                    for key in keys + [[0x30, 0x00]] {
                        let expected = Result { () throws(CertsOnly.ParseError) in try SliceReference.issued(slice, key[...]) }
                        let actual = Result { () throws(CertsOnly.ParseError) in
                            let r = try CertsOnly.issued(in: slice, matching: key[...])
                            return (r.certificateCount, r.found?.index, r.found.map { Self.fields($0.certificate) })
                        }
                        switch (actual, expected) {
                        case (.success(let a), .success(let e)):
                            XCTAssertTrue(a.0 == e.0 && a.1 == e.1 && a.2 == e.2, "\(name): \(a.0) \(String(describing: a.1)) vs \(e.0) \(String(describing: e.1))")
                            if a.2 != nil { found += 1 }
                        case (.failure(let a), .failure(let e)): XCTAssertEqual(a, e, name)
                        default: XCTFail("\(name), \(bytes.count) bytes: scanner \(actual), slice walk \(expected)")
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(found, 0, "some variants still carry a matching certificate")
    }
}
