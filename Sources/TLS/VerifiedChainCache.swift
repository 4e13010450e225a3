import PKI
import COpenSSL
import COpenSSLShims
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Server chains a client context has already verified, so a run that opens a new connection per
/// operation verifies the server once, not 10,000 times (OpenSSL 3.0 spends about 0.5 ms of CPU per
/// X509_verify_cert here — more than the rest of the client's handshake work). A chain is reused only
/// when every byte of every certificate the server sent and the name it must match are the same as in
/// a successful verification with this context's trust store, and only until the earliest notAfter
/// in the verified chain. Failures are never cached: each one is verified and reported again.
final class VerifiedChainCache: Sendable {
    /// Chains kept at most (a run talks to one server; a few keys cover load balancers).
    static let capacity = 64

    private let entries = Locked<[ChainKey: Int]>([:])
    private let hits = Atomic<Int>(0)

    /// Verifications answered from the cache so far.
    var hitCount: Int { hits.load(ordering: .relaxed) }

    /// `SSL_CTX_set_cert_verify_callback`'s work: the cached answer, or OpenSSL's verification.
    func verify(_ store: OpaquePointer) -> Int32 {
        guard let key = VerifiedChainCache.key(store).map(ChainKey.init) else { return X509_verify_cert(store) }
        let now = Int(time(nil))
        let cached = entries.withLock { entries -> Bool in
            guard let until = entries[key] else { return false }
            if now < until { return true }
            entries[key] = nil
            return false
        }
        if cached {
            hits.add(1, ordering: .relaxed)
            return 1
        }
        let rc = X509_verify_cert(store)
        if rc == 1, let until = VerifiedChainCache.earliestNotAfter(store), now < until {
            entries.withLock { entries in
                if entries.count >= VerifiedChainCache.capacity { entries.removeAll() }
                entries[key] = until
            }
        }
        return rc
    }

    /// The presented leaf and untrusted certificates (DER, each length-prefixed) and the expected
    /// host or address; nil when anything cannot be read (then nothing is cached).
    static func key(_ store: OpaquePointer) -> [UInt8]? {
        guard let leaf = X509_STORE_CTX_get0_cert(store) else { return nil }
        var key: [UInt8] = []
        key.reserveCapacity(2048)
        func append(_ x: OpaquePointer) -> Bool {
            guard let der = Certificate.encode(x) else { return false }
            withUnsafeBytes(of: UInt32(der.count).bigEndian) { key.append(contentsOf: $0) }
            key.append(contentsOf: der)
            return true
        }
        guard append(leaf) else { return nil }
        if let untrusted = X509_STORE_CTX_get0_untrusted(store) {
            for i in 0..<COpenSSLShims_sk_X509_num(untrusted) {
                guard let x = COpenSSLShims_sk_X509_value(untrusted, i), append(x) else { return nil }
            }
        }
        // What the checks depend on beyond the bytes: the SSL's verify parameters (names, depth,
        // flags). The trust store and purpose are the context's own and fixed once it is made.
        key.append(0)
        if let param = X509_STORE_CTX_get0_param(store) {
            for v in [Int(X509_VERIFY_PARAM_get_depth(param)), Int(truncatingIfNeeded: X509_VERIFY_PARAM_get_flags(param)),
                      Int(X509_VERIFY_PARAM_get_hostflags(param)), Int(X509_VERIFY_PARAM_get_auth_level(param))] {
                withUnsafeBytes(of: Int64(v).bigEndian) { key.append(contentsOf: $0) }
            }
            var index: Int32 = 0
            while let host = X509_VERIFY_PARAM_get0_host(param, index) {
                key.append(contentsOf: Array(String(cString: host).utf8))
                key.append(0)
                index += 1
            }
            key.append(0)
            if let ip = X509_VERIFY_PARAM_get1_ip_asc(param) {
                key.append(contentsOf: Array(String(cString: ip).utf8))
                CRYPTO_free(ip, #fileID, #line)
            }
        }
        return key
    }

    /// The earliest notAfter of the verified chain, as seconds since 1970.
    static func earliestNotAfter(_ store: OpaquePointer) -> Int? {
        guard let chain = X509_STORE_CTX_get0_chain(store) else { return nil }
        var earliest: Int?
        for i in 0..<COpenSSLShims_sk_X509_num(chain) {
            guard let x = COpenSSLShims_sk_X509_value(chain, i), let notAfter = X509_get0_notAfter(x) else { return nil }
            var t = tm()
            guard ASN1_TIME_to_tm(notAfter, &t) == 1 else { return nil }
            let seconds = Int(timegm(&t))
            earliest = min(earliest ?? seconds, seconds)
        }
        return earliest
    }
}

/// A cache key: hashed in one pass over its bytes (an `[UInt8]` key is hashed byte by byte, about
/// 20 instructions each — some 30,000 per new connection for a two-certificate chain).
struct ChainKey: Hashable {
    let bytes: [UInt8]

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// `SSL_CTX_set_cert_verify_callback` trampoline; `arg` is the context's cache.
func tlsCertVerifyCallback(_ store: OpaquePointer?, _ arg: UnsafeMutableRawPointer?) -> Int32 {
    guard let store else { return 0 }
    guard let arg else { return X509_verify_cert(store) }
    return Unmanaged<VerifiedChainCache>.fromOpaque(arg).takeUnretainedValue().verify(store)
}
