import PKI
import TLS

extension ESTServer {
    /// A server for `authority`: the TLS identity is the authority's server certificate; client
    /// certificates are requested (for cert authentication and re-enrollment) and must chain to it
    /// or to one of `configuration.clientCAs`.
    public static func make(configuration: ServerConfiguration, authority: CertificateAuthority,
                            log: ServerLog = ServerLog()) throws -> ESTServer {
        var tls = TLSConfiguration(role: .server)
        tls.certificateChain = authority.serverCertificateChain
        tls.privateKey = authority.serverKey
        tls.trustedCertificates = authority.caCertificates + configuration.clientCAs
        tls.clientCertificates = .request
        tls.minimumVersion = configuration.minimumTLSVersion
        tls.maximumVersion = configuration.maximumTLSVersion
        tls.resumption = configuration.resumption
        // Kept-alive clients mostly wait: idle connections give their OpenSSL buffers back.
        tls.releaseBuffers = true
        let context = try TLSContext(tls)
        return ESTServer(configuration: configuration, tlsContext: context, log: log) { worker in
            try ESTService(authority: authority, configuration: configuration, worker: worker)
        }
    }
}
