import COpenSSL
import COpenSSLShims
@_spi(OpenSSL) import PKI

/// One TLS connection's state: an `SSL` with two memory BIOs. It never sees a socket: the caller
/// `feed`s ciphertext from the peer, calls `handshake`/`read`/`write`/`shutdown`, and takes the
/// ciphertext to send. Owns the `SSL` (which owns both BIOs); confined to one thread.
public final class TLSSession {
    public let context: TLSContext
    let ssl: OpaquePointer
    /// Owned by `ssl`; replaced by empty ones in `releaseIdleMemory`.
    private var rbio: OpaquePointer
    private var wbio: OpaquePointer
    /// The name (or address) the peer's certificate must match; nil when not checked.
    public let expectedPeerName: String?

    // Filled by the context's callbacks.
    public internal(set) var alertReceived: TLSAlert?
    public internal(set) var alertSent: TLSAlert?
    public internal(set) var helloRetryRequest = false
    /// Client: the newest session the server gave us (for resumption), when resumption is on.
    public internal(set) var resumableSession: TLSResumableSession?

    // Exclusivity unchecked (see EventLoop's `Loop`): the session's thread only, plain loads and stores.
    @exclusivity(unchecked) public private(set) var isHandshakeComplete = false
    /// Set once a step failed: the session must then not be resumed.
    public private(set) var hasFailed = false

    /// RFC 8446 4.1.3: the ServerHello.random that marks a HelloRetryRequest.
    static let helloRetryRandom: [UInt8] = [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ]

    /// - Parameters:
    ///   - serverName: client: the host name for SNI and the certificate check, or an IP address
    ///     (checked against IP SANs, no SNI). Ignored on servers.
    ///   - resuming: client: a session from an earlier connection to offer.
    public init(context: TLSContext, serverName: String? = nil, resuming: TLSResumableSession? = nil) throws(TLSError) {
        self.context = context
        ssl = try tlsCheck(SSL_new(context.ctx), "SSL_new")
        let r = TLSSession.makeMemoryBIO(), w = TLSSession.makeMemoryBIO()
        guard let r, let w else {
            BIO_free(r)
            BIO_free(w)
            SSL_free(ssl)
            throw .configuration(operation: "BIO_new", errors: drainOpenSSLErrors())
        }
        SSL_set_bio(ssl, r, w)
        rbio = r
        wbio = w
        expectedPeerName = context.configuration.role == .client && context.configuration.verifyPeer ? serverName : nil
        _ = COpenSSLShims_SSL_set_app_data(ssl, Unmanaged.passUnretained(self).toOpaque())
        // Every stored property is set: a throw from here runs deinit, which frees the SSL.
        if context.configuration.role == .client {
            SSL_set_connect_state(ssl)
            if let serverName { try setPeerName(serverName) }
            if let resuming, context.configuration.resumption != .off {
                try tlsCheck(SSL_set_session(ssl, resuming.session), "SSL_set_session")
            }
        } else {
            SSL_set_accept_state(ssl)
        }
    }

