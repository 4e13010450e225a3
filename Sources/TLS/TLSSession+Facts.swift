import COpenSSL
import COpenSSLShims

/// What a handshake negotiated, for per-connection output and the run's TLS facts.
extension TLSSession {
    /// "TLSv1.3", "TLSv1.2".
    public var negotiatedVersion: String { String(cString: SSL_get_version(ssl)) }

    public var cipher: String? {
        guard let c = SSL_get_current_cipher(ssl) else { return nil }
        return String(cString: SSL_CIPHER_get_name(c))
    }

    /// The key-exchange group, e.g. "x25519", "secp256r1".
    public var group: String? {
        let nid = COpenSSLShims_SSL_get_negotiated_group(ssl)
        guard nid != 0, let name = SSL_group_to_name(ssl, nid) else { return nil }
        return String(cString: name)
    }

    public var isResumed: Bool { SSL_session_reused(ssl) == 1 }

    /// The ALPN protocol agreed, if any.
    public var alpn: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// The peer's leaf certificate (DER).
    public var peerCertificate: [UInt8]? {
        guard let x = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(x) }
        return Certificate.encode(x)
    }

    /// The channel binding EST links a CSR to (RFC 7030 3.5): `tls-unique` under TLS 1.2 (RFC 5929:
    /// the first Finished message of the latest handshake), `tls-exporter` under TLS 1.3 (RFC 9266).
    public var channelBinding: ChannelBinding? {
        guard isHandshakeComplete else { return nil }
        if SSL_version(ssl) >= TLS1_3_VERSION {
            var out = [UInt8](repeating: 0, count: 32)
            let label = "EXPORTER-Channel-Binding"
            guard SSL_export_keying_material(ssl, &out, 32, label, label.utf8.count, nil, 0, 0) == 1 else { return nil }
            return .tlsExporter(out)
        }
        // The first Finished: the client's in a full handshake, the server's in an abbreviated one.
        let ownFinishedFirst = (context.configuration.role == .client) != isResumed
        var out = [UInt8](repeating: 0, count: 64)
        let n = ownFinishedFirst ? SSL_get_finished(ssl, &out, 64) : SSL_get_peer_finished(ssl, &out, 64)
        guard n > 0 else { return nil }
        return .tlsUnique(Array(out[0..<min(n, 64)]))
    }
}
