import COpenSSL
import COpenSSLShims
@_spi(OpenSSL) import PKI

/// An `SSL_CTX` built from a `TLSConfiguration`: the policy every session of one target or server
/// shares. Owns the `SSL_CTX` (freed in deinit). Not modified after init, so sessions on any worker
/// thread may be created from it (OpenSSL allows concurrent `SSL_new` on a configured context).
public final class TLSContext: @unchecked Sendable {
    public let configuration: TLSConfiguration
    let ctx: OpaquePointer
    /// Client contexts that verify: server chains verified once and reused (see `VerifiedChainCache`).
    let verifiedChains = VerifiedChainCache()

    /// Server-chain verifications answered without running X509_verify_cert again.
    public var verificationCacheHits: Int { verifiedChains.hitCount }

    public init(_ configuration: TLSConfiguration) throws(TLSError) {
        self.configuration = configuration
        let method = configuration.role == .client ? TLS_client_method() : TLS_server_method()
        ctx = try tlsCheck(SSL_CTX_new(method), "SSL_CTX_new")
        // On failure deinit frees the context (every stored property is set by now).
        try configure()
    }

    deinit { SSL_CTX_free(ctx) }

    private func configure() throws(TLSError) {
        let c = configuration
        guard c.minimumVersion.protocolVersion <= c.maximumVersion.protocolVersion else {
            throw .configuration(operation: "versions", errors: ["minimum \(c.minimumVersion.rawValue) is above maximum \(c.maximumVersion.rawValue)"])
        }
        try tlsCheck(Int32(COpenSSLShims_SSL_CTX_set_min_proto_version(ctx, c.minimumVersion.protocolVersion)), "SSL_CTX_set_min_proto_version")
        try tlsCheck(Int32(COpenSSLShims_SSL_CTX_set_max_proto_version(ctx, c.maximumVersion.protocolVersion)), "SSL_CTX_set_max_proto_version")
        _ = SSL_CTX_set_options(ctx, COpenSSLShims_SSL_OP_NO_RENEGOTIATION | COpenSSLShims_SSL_OP_NO_COMPRESSION)
        if let list = c.cipherList { try tlsCheck(SSL_CTX_set_cipher_list(ctx, list), "SSL_CTX_set_cipher_list") }
        if let suites = c.cipherSuites { try tlsCheck(SSL_CTX_set_ciphersuites(ctx, suites), "SSL_CTX_set_ciphersuites") }
        if let groups = c.groups { try tlsCheck(Int32(COpenSSLShims_SSL_CTX_set1_groups_list(ctx, groups)), "SSL_CTX_set1_groups_list") }
        if c.releaseBuffers { _ = COpenSSLShims_SSL_CTX_set_mode(ctx, Int(SSL_MODE_RELEASE_BUFFERS)) }

        // Trust.
        let store = SSL_CTX_get_cert_store(ctx)
        for der in c.trustedCertificates {
            let x = try Certificate.decode(der)
            defer { X509_free(x) }
            try tlsCheck(X509_STORE_add_cert(store, x), "X509_STORE_add_cert")
        }
        if let file = c.trustFile { try tlsCheck(SSL_CTX_load_verify_locations(ctx, file, nil), "SSL_CTX_load_verify_locations") }

        // Identity.
        if let leaf = c.certificateChain.first {
            try tlsCheck(leaf.withUnsafeBufferPointer { SSL_CTX_use_certificate_ASN1(ctx, Int32($0.count), $0.baseAddress) },
                         "SSL_CTX_use_certificate_ASN1")
            for der in c.certificateChain.dropFirst() {
                let x = try Certificate.decode(der)
                defer { X509_free(x) }
                try tlsCheck(Int32(COpenSSLShims_SSL_CTX_add1_chain_cert(ctx, x)), "SSL_CTX_add1_chain_cert")
            }
        }
        if let key = c.privateKey {
            try tlsCheck(SSL_CTX_use_PrivateKey(ctx, key.evpPKey), "SSL_CTX_use_PrivateKey")
            if !c.certificateChain.isEmpty { try tlsCheck(SSL_CTX_check_private_key(ctx), "SSL_CTX_check_private_key") }
        }

        // Verification.
        switch c.role {
        case .client:
            SSL_CTX_set_verify(ctx, c.verifyPeer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
            if c.verifyPeer && c.cacheVerifiedChains {
                SSL_CTX_set_cert_verify_callback(ctx, tlsCertVerifyCallback, Unmanaged.passUnretained(verifiedChains).toOpaque())
            }
        case .server:
            switch c.clientCertificates {
            case .none: SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
            case .request: SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
            case .require: SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
            }
        }

        // Resumption: off / tickets / ids, on both sides.
        switch (c.role, c.resumption) {
        case (.client, .off):
            _ = SSL_CTX_set_options(ctx, COpenSSLShims_SSL_OP_NO_TICKET)
            _ = COpenSSLShims_SSL_CTX_set_session_cache_mode(ctx, Int(SSL_SESS_CACHE_OFF))
        case (.client, let mode):
            if mode == .ids { _ = SSL_CTX_set_options(ctx, COpenSSLShims_SSL_OP_NO_TICKET) }
            _ = COpenSSLShims_SSL_CTX_set_session_cache_mode(ctx, Int(SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE))
            SSL_CTX_sess_set_new_cb(ctx, tlsNewSessionCallback)
        case (.server, .off):
            _ = SSL_CTX_set_options(ctx, COpenSSLShims_SSL_OP_NO_TICKET)
            _ = COpenSSLShims_SSL_CTX_set_session_cache_mode(ctx, Int(SSL_SESS_CACHE_OFF))
            _ = SSL_CTX_set_num_tickets(ctx, 0)
        case (.server, let mode):
            if mode == .ids { _ = SSL_CTX_set_options(ctx, COpenSSLShims_SSL_OP_NO_TICKET) }
            _ = COpenSSLShims_SSL_CTX_set_session_cache_mode(ctx, Int(SSL_SESS_CACHE_SERVER))
            let id: [UInt8] = Array("estbench".utf8)
            try tlsCheck(SSL_CTX_set_session_id_context(ctx, id, UInt32(id.count)), "SSL_CTX_set_session_id_context")
        }

        // ALPN: estbench speaks HTTP/1.1 only.
        if c.alpnHTTP11 {
            if c.role == .client {
                let protos = TLSContext.alpnHTTP11Wire
                guard SSL_CTX_set_alpn_protos(ctx, protos, UInt32(protos.count)) == 0 else {
                    throw .configuration(operation: "SSL_CTX_set_alpn_protos", errors: drainOpenSSLErrors())
                }
            } else {
                SSL_CTX_set_alpn_select_cb(ctx, tlsALPNSelectCallback, nil)
            }
        }

        SSL_CTX_set_info_callback(ctx, tlsInfoCallback)
        SSL_CTX_set_msg_callback(ctx, tlsMessageCallback)
    }

    static let alpnHTTP11Wire: [UInt8] = [8] + Array("http/1.1".utf8)
}

/// DER certificates in and out of OpenSSL's X509.
enum Certificate {
    static func decode(_ der: [UInt8]) throws(TLSError) -> OpaquePointer {
        let x = der.withUnsafeBufferPointer { b -> OpaquePointer? in
            var p: UnsafePointer<UInt8>? = b.baseAddress
            return d2i_X509(nil, &p, b.count)
        }
        return try tlsCheck(x, "d2i_X509")
    }

