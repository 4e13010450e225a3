import PKI
@testable import TLS
import XCTest

/// A CA, a server certificate for "localhost" / 127.0.0.1 signed by it, and a client certificate,
/// made through OpenSSL's X509 API (independent of the code under test).
struct TLSFixture {
    let caKey: PrivateKey
    let caCertificate: [UInt8]
    let serverKey: PrivateKey
    let serverCertificate: [UInt8]
    let clientKey: PrivateKey
    let clientCertificate: [UInt8]

    init(serverKeyType: KeyType = .p256, caName: String = "estbench test CA") throws {
        caKey = try KeyGenerator(type: .p256).generate()
        caCertificate = try OpenSSLCertificateFixture.certificate(
            subjectKey: caKey, commonName: caName, issuerKey: caKey, issuerName: caName,
            serial: 1, isCA: true)
        serverKey = try KeyGenerator(type: serverKeyType).generate()
        serverCertificate = try OpenSSLCertificateFixture.certificate(
            subjectKey: serverKey, commonName: "localhost", issuerKey: caKey, issuerName: caName,
            serial: 2, subjectAltNames: "DNS:localhost,IP:127.0.0.1")
        clientKey = try KeyGenerator(type: .p256).generate()
        clientCertificate = try OpenSSLCertificateFixture.certificate(
            subjectKey: clientKey, commonName: "device-1", issuerKey: caKey, issuerName: caName, serial: 3)
    }

    func serverConfiguration(_ change: (inout TLSConfiguration) -> Void = { _ in }) -> TLSConfiguration {
        var c = TLSConfiguration(role: .server)
        c.certificateChain = [serverCertificate]
        c.privateKey = serverKey
        c.trustedCertificates = [caCertificate]
        change(&c)
        return c
    }

    func clientConfiguration(_ change: (inout TLSConfiguration) -> Void = { _ in }) -> TLSConfiguration {
        var c = TLSConfiguration(role: .client)
        c.trustedCertificates = [caCertificate]
        change(&c)
        return c
    }
}

/// Moves ciphertext between two in-memory sessions, `chunk` bytes at a time, until both handshakes
/// finish or one fails. Returns the first failure, if any.
@discardableResult
func pumpHandshake(_ client: TLSSession, _ server: TLSSession, chunk: Int = 16384, rounds: Int = 200) -> TLSError? {
    for _ in 0..<rounds {
        var moved = false
        for (from, to) in [(client, server), (server, client)] {
            switch from.handshake() {
            case .failed(let e):
                deliver(from, to, chunk: chunk)
                return e
            case .progress, .needsInput: break
            }
            moved = deliver(from, to, chunk: chunk) || moved
        }
        if client.isHandshakeComplete && server.isHandshakeComplete && client.pendingCiphertext == 0 && server.pendingCiphertext == 0 {
            return nil
        }
        if !moved && client.isHandshakeComplete && server.isHandshakeComplete { return nil }
    }
    XCTFail("handshake did not finish")
    return nil
}

/// Feeds `from`'s pending ciphertext to `to` in pieces of `chunk` bytes, driving `to` after each piece.
@discardableResult
func deliver(_ from: TLSSession, _ to: TLSSession, chunk: Int) -> Bool {
    let bytes = from.takeCiphertext()
    var i = 0
    while i < bytes.count {
        let end = min(bytes.count, i + chunk)
        bytes[i..<end].withUnsafeBytes { to.feed($0) }
        if !to.isHandshakeComplete { _ = to.handshake() }
        i = end
    }
    return !bytes.isEmpty
}

/// Reads all plaintext `session` can produce now.
func readAll(_ session: TLSSession) -> (bytes: [UInt8], closeNotify: Bool, error: TLSError?) {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let step = buffer.withUnsafeMutableBytes { session.read(into: $0) }
        switch step {
        case .progress(.bytes(let n)): out += buffer[0..<n]
        case .progress(.closeNotify): return (out, true, nil)
        case .needsInput: return (out, false, nil)
        case .failed(let e): return (out, false, e)
        }
    }
}
