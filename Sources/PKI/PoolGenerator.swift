import EventLoop

/// Generates a pool on all cores: each thread owns a key generator, a CSR builder and an output
/// chunk for a contiguous range of device indices, so the chunks concatenate in index order.
public enum PoolGenerator {
    /// What one thread did, for the per-thread rate in the summary.
    public struct ThreadReport: Sendable {
        public let count: Int
        public let elapsedNs: UInt64
        public var perSecond: Double { elapsedNs == 0 ? 0 : Double(count) * 1e9 / Double(elapsedNs) }
    }

    /// What a pool file generation did: entries, time, per-thread rates, bytes written.
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
        let start = MonotonicTime.nowNs()
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
                let threadStart = MonotonicTime.nowNs()
                var out: [UInt8] = []
                out.reserveCapacity(range.count * (keyType.isRSA ? 2400 : 400))
                do throws(PKIError) {
                    var maker = try PoolEntryMaker(keyType: keyType, template: template, sharedKey: shared, progress: progress)
                    var material: [UInt8] = []
                    for i in range {
                        let key = try maker.nextKey()
                        if shared == nil {
                            material.removeAll(keepingCapacity: true)
                            try key.appendRawKeyMaterial(to: &material)
                        }
                        try maker.buildCSR(index: i) { csr in
                            PoolFile.appendEntry(csr: csr, key: shared == nil ? material : nil, to: &out)
                        }
                        maker.entryDone()
                    }
                    maker.flush()
                } catch {
                    throw .generationFailed(entry: range.lowerBound, error)
                }
                return (out, ThreadReport(count: range.count, elapsedNs: MonotonicTime.nowNs() - threadStart))
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
        return Report(count: count, elapsedNs: MonotonicTime.nowNs() - start, threads: reports, bytes: bytes)
    }

    /// Generates `count` devices in memory, each with a fresh key (what `estbench run` does when the
    /// profile names no pool file): the same entries a pool file of this template would hold. Entry j
    /// is device `firstIndex + j` (a shard's slice starts past 0).
    public static func generateDevices(keyType: KeyType, template: CSRTemplate, firstIndex: Int = 0, count: Int, threads: Int,
                                       progress: ProgressCounter? = nil) throws(PoolFileError) -> CSRPool {
        let start = MonotonicTime.nowNs()
        let threadCount = max(1, min(threads, count))
        let shares = WorkerThreads.run(count: threadCount) { t -> Result<([PrivateKey], [ArraySlice<UInt8>]), PoolFileError> in
            Result { () throws(PoolFileError) -> ([PrivateKey], [ArraySlice<UInt8>]) in
                let range = share(of: count, thread: t, of: threadCount)
                var keys: [PrivateKey] = []
                var csrs: [ArraySlice<UInt8>] = []
                keys.reserveCapacity(range.count)
                csrs.reserveCapacity(range.count)
                do throws(PKIError) {
                    var maker = try PoolEntryMaker(keyType: keyType, template: template, sharedKey: nil, progress: progress)
                    for i in range {
                        keys.append(try maker.nextKey())
                        csrs.append(try maker.buildCSR(index: firstIndex + i) { ArraySlice($0) })
                        maker.entryDone()
                    }
                    maker.flush()
                } catch {
                    throw .generationFailed(entry: range.lowerBound, error)
                }
                return (keys, csrs)
            }
        }
        var keys: [PrivateKey] = []
        var csrs: [ArraySlice<UInt8>] = []
        keys.reserveCapacity(count)
        csrs.reserveCapacity(count)
        for result in shares {
            let (k, c) = try result.get()
            keys += k
            csrs += c
        }
        return CSRPool(header: PoolFile.Header(keyType: keyType, sharedKey: false, count: count, template: template),
                       csrs: csrs, keys: keys, loadNs: MonotonicTime.nowNs() - start)
    }
}
