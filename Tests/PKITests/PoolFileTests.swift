import COpenSSL
import DER
import Foundation
@testable import PKI
import XCTest

final class PoolFileTests: XCTestCase {
    func makePool(count: Int = 40, type: KeyType = .p256, reuseKey: Bool = false) throws -> (path: String, report: PoolGenerator.Report) {
        let directory = try makeTemporaryDirectory(self)
        let path = directory.appendingPathComponent("devices.pool").path
        let template = try CSRTemplate(commonName: "device-{i}", sanDNS: ["{i}.devices.example"])
        let progress = ProgressCounter()
        let report = try PoolGenerator.generate(to: path, keyType: type, template: template, count: count,
                                                threads: 2, reuseKey: reuseKey, progress: progress)
        XCTAssertEqual(progress.value, count)
        return (path, report)
    }

    func testRoundTripEveryEntryVerifiesAndMatchesItsKey() throws {
        for type in [KeyType.p256, .ed25519, .rsa2048] {
            let (path, report) = try makePool(count: type.isRSA ? 6 : 40, type: type)
            XCTAssertEqual(report.threads.map(\.count).reduce(0, +), report.count)
            let pool = try CSRPool.load(path: path, threads: 2)
            XCTAssertEqual(pool.count, report.count)
            XCTAssertEqual(pool.header.keyType, type)
            XCTAssertFalse(pool.header.sharedKey)
            for (i, csr) in pool.csrs.enumerated() {
                let der = Array(csr)
                XCTAssertTrue(OpenSSLOracle.verifyCSR(der), "\(type) entry \(i)")
                XCTAssertEqual(OpenSSLOracle.subjectLine(der), "/CN=device-\(i)", "entries are in index order")
                XCTAssertEqual(Array(try CSRView(der: csr).publicKeyInfo), pool.keys[i].publicKeyInfo)
                XCTAssertEqual(OpenSSLOracle.publicKeyInfo(of: pool.keys[i].pkey), pool.keys[i].publicKeyInfo, "\(type) entry \(i)")
                if type == .p256 {
                    // Loading trusts the stored point: check it against the stored private scalar.
                    let derived = OpenSSLOracle.ecPointDerivedFromPrivateScalar(of: pool.keys[i].pkey, curve: NID_X9_62_prime256v1)
                    XCTAssertEqual(derived.map { Array($0) }, Array(PublicKeyInfo.ecPoint(of: pool.keys[i].publicKeyInfo, type: type)),
                                   "entry \(i)")
                }
            }
            XCTAssertEqual(Set(pool.keys.map(\.publicKeyInfo)).count, pool.count, "a fresh key per CSR")
        }
    }

    func testSharedKeyPool() throws {
        let (path, _) = try makePool(count: 25, reuseKey: true)
        let pool = try CSRPool.load(path: path)
        XCTAssertTrue(pool.header.sharedKey)
        XCTAssertEqual(Set(pool.keys.map(\.publicKeyInfo)).count, 1)
        XCTAssertTrue(pool.csrs.allSatisfy { OpenSSLOracle.verifyCSR(Array($0)) })
    }

    func testFileModeIs0600() throws {
        let (path, _) = try makePool(count: 3)
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
    }

    /// Each kind of damage gives its own named error.
    func testCorruptionsGiveTheirErrors() throws {
        let (path, _) = try makePool(count: 10)
        let good = try PrivateFileWriter.readAll(path: path)
        XCTAssertNoThrow(try PoolFile.parse(good))
        let headerLength = PoolFile.fixedHeaderSize + (Int(good[20]) << 24 | Int(good[21]) << 16 | Int(good[22]) << 8 | Int(good[23]))

        var bytes = good
        bytes[0] ^= 0xFF
        XCTAssertThrowsError(try PoolFile.parse(bytes)) { XCTAssertEqual($0 as? PoolFileError, .badMagic) }

        bytes = good
        bytes[9] = 9
        XCTAssertThrowsError(try PoolFile.parse(bytes)) {
            XCTAssertEqual($0 as? PoolFileError, .unsupportedVersion(found: 9, supported: PoolFile.version))
        }

        bytes = good
        bytes[10] = 77
        XCTAssertThrowsError(try PoolFile.parse(bytes)) { XCTAssertEqual($0 as? PoolFileError, .unknownKeyType(code: 77)) }

        bytes = Array(good.dropLast(5))
        XCTAssertThrowsError(try PoolFile.parse(bytes)) {
            guard case .truncated(let section, _)? = $0 as? PoolFileError else { return XCTFail("\($0)") }
            XCTAssertEqual(section, "entry 9")
        }

        bytes = good
        bytes[19] = 11  // count 10 -> 11
        XCTAssertThrowsError(try PoolFile.parse(bytes)) { XCTAssertEqual($0 as? PoolFileError, .countMismatch(header: 11, found: 10)) }

        // Swap the key material of entries 0 and 1 (same lengths for P-256): a key/CSR mismatch.
        bytes = good
        var offset = headerLength
        var keyRanges: [Range<Int>] = []
        for _ in 0..<2 {
            let csrLength = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            offset += 4 + csrLength
            let keyLength = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            keyRanges.append((offset + 4)..<(offset + 4 + keyLength))
            offset += 4 + keyLength
        }
        let k0 = Array(bytes[keyRanges[0]]), k1 = Array(bytes[keyRanges[1]])
        bytes.replaceSubrange(keyRanges[0], with: k1)
        bytes.replaceSubrange(keyRanges[1], with: k0)
        let swapped = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("swapped.pool").path
        XCTAssertTrue(FileManager.default.createFile(atPath: swapped, contents: Data(bytes)))
        XCTAssertThrowsError(try CSRPool.load(path: swapped, threads: 1)) { XCTAssertEqual($0 as? PoolFileError, .keyMismatch(entry: 0)) }
    }

    func testUnwritablePathLeavesNothingBehind() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory.appendingPathComponent("missing/dir/x.pool").path
        XCTAssertThrowsError(try PoolGenerator.generate(to: path, keyType: .p256, template: try CSRTemplate(commonName: "a"),
                                                        count: 2, threads: 1, reuseKey: false)) {
            guard case .cannotWrite(let p, _)? = $0 as? PoolFileError else { return XCTFail("\($0)") }
            XCTAssertEqual(p, path)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
    }

    func testMissingFileIsNamed() {
        XCTAssertThrowsError(try CSRPool.load(path: "/nonexistent/estbench.pool")) {
            guard case .cannotRead(let p, _)? = $0 as? PoolFileError else { return XCTFail("\($0)") }
            XCTAssertEqual(p, "/nonexistent/estbench.pool")
        }
    }
}