    static func encode(_ x: OpaquePointer) -> [UInt8]? {
        let n = i2d_X509(x, nil)
        guard n > 0 else { return nil }
        var out = [UInt8](repeating: 0, count: Int(n))
        out.withUnsafeMutableBufferPointer { b in
            var p: UnsafeMutablePointer<UInt8>? = b.baseAddress
            _ = i2d_X509(x, &p)
        }
        return out
    }
}

// MARK: callbacks (global functions capturing nothing; the session comes from SSL app data)

private func session(of ssl: OpaquePointer?) -> TLSSession? {
    guard let ssl, let data = COpenSSLShims_SSL_get_app_data(ssl) else { return nil }
    return Unmanaged<TLSSession>.fromOpaque(data).takeUnretainedValue()
}

/// Records alerts sent and received, for errors and the run's TLS facts.
private func tlsInfoCallback(_ ssl: OpaquePointer?, _ where: Int32, _ ret: Int32) {
    guard `where` & SSL_CB_ALERT != 0, let s = session(of: ssl) else { return }
    let alert = TLSAlert(code: UInt8(truncatingIfNeeded: ret))
    if `where` & SSL_CB_READ != 0 { s.alertReceived = alert } else { s.alertSent = alert }
}

/// Spots a HelloRetryRequest: a ServerHello whose random is the RFC 8446 magic value.
private func tlsMessageCallback(_ writeP: Int32, _ version: Int32, _ contentType: Int32, _ buf: UnsafeRawPointer?,
                                _ len: Int, _ ssl: OpaquePointer?, _ arg: UnsafeMutableRawPointer?) {
    guard contentType == 22, len >= 38, let buf, buf.load(as: UInt8.self) == 2, let s = session(of: ssl) else { return }
    let random = UnsafeRawBufferPointer(start: buf + 6, count: 32)
    if random.elementsEqual(TLSSession.helloRetryRandom) { s.helloRetryRequest = true }
}

/// Client: keeps the newest session (ticket or id) for resumption; returning 1 keeps OpenSSL's reference.
private func tlsNewSessionCallback(_ ssl: OpaquePointer?, _ session: OpaquePointer?) -> Int32 {
    guard let owner = TLS.session(of: ssl), let session else { return 0 }
    owner.resumableSession = TLSResumableSession(taking: session)
    return 1
}

/// Server: selects http/1.1 when the client offers it, otherwise no ALPN.
private func tlsALPNSelectCallback(_ ssl: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
                                   _ outlen: UnsafeMutablePointer<UInt8>?, _ input: UnsafePointer<UInt8>?, _ inlen: UInt32,
                                   _ arg: UnsafeMutableRawPointer?) -> Int32 {
    guard let input, let out, let outlen else { return SSL_TLSEXT_ERR_NOACK }
    var i = 0
    while i < Int(inlen) {
        let n = Int(input[i])
        if n == 8, i + 1 + n <= Int(inlen),
           UnsafeBufferPointer(start: input + i + 1, count: n).elementsEqual(TLSContext.alpnHTTP11Wire.dropFirst()) {
            out.pointee = input + i + 1
            outlen.pointee = UInt8(n)
            return SSL_TLSEXT_ERR_OK
        }
        i += 1 + n
    }
    return SSL_TLSEXT_ERR_NOACK
}
