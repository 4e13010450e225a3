import COpenSSL
import DER

/// Errors from keys, signing and CSR building; OpenSSL failures carry the operation and the drained error queue.
public enum PKIError: Error, Equatable, Sendable, CustomStringConvertible {
    case openssl(operation: String, errors: [String])
    case invalidKeyMaterial(KeyType, reason: String)
    case invalidTemplate(String)
    case malformed(what: String, DERError)

    public var description: String {
        switch self {
        case .openssl(let op, let errors):
            return errors.isEmpty ? "OpenSSL \(op) failed" : "OpenSSL \(op) failed: \(errors.joined(separator: "; "))"
        case .invalidKeyMaterial(let type, let reason): return "invalid \(type) key material: \(reason)"
        case .invalidTemplate(let reason): return reason
        case .malformed(let what, let error): return "malformed \(what): \(error)"
        }
    }
}

/// Drains OpenSSL's thread-local error queue into readable lines (oldest first).
/// Shared with the TLS module, the other importer of OpenSSL.
@_spi(OpenSSL) public func drainOpenSSLErrors() -> [String] {
    var lines: [String] = []
    while true {
        let code = ERR_get_error()
        if code == 0 { break }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        lines.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    return lines
}

/// The one checker for OpenSSL return codes (1 = success in the EVP API).
@inline(__always)
func sslCheck(_ rc: Int32, _ operation: StaticString) throws(PKIError) {
    if rc != 1 { throw PKIError.openssl(operation: operation.description, errors: drainOpenSSLErrors()) }
}

/// The one checker for OpenSSL constructors that return NULL on failure.
@inline(__always)
func sslCheck<T>(_ pointer: T?, _ operation: StaticString) throws(PKIError) -> T {
    guard let pointer else {
        throw PKIError.openssl(operation: operation.description, errors: drainOpenSSLErrors())
    }
    return pointer
}
