import Foundation
import PKI
import Workload

/// Per-device bootstrap identities, made before the clock starts: minted from the profile's factory
/// CA for each device's own key, or read from a directory of `device-<i>.pem` / `device-<i>.key`.
/// Device i presents its own until it holds an issued certificate.
struct DeviceBootstraps: Sendable {
    /// Device i's certificate chain (its certificate first) and key.
    let identities: [(chain: [[UInt8]], key: PKI.PrivateKey)]

    /// What the profile's `target.bootstrap` asks for the first `count` devices of `pool`; nil for a
    /// shared identity or none.
    /// A shard's devices are `firstIndex ..< firstIndex + count` (their pool entries from `poolOffset`);
    /// identities come back in that order.
    static func make(_ profile: Profile, pool: CSRPool, poolOffset: Int = 0, firstIndex: Int = 0, count: Int,
                     threads: Int) throws(RunCoordinator.RunError) -> DeviceBootstraps? {
        switch profile.target.bootstrap {
        case .factoryCA(let ca)?: return try mint(ca, pool: pool, poolOffset: poolOffset, count: count, threads: threads)
        case .directory(let path)?: return try load(directory: path, firstIndex: firstIndex, count: count, threads: threads)
        case .shared?, nil: return nil
        }
    }

    /// One certificate per device from the factory CA, for the device's pool key and CSR subject/SAN;
    /// each presents [its certificate, the CA certificate], as an IDevID chain would be.
    static func mint(_ ca: FactoryCA, pool: CSRPool, poolOffset: Int = 0, count: Int, threads: Int) throws(RunCoordinator.RunError) -> DeviceBootstraps {
        let caCertificate: [UInt8]
        do {
            let text = try String(contentsOfFile: ca.certificatePath, encoding: .utf8)
            guard let first = try PEM.decodeAll(text, label: "CERTIFICATE").first else {
                throw RunCoordinator.RunError.setup("holds no PEM CERTIFICATE")
            }
            caCertificate = first
        } catch {
            throw .setup("target.bootstrap.caCertificate \(ca.certificatePath): \(error is RunCoordinator.RunError ? "\(error)" : "cannot read it: \(error)")")
        }
        let caKey: PKI.PrivateKey
        do { caKey = try PKI.PrivateKey.load(pemFile: ca.keyPath) } catch { throw .setup("target.bootstrap.caKey: \(error)") }
        let certificates: [[UInt8]]
        do {
            certificates = try FactoryCertificates.mint(csrs: pool.csrs[poolOffset..<(poolOffset + count)], caCertificate: caCertificate, caKey: caKey,
                                                        validityDays: ca.validityDays, threads: threads)
        } catch {
            throw .setup("target.bootstrap (factory CA \(ca.certificatePath)): \(error)")
        }
        return DeviceBootstraps(identities: certificates.enumerated().map { (chain: [$0.element, caCertificate], key: pool.keys[poolOffset + $0.offset]) })
    }

    /// `device-<i>.pem` (chain, certificate first) and `device-<i>.key` (PEM) for i in
    /// firstIndex ..< firstIndex + count, read on all cores; each key must be its certificate's.
    static func load(directory: String, firstIndex: Int = 0, count: Int, threads: Int) throws(RunCoordinator.RunError) -> DeviceBootstraps {
        let threadCount = max(1, min(threads, count))
        let shares = WorkerThreads.run(count: threadCount) { t -> Result<[(chain: [[UInt8]], key: PKI.PrivateKey)], RunCoordinator.RunError> in
            Result { () throws(RunCoordinator.RunError) -> [(chain: [[UInt8]], key: PKI.PrivateKey)] in
                let base = count / threadCount, extra = count % threadCount
                let start = t * base + min(t, extra)
                var out: [(chain: [[UInt8]], key: PKI.PrivateKey)] = []
                for i in start..<(start + base + (t < extra ? 1 : 0)) { out.append(try loadPair(directory: directory, index: firstIndex + i)) }
                return out
            }
        }
        var identities: [(chain: [[UInt8]], key: PKI.PrivateKey)] = []
        identities.reserveCapacity(count)
        for share in shares { identities += try share.get() }
        return DeviceBootstraps(identities: identities)
    }

    private static func loadPair(directory: String, index: Int) throws(RunCoordinator.RunError) -> (chain: [[UInt8]], key: PKI.PrivateKey) {
        let certificatePath = "\(directory)/device-\(index).pem"
        let keyPath = "\(directory)/device-\(index).key"
        let chain: [[UInt8]]
        do {
            chain = try PEM.decodeAll(try String(contentsOfFile: certificatePath, encoding: .utf8), label: "CERTIFICATE")
        } catch {
            throw .setup("target.bootstrap.directory: device \(index) needs \(certificatePath) (PEM certificate chain): \(error)")
        }
        guard !chain.isEmpty else { throw .setup("target.bootstrap.directory: \(certificatePath) holds no PEM CERTIFICATE") }
        let key: PKI.PrivateKey
        do { key = try PKI.PrivateKey.load(pemFile: keyPath) } catch {
            throw .setup("target.bootstrap.directory: device \(index) needs \(keyPath) (PEM private key): \(error)")
        }
        let belongs: Bool
        do { belongs = try key.isKey(ofCertificate: chain[0]) } catch { throw .setup("target.bootstrap.directory: \(certificatePath): \(error)") }
        guard belongs else {
            throw .setup("target.bootstrap.directory: \(certificatePath) and \(keyPath) do not belong together (the first certificate must be the key's)")
        }
        return (chain, key)
    }
}
