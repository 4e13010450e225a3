/// Generates a pool on all cores: each thread owns a key generator, a CSR builder and an output
/// chunk for a contiguous range of device indices, so the chunks concatenate in index order.
public enum PoolGenerator {
    /// What one thread did, for the per-thread rate in the summary.
    public struct ThreadReport: Sendable {
        public let count: Int
        public let elapsedNs: UInt64
        public var perSecond: Double { elapsedNs == 0 ? 0 : Double(count) * 1e9 / Double(elapsedNs) }
    }

    public struct Report: Sendable {
        public let count: Int
        public let elapsedNs: UInt64
        public let threads: [ThreadReport]
        public let bytes: Int
        public var perSecond: Double { elapsedNs == 0 ? 0 : Double(count) * 1e9 / Double(elapsedNs) }
    }

    /// Generates `count` entries and writes the pool file atomically (mode 0600).
    public static func generate(to path: String, keyType: KeyType, template: CSRTemplate, count: Int,
                                threads: Int, reuseKey: Bool, progress: ProgressCounter? = nil) throws(PoolFileError) -> Report {
        // Open first: an unwritable path fails before any work is done.
        let file = try PrivateFileWriter(path: path)
        let start = MonotonicClock.nowNs()
        var sharedKey: PrivateKey?
        var sharedMaterial: [UInt8]?
        if reuseKey {
            do throws(PKIError) {
                let key = try KeyGenerator(type: keyType).generate()
                sharedKey = key
                sharedMaterial = try key.rawKeyMaterial()
            } catch { throw .generationFailed(entry: 0, error) }
        }
        let threadCount = max(1, min(threads, count))
        let shared = sharedKey
        let chunks = WorkerThreads.run(count: threadCount) { t -> Result<([UInt8], ThreadReport), PoolFileError> in
            Result { () throws(PoolFileError) -> ([UInt8], ThreadReport) in
                let range = share(of: count, thread: t, of: threadCount)
                let threadStart = MonotonicClock.nowNs()
                var out: [UInt8] = []
                out.reserveCapacity(range.count * (keyType.isRSA ? 2400 : 400))
                do throws(PKIError) {
                    let builder = try CSRBuilder(template: template)
                    let generator = shared == nil ? try KeyGenerator(type: keyType) : nil
                    // One signer per thread: fresh keys switch it from key to key.
                    let firstKey: PrivateKey
                    if let shared { firstKey = shared } else { firstKey = try generator!.generate() }
                    let signer = try Signer(key: firstKey)
                    var material: [UInt8] = []
                    var sinceReport = 0
                    for i in range {
                        if let generator {
                            let key = try generator.generate()
                            try signer.switchKey(to: key)
                            material.removeAll(keepingCapacity: true)
                            try key.appendRawKeyMaterial(to: &material)
                        }
                        try builder.build(index: i, signer: signer) { csr in
                            PoolFile.appendEntry(csr: csr, key: shared == nil ? material : nil, to: &out)
                        }
                        sinceReport += 1
                        if sinceReport == 32 {
                            progress?.add(sinceReport)
                            sinceReport = 0
                        }
                    }
                    progress?.add(sinceReport)
                } catch {
                    throw .generationFailed(entry: range.lowerBound, error)
                }
                return (out, ThreadReport(count: range.count, elapsedNs: MonotonicClock.nowNs() - threadStart))
            }
        }
        let header = PoolFile.Header(keyType: keyType, sharedKey: reuseKey, count: count, template: template)
        var bytes = 0
        var reports: [ThreadReport] = []
        let headerBytes = header.encoded()
        try file.write(headerBytes)
        bytes += headerBytes.count
        if let sharedMaterial {
            var section: [UInt8] = []
            section.appendBigEndian(UInt64(sharedMaterial.count), bytes: 4)
            section.append(contentsOf: sharedMaterial)
            try file.write(section)
            bytes += section.count
        }
        for chunk in chunks {
            let (data, report) = try chunk.get()
            try file.write(data)
            bytes += data.count
            reports.append(report)
        }
        try file.commit()
        return Report(count: count, elapsedNs: MonotonicClock.nowNs() - start, threads: reports, bytes: bytes)
    }
}