    deinit {
        // OpenSSL drops the session from resumption when an SSL is freed without close_notify;
        // a connection that simply ended (EOF, keep-alive closed by us) must stay resumable.
        if isHandshakeComplete && !hasFailed { SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN) }
        SSL_free(ssl)
    }

    /// An empty memory BIO, nil when malloc fails. An empty read BIO means "more input needed",
    /// not end of file.
    private static func makeMemoryBIO() -> OpaquePointer? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        _ = COpenSSLShims_BIO_set_mem_eof_return(bio, -1)
        return bio
    }

    private func setPeerName(_ name: String) throws(TLSError) {
        let isAddress = name.contains(":") || name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }
        if isAddress {
            if context.configuration.verifyPeer {
                try tlsCheck(X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name), "X509_VERIFY_PARAM_set1_ip_asc")
            }
        } else {
            try tlsCheck(Int32(COpenSSLShims_SSL_set_tlsext_host_name(ssl, name)), "SSL_set_tlsext_host_name")
            if context.configuration.verifyPeer { try tlsCheck(SSL_set1_host(ssl, name), "SSL_set1_host") }
        }
    }

    /// Presents this certificate chain (DER, leaf first) and key on this connection only — a
    /// device's own identity, e.g. the certificate being renewed.
    public func useCertificate(chain: [[UInt8]], key: PrivateKey) throws(TLSError) {
        guard let leaf = chain.first else { return }
        try tlsCheck(leaf.withUnsafeBufferPointer { SSL_use_certificate_ASN1(ssl, $0.baseAddress, Int32($0.count)) },
                     "SSL_use_certificate_ASN1")
        for der in chain.dropFirst() {
            let x = try Certificate.decode(der)
            defer { X509_free(x) }
            try tlsCheck(Int32(SSL_ctrl(ssl, SSL_CTRL_CHAIN_CERT, 1, UnsafeMutableRawPointer(x))), "SSL_add1_chain_cert")
        }
        try tlsCheck(SSL_use_PrivateKey(ssl, key.evpPKey), "SSL_use_PrivateKey")
        try tlsCheck(SSL_check_private_key(ssl), "SSL_check_private_key")
    }

    // MARK: ciphertext in and out

    /// Hands ciphertext received from the peer to OpenSSL.
    public func feed(_ ciphertext: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < ciphertext.count {
            let n = BIO_write(rbio, ciphertext.baseAddress! + offset, Int32(min(ciphertext.count - offset, Int(Int32.max))))
            if n <= 0 { return }  // a memory BIO only fails when malloc does
            offset += Int(n)
        }
    }

    public func feed(_ ciphertext: [UInt8]) { ciphertext.withUnsafeBytes { feed($0) } }

    /// Bytes of ciphertext waiting to be sent.
    public var pendingCiphertext: Int { TLSSession.pending(wbio) }

    /// Bytes waiting in one of the session's memory BIOs: what went in through `BIO_write` less
    /// what came out through `BIO_read` (the only ways bytes enter or leave them: we feed the read
    /// BIO and drain the write BIO, OpenSSL's record layer reads and writes them, nothing resets
    /// them, and `releaseIdleMemory` swaps in fresh ones). Two field reads, where
    /// `BIO_ctrl_pending` walks `BIO_ctrl`'s callback and method dispatch (~100 instructions, up
    /// to five times per kept-alive exchange).
    @inline(__always)
    static func pending(_ bio: OpaquePointer) -> Int { Int(truncatingIfNeeded: BIO_number_written(bio) &- BIO_number_read(bio)) }

    /// Moves up to `buffer.count` bytes of ciphertext to send into `buffer`; returns how many.
    public func takeCiphertext(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard buffer.count > 0, pendingCiphertext > 0 else { return 0 }
        let n = BIO_read(wbio, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
        return n > 0 ? Int(n) : 0
    }

    /// Empties OpenSSL's error queue before a step, so `SSL_get_error` judges that step alone.
    /// `ERR_clear_error` wipes every slot of the queue even when it is empty (~800 instructions
    /// in OpenSSL 3.0, twice per kept-alive exchange); `ERR_peek_error` answers "empty" — the
    /// usual case, since every failure drains the queue — for a fraction of that, and an empty
    /// queue is exactly what `SSL_get_error` then sees.
    @inline(__always)
    private func clearErrorQueue() {
        if ERR_peek_error() != 0 { ERR_clear_error() }
    }

    /// All ciphertext waiting to be sent, as a new array.
    public func takeCiphertext() -> [UInt8] {
        let n = pendingCiphertext
        guard n > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: n)
        let got = out.withUnsafeMutableBytes { takeCiphertext(into: $0) }
        if got < n { out.removeSubrange(got...) }
        return out
    }

    // MARK: steps

    public func handshake() -> TLSStep<Void> {
        if isHandshakeComplete { return .progress(()) }
        clearErrorQueue()
        let rc = SSL_do_handshake(ssl)
        if rc == 1 {
            handshakeCompleted()
            return .progress(())
        }
        return classify(rc, duringHandshake: true)
    }

    /// Reads plaintext into `buffer`. After the handshake keep calling until `.needsInput`: TLS 1.3
    /// tickets and the response may already be buffered.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSStep<TLSRead> {
        // Nothing buffered anywhere: SSL_read could only want input, after setting up (and, with
        // SSL_MODE_RELEASE_BUFFERS, keeping) a 16 KiB read buffer for an idle connection.
        if isHandshakeComplete && TLSSession.pending(rbio) == 0 && SSL_has_pending(ssl) == 0 { return .needsInput }
        clearErrorQueue()
        var n = 0
        let rc = SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &n)
        if rc == 1 {
            if !isHandshakeComplete { handshakeCompleted() }
            return .progress(.bytes(n))
        }
        if SSL_get_error(ssl, rc) == SSL_ERROR_ZERO_RETURN { return .progress(.closeNotify) }
        switch classify(rc, duringHandshake: !isHandshakeComplete) {
        case .needsInput: return .needsInput
        case .failed(let e): return .failed(e)
        case .progress: return .needsInput
        }
    }

    /// Encrypts `plaintext` (all of it: memory BIOs never block writes).
    public func write(_ plaintext: UnsafeRawBufferPointer) -> TLSStep<Int> {
        clearErrorQueue()
        var n = 0
        let rc = SSL_write_ex(ssl, plaintext.baseAddress, plaintext.count, &n)
        if rc == 1 { return .progress(n) }
        switch classify(rc, duringHandshake: !isHandshakeComplete) {
        case .needsInput: return .needsInput
        case .failed(let e): return .failed(e)
        case .progress: return .needsInput
        }
    }

    public func write(_ plaintext: [UInt8]) -> TLSStep<Int> { plaintext.withUnsafeBytes { write($0) } }

    /// Sends close_notify (progress: ours is out; the peer's may follow).
    public func shutdown() -> TLSStep<Void> {
        clearErrorQueue()
        let rc = SSL_shutdown(ssl)
        if rc >= 0 { return .progress(()) }
        return classify(rc, duringHandshake: false)
    }

    // MARK: memory

    /// Client: the server's certificates are decoded afresh on every connection (about 3 KiB each
    /// for a P-256 certificate in OpenSSL 3.0) and kept in the session's peer chain for as long as
    /// the connection lives. Once the handshake has verified them nothing reads the chain again —
    /// the session's own reference keeps the leaf for `SSL_get1_peer_certificate` — so the chain's
    /// references are dropped, which frees every certificate but the leaf. (OpenSSL has no call
    /// for this: the stack `SSL_get_peer_cert_chain` lends is emptied in place, and the session
    /// later frees an empty stack.)
    private func handshakeCompleted() {
        isHandshakeComplete = true
        guard context.configuration.role == .client, let chain = SSL_get_peer_cert_chain(ssl) else { return }
        while let certificate = COpenSSLShims_sk_X509_pop(chain) { X509_free(certificate) }
    }

    /// Gives back what an idle connection need not hold: each memory BIO keeps a buffer as large
    /// as the biggest flight that passed through it (the server's handshake, a response — a few
    /// KiB), so an empty one that holds a buffer is replaced by a new, empty BIO. Call between
    /// exchanges (a device about to think); nothing happens mid-handshake, after a failure, or
    /// while bytes are waiting. OpenSSL's own record buffers go back by themselves
    /// (`SSL_MODE_RELEASE_BUFFERS`).
    public func releaseIdleMemory() {
        guard isHandshakeComplete && !hasFailed else { return }
        if TLSSession.idleBufferBytes(rbio) > 0, let fresh = TLSSession.makeMemoryBIO() {
            SSL_set0_rbio(ssl, fresh)  // frees the old one
            rbio = fresh
        }
        if TLSSession.idleBufferBytes(wbio) > 0, let fresh = TLSSession.makeMemoryBIO() {
            SSL_set0_wbio(ssl, fresh)
            wbio = fresh
        }
    }

    /// Bytes of buffer a memory BIO holds while nothing is waiting in it.
    static func idleBufferBytes(_ bio: OpaquePointer) -> Int {
        guard BIO_ctrl_pending(bio) == 0 else { return 0 }
        var memory: UnsafeMutablePointer<BUF_MEM>?
        guard COpenSSLShims_BIO_get_mem_ptr(bio, &memory) > 0, let memory else { return 0 }
        return memory.pointee.max
    }

    /// Buffer bytes the two memory BIOs hold while empty (what `releaseIdleMemory` gives back).
    public var idleBIOBufferBytes: Int { TLSSession.idleBufferBytes(rbio) + TLSSession.idleBufferBytes(wbio) }

    /// Certificates in the peer chain the session keeps (the client empties it after the handshake).
    public var peerChainCount: Int {
        guard let chain = SSL_get_peer_cert_chain(ssl) else { return 0 }
        return Int(COpenSSLShims_sk_X509_num(chain))
    }

    /// Maps an SSL return code to the three-way step, draining OpenSSL's error queue into the error.
    private func classify(_ rc: Int32, duringHandshake: Bool) -> TLSStep<Void> {
        let code = SSL_get_error(ssl, rc)
        switch code {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .needsInput
        case SSL_ERROR_ZERO_RETURN:
            return .failed(.unexpectedEOF)
        default:
            hasFailed = true
            let errors = drainOpenSSLErrors()
            if duringHandshake {
                let verify = SSL_get_verify_result(ssl)
                if verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH {
                    return .failed(.hostnameMismatch(expected: expectedPeerName ?? ""))
                }
                if verify != X509_V_OK {
                    return .failed(.certificateVerification(code: verify, reason: String(cString: X509_verify_cert_error_string(verify))))
                }
                return .failed(.handshake(errors: errors, alertSent: alertSent, alertReceived: alertReceived))
            }
            if let alertReceived { return .failed(.alertReceived(alertReceived, errors: errors)) }
            if code == SSL_ERROR_SYSCALL && errors.isEmpty { return .failed(.unexpectedEOF) }
            return .failed(.protocolFailure(errors: errors, alertSent: alertSent))
        }
    }
}
