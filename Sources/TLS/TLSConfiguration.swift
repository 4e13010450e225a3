import PKI

/// Everything a TLS context is built from: role, versions, ciphers, groups, trust, identity,
/// resumption and ALPN. Verification is on unless explicitly turned off.
public struct TLSConfiguration: Sendable {
    public enum Role: Sendable { case client, server }

    /// Session resumption is an explicit switch, never a side effect.
    public enum Resumption: String, Sendable, CaseIterable {
        case off, tickets, ids
    }

    /// What a server asks of clients.
    public enum ClientCertificatePolicy: Sendable { case none, request, require }

    public var role: Role
    public var minimumVersion: TLSVersion = .tls12
    public var maximumVersion: TLSVersion = .tls13
    /// OpenSSL cipher list for TLS 1.2 (nil: OpenSSL's default).
    public var cipherList: String?
    /// TLS 1.3 cipher suites, colon-separated (nil: OpenSSL's default).
    public var cipherSuites: String?
    /// Key-exchange groups in preference order, e.g. "X25519:P-256" (nil: OpenSSL's default).
    public var groups: String?
    /// Client: verify the server's chain (and name). Server: verify client certificates when sent.
    public var verifyPeer = true
    /// Trusted CA certificates (DER).
    public var trustedCertificates: [[UInt8]] = []
    /// A PEM CA bundle file.
    public var trustFile: String?
    /// Our certificate chain (DER, leaf first) and key: the server's identity, or a client's default one.
    public var certificateChain: [[UInt8]] = []
    public var privateKey: PrivateKey?
    public var resumption: Resumption = .off
    /// Offer (client) or accept (server) ALPN "http/1.1".
    public var alpnHTTP11 = true
    /// `SSL_MODE_RELEASE_BUFFERS`: frees idle read/write buffers (idle-heavy runs).
    public var releaseBuffers = false
    public var clientCertificates: ClientCertificatePolicy = .none
    /// Client: a server chain verified once is trusted again while it is byte-identical, for the
    /// same name and verify parameters, until its earliest notAfter (`VerifiedChainCache`); false
    /// verifies every time. On a cache hit the peer certificate, chain and verify result are as
    /// usual, but OpenSSL keeps no verified chain (`SSL_get0_verified_chain` is NULL) and no matched
    /// peer name: nothing here uses either (no DANE, no CT).
    public var cacheVerifiedChains = true

    public init(role: Role) { self.role = role }
}
