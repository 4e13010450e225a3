#if canImport(Glibc)
import Glibc
#endif

/// The plaintext and ciphertext buffers a TLS pump needs only while it runs: one pair per thread,
/// shared by every connection on that thread's loop, so 10,000 idle connections do not hold
/// 32 KiB each. A nested use (a delegate callback that writes or reads another connection while
/// the buffer is lent out) gets a temporary buffer instead.
final class TLSScratch {
    static let plaintextSize = 16 * 1024
    static let ciphertextSize = 16 * 1024 + 512

    private let plaintext = UnsafeMutableRawBufferPointer.allocate(byteCount: plaintextSize, alignment: 16)
    private let ciphertext = UnsafeMutableRawBufferPointer.allocate(byteCount: ciphertextSize, alignment: 16)
    private var plaintextLent = false
    private var ciphertextLent = false

    deinit {
        plaintext.deallocate()
        ciphertext.deallocate()
    }

    /// This thread's buffers, made on first use and freed when the thread ends.
    static var current: TLSScratch {
        if let p = pthread_getspecific(key) { return Unmanaged<TLSScratch>.fromOpaque(p).takeUnretainedValue() }
        let scratch = TLSScratch()
        pthread_setspecific(key, Unmanaged.passRetained(scratch).toOpaque())
        return scratch
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let rc = pthread_key_create(&key) { p in
            if let p { Unmanaged<TLSScratch>.fromOpaque(p).release() }
        }
        precondition(rc == 0, "pthread_key_create: \(rc)")
        return key
    }()

    /// Calls `body` with the shared plaintext buffer, or a temporary one when it is lent out.
    func withPlaintext<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        if plaintextLent { return Self.withTemporary(count: plaintext.count, body) }
        plaintextLent = true
        defer { plaintextLent = false }
        return body(plaintext)
    }

    /// Calls `body` with the shared ciphertext buffer, or a temporary one when it is lent out.
    func withCiphertext<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        if ciphertextLent { return Self.withTemporary(count: ciphertext.count, body) }
        ciphertextLent = true
        defer { ciphertextLent = false }
        return body(ciphertext)
    }

    private static func withTemporary<R>(count: Int, _ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        let temporary = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        defer { temporary.deallocate() }
        return body(temporary)
    }
}
