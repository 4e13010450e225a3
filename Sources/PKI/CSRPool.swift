import DER
import EventLoop

/// A loaded pool: every CSR with its private key ready for TLS and signing. Loading parses the file,
/// then rebuilds keys on all cores and checks each against its CSR's public key.
public final class CSRPool: Sendable {
    public let header: PoolFile.Header
    public let csrs: [ArraySlice<UInt8>]
    public let keys: [PrivateKey]
    /// Wall time of the load, for the keys/s figure.
    public let loadNs: UInt64
    /// Devices loaded from a fleet: the certificate each was issued (DER; nil: none). Empty for a pool.
    public let certificates: [[UInt8]?]

    init(header: PoolFile.Header, csrs: [ArraySlice<UInt8>], keys: [PrivateKey], loadNs: UInt64, certificates: [[UInt8]?] = []) {
        self.header = header
        self.csrs = csrs
        self.keys = keys
        self.loadNs = loadNs
        self.certificates = certificates
    }

    /// Device `index`'s issued certificate, when it came from a fleet and had one.
    public func certificate(at index: Int) -> [UInt8]? { index < certificates.count ? certificates[index] : nil }

    public var count: Int { csrs.count }

    public static func load(path: String, threads: Int = WorkerThreads.coreCount) throws(PoolFileError) -> CSRPool {
        let start = MonotonicTime.nowNs()
        let contents = try PoolFile.parse(try PrivateFileWriter.readAll(path: path))
        let header = contents.header
        let entries = contents.entries
        let type = header.keyType
        let threadCount = max(1, min(threads, entries.count))
        let perThread = WorkerThreads.run(count: threadCount) { t -> Result<[PrivateKey], PoolFileError> in
            Result { () throws(PoolFileError) -> [PrivateKey] in
                let range = share(of: entries.count, thread: t, of: threadCount)
                var keys: [PrivateKey] = []
                keys.reserveCapacity(range.count)
                let loader: KeyLoader
                do throws(PKIError) { loader = try KeyLoader(type: type) } catch { throw .invalidKey(entry: range.lowerBound, error) }
                var shared: PrivateKey?
                for i in range {
                    let key: PrivateKey
                    if let shared {
                        key = shared
                    } else {
                        do throws(PKIError) { key = try loader.load(entries[i].key) } catch { throw .invalidKey(entry: i, error) }
                        if header.sharedKey { shared = key }
                    }
                    try check(key, entries[i].csr, i)
                    keys.append(key)
                }
                return keys
            }
        }
        var keys: [PrivateKey] = []
        keys.reserveCapacity(entries.count)
        for result in perThread { keys.append(contentsOf: try result.get()) }
        return CSRPool(header: header, csrs: entries.map(\.csr), keys: keys,
                       loadNs: MonotonicTime.nowNs() - start)
    }

    /// Entry `index` must hold a well-formed CSR for this very key.
    private static func check(_ key: PrivateKey, _ csr: ArraySlice<UInt8>, _ index: Int) throws(PoolFileError) {
        let view: CSRView
        do throws(DERError) { view = try CSRView(der: csr) } catch { throw .malformedCSR(entry: index, error) }
        guard DERElement.bytesEqual(view.publicKeyInfo, key.publicKeyInfo[...]) else { throw .keyMismatch(entry: index) }
    }
}

/// The contiguous share of `total` items that thread `thread` of `threads` handles.
func share(of total: Int, thread: Int, of threads: Int) -> Range<Int> {
    let base = total / threads, extra = total % threads
    let start = thread * base + min(thread, extra)
    return start..<(start + base + (thread < extra ? 1 : 0))
}
