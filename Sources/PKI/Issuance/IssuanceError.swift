import DER

/// Why a CSR was refused or a certificate could not be issued. Every case but `.internalFailure`
/// is the requester's fault (an EST server answers 400); `.internalFailure` is the server's (500).
public enum IssuanceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body is not a DER PKCS#10 CertificationRequest.
    case malformedCSR(DERError)
    /// CertificationRequestInfo.version other than v1 (0).
    case unsupportedCSRVersion(Int)
    /// A SubjectPublicKeyInfo algorithm other than id-ecPublicKey, rsaEncryption, id-Ed25519.
    case unsupportedKeyAlgorithm(oid: String)
    /// An EC key on a curve other than P-256 and P-384.
    case unsupportedCurve(oid: String)
    /// An RSA modulus other than 2048, 3072 or 4096 bits.
    case unsupportedKeySize(bits: Int)
    /// The key's encoding or value is unusable (bad point, wrong length, even exponent, ...).
    case malformedPublicKey(reason: String)
    /// A signature algorithm this issuer does not verify (SHA-1, DSA, Ed448, ...).
    case unsupportedSignatureAlgorithm(oid: String)
    /// A known signature algorithm with parameters it does not take or this issuer does not support.
    case unsupportedSignatureParameters(algorithm: String)
    /// E.g. an ECDSA signature on a CSR carrying an RSA key.
    case signatureAlgorithmMismatch(algorithm: String, keyType: KeyType)
    /// The proof of possession failed: the signature is not the key's over the CertificationRequestInfo.
    case signatureDoesNotVerify(algorithm: String, openSSL: [String])
    /// OpenSSL failed on the issuer's side (signing, hashing, context setup).
    case internalFailure(PKIError)

    /// The requester's fault (HTTP 400) rather than the server's (HTTP 500).
    public var isRequestError: Bool {
        if case .internalFailure = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .malformedCSR(let e): return "CSR is not valid DER PKCS#10: \(e)"
        case .unsupportedCSRVersion(let v): return "CSR version \(v) is not v1 (0)"
        case .unsupportedKeyAlgorithm(let oid):
            return "public key algorithm \(oid) is not supported; allowed: EC (P-256, P-384), RSA, Ed25519"
        case .unsupportedCurve(let oid): return "EC curve \(oid) is not supported; allowed: P-256, P-384"
        case .unsupportedKeySize(let bits): return "RSA modulus of \(bits) bits is not supported; allowed: 2048, 3072, 4096"
        case .malformedPublicKey(let reason): return "malformed public key: \(reason)"
        case .unsupportedSignatureAlgorithm(let oid):
            return "signature algorithm \(oid) is not supported; allowed: ecdsa-with-SHA256/384/512, "
                + "sha256/384/512WithRSAEncryption, RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32), Ed25519"
        case .unsupportedSignatureParameters(let name): return "unsupported parameters for signature algorithm \(name)"
        case .signatureAlgorithmMismatch(let name, let key): return "signature algorithm \(name) does not fit a \(key) key"
        case .signatureDoesNotVerify(let name, let errors):
            return "CSR signature (\(name)) does not verify" + (errors.isEmpty ? "" : ": \(errors.joined(separator: "; "))")
        case .internalFailure(let e): return "issuance failed: \(e)"
        }
    }
}
