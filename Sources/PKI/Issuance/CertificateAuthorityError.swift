import DER

/// Why a CA directory could not be written or read back; each case names the file.
public enum CertificateAuthorityError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    /// The file holds no PEM "CERTIFICATE" block.
    case noCertificate(path: String)
    case malformedCertificate(path: String, DERError)
    case unreadableKey(path: String, PKIError)
    /// A key file whose key is not the one certified in its certificate file.
    case keyMismatch(keyPath: String, certificatePath: String)
    /// One of a certificate/key pair is present without the other.
    case incompletePair(present: String, missing: String)
    /// Exporting a key for its file failed.
    case keyExport(PKIError)
    /// A key file that others may read or write (keys stay 0600).
    case keyExposed(path: String, mode: UInt32)
    /// Making a new CA failed (its options).
    case cannotCreate(PKIError)

    public var description: String {
        switch self {
        case .cannotWrite(let p, let r): return "cannot write CA file \(p): \(r)"
        case .cannotRead(let p, let r): return "cannot read CA file \(p): \(r)"
        case .noCertificate(let p): return "\(p) holds no PEM CERTIFICATE"
        case .malformedCertificate(let p, let e): return "certificate in \(p) is malformed: \(e)"
        case .unreadableKey(let p, let e): return "private key \(p) does not load: \(e)"
        case .keyMismatch(let k, let c): return "private key \(k) does not match the certificate in \(c)"
        case .incompletePair(let present, let missing): return "\(present) exists but \(missing) does not"
        case .keyExport(let e): return "cannot export a CA key: \(e)"
        case .keyExposed(let p, let mode):
            return "private key \(p) is accessible to others (mode 0\(String(mode, radix: 8))); keys must be 0600: chmod 600 \(p)"
        case .cannotCreate(let e): return "cannot create the CA: \(e)"
        }
    }
}
