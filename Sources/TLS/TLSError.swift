@_spi(OpenSSL) import PKI

/// Why a TLS context or session failed, with what OpenSSL said: its error queue, the alert
/// received or sent, the certificate verification result.
public enum TLSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Building the context or session (a bad cipher list, group name, certificate or key).
    case configuration(operation: String, errors: [String])
    /// The peer's certificate chain does not verify against the trusted CAs.
    case certificateVerification(code: Int, reason: String)
    /// The peer's certificate is valid but not for the name (or address) asked for.
    case hostnameMismatch(expected: String)
    /// The handshake failed otherwise (no shared version, cipher or group, bad message, ...).
    case handshake(errors: [String], alertSent: TLSAlert?, alertReceived: TLSAlert?)
    /// The peer sent a fatal alert after the handshake (e.g. TLS 1.3 "certificate required").
    case alertReceived(TLSAlert, errors: [String])
    /// A record or protocol error after the handshake.
    case protocolFailure(errors: [String], alertSent: TLSAlert?)
    /// The peer's transport ended without close_notify in the middle of something.
    case unexpectedEOF

    public var description: String {
        switch self {
        case .configuration(let op, let errors): return "TLS \(op) failed: \(errors.joined(separator: "; "))"
        case .certificateVerification(let code, let reason): return "certificate verification failed (\(code)): \(reason)"
        case .hostnameMismatch(let name): return "certificate does not match \(name)"
        case .handshake(let errors, let sent, let received):
            var parts: [String] = []
            if let received { parts.append("alert received: \(received)") }
            if let sent { parts.append("alert sent: \(sent)") }
            parts.append(contentsOf: errors)
            return "TLS handshake failed" + (parts.isEmpty ? "" : ": " + parts.joined(separator: "; "))
        case .alertReceived(let alert, let errors):
            return "TLS alert received: \(alert)" + (errors.isEmpty ? "" : " (\(errors.joined(separator: "; ")))")
        case .protocolFailure(let errors, let sent):
            return "TLS protocol failure" + (sent.map { " (alert sent: \($0))" } ?? "") + ": " + errors.joined(separator: "; ")
        case .unexpectedEOF: return "TLS connection ended without close_notify"
        }
    }
}

/// The one checker for OpenSSL configuration calls in this module (1 = success).
@inline(__always)
func tlsCheck(_ rc: Int32, _ operation: StaticString) throws(TLSError) {
    if rc != 1 { throw .configuration(operation: operation.description, errors: drainOpenSSLErrors()) }
}

@inline(__always)
func tlsCheck<T>(_ pointer: T?, _ operation: StaticString) throws(TLSError) -> T {
    guard let pointer else { throw .configuration(operation: operation.description, errors: drainOpenSSLErrors()) }
    return pointer
}
