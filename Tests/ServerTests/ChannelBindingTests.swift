import EST
import EventLoop
import HTTP
import PKI
import Server
import TLS
import XCTest

/// The channel-binding-required mode: a CSR signed after the handshake with this connection's
/// tls-unique (TLS 1.2) or tls-exporter (TLS 1.3) in challengePassword enrolls; one carrying another
/// connection's value is refused. The server runs in process on 127.0.0.1; the client is ours.
final class ChannelBindingTests: XCTestCase {
    /// Connects, builds the CSR after the handshake with `password(binding)`, POSTs simpleenroll.
    final class BoundEnrollment: TLSConnectionDelegate {
        let template: HTTPRequestTemplate
        let builder: CSRBuilder
        let signer: Signer
        let password: (ChannelBinding) -> String
        var parser = HTTPResponseParser(requestMethod: .post)
        var status: Int?
        var body: [UInt8] = []
        var binding: ChannelBinding?
        var failure: String?
        let done: () -> Void

        init(host: String, password: @escaping (ChannelBinding) -> String, done: @escaping () -> Void) throws {
            template = try HTTPRequestTemplate(method: .post, target: ESTPath(operation: .simpleenroll).target, host: host,
                                               contentType: ESTMediaType.pkcs10)
            builder = try CSRBuilder(template: try CSRTemplate(commonName: "bound-{i}"))
            signer = try Signer(key: try KeyGenerator(type: .p256).generate())
            self.password = password
            self.done = done
        }

        func tlsConnectionDidHandshake(_ connection: TLSConnection) {
            guard let b = connection.session.channelBinding else { failure = "no binding"; connection.close(); return }
            binding = b
            do {
                let csr = try builder.build(index: 1, signer: signer, challengePassword: password(b))
                var request: [UInt8] = []
                template.encode(body: Base64.encode(csr), closeConnection: true, into: &request)
                connection.write(request)
            } catch {
                failure = "\(error)"
                connection.close()
            }
        }

        func tlsConnection(_ connection: TLSConnection, didRead plaintext: UnsafeRawBufferPointer) {
            if case .complete = parser.feed(plaintext) {
                status = parser.status
                body = parser.body
                connection.close()
            }
        }

        func tlsConnectionPeerDidClose(_ connection: TLSConnection, closeNotify: Bool) { connection.close() }
        func tlsConnection(_ connection: TLSConnection, didFail error: TLSConnectionError) { failure = "\(error)" }
        func tlsConnectionDidClose(_ connection: TLSConnection) { done() }
    }

    func enroll(server: ESTServer, authority: CertificateAuthority, version: TLSVersion,
                password: @escaping (ChannelBinding) -> String) throws -> BoundEnrollment {
        let loop = try Loop()
        var tls = TLSConfiguration(role: .client)
        tls.trustedCertificates = [authority.root]
        tls.minimumVersion = version
        tls.maximumVersion = version
        let client = try TLSConnection(loop: loop, context: try TLSContext(tls), serverName: "127.0.0.1")
        let watchdog = try EventLoop.Timer(loop: loop) { loop.stop() }
        try watchdog.start(timeoutMs: 10_000)
        let enrollment = try BoundEnrollment(host: "127.0.0.1:\(server.port)", password: password) { watchdog.close() }
        client.delegate = enrollment
        try client.connect(to: SocketAddress(ip: "127.0.0.1", port: server.port))
        _ = loop.run()
        try loop.close()
        return enrollment
    }

    func testBoundCSREnrollsAndAForeignBindingIsRefused() throws {
        let authority = try CertificateAuthority()
        var configuration = ServerConfiguration(listen: try SocketAddress(ip: "127.0.0.1", port: 0), threads: 1)
        configuration.requireChannelBinding = true
        let server = try ESTServer.make(configuration: configuration, authority: authority, log: ServerLog { _ in })
        try server.start()
        defer { server.stop() }
        for version in TLSVersion.allCases {
            let ok = try enroll(server: server, authority: authority, version: version) {
                Base64.encodeString($0.bytes, lineLength: 0)
            }
            XCTAssertNil(ok.failure)
            XCTAssertEqual(ok.status, 200, "\(version): \(String(decoding: ok.body, as: UTF8.self))")
            switch (version, ok.binding) {
            case (.tls12, .tlsUnique?), (.tls13, .tlsExporter?): break
            default: XCTFail("\(version): \(String(describing: ok.binding))")
            }
            let issued = try CertsOnly.decoding(estBody: ok.body).message
            XCTAssertNotNil(try issued.issued(matching: ok.signer.key.publicKeyInfo))

            // The value of an earlier connection does not bind this one.
            let stale = Base64.encodeString(try XCTUnwrap(ok.binding).bytes, lineLength: 0)
            let refused = try enroll(server: server, authority: authority, version: version) { _ in stale }
            XCTAssertEqual(refused.status, 400, "\(version)")
            XCTAssertTrue(String(decoding: refused.body, as: UTF8.self).contains("channel binding"))
            // No challengePassword at all: refused too.
            let missing = try enroll(server: server, authority: authority, version: version) { _ in "" }
            XCTAssertEqual(missing.status, 400, "\(version)")
        }
    }
}
