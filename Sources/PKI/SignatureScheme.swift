import DER

/// A signature algorithm as used in CSRs and certificates: how to sign, and its AlgorithmIdentifier.
public enum SignatureScheme: String, CaseIterable, Sendable {
    case ecdsaSHA256 = "ecdsa-sha256"
    case ecdsaSHA384 = "ecdsa-sha384"
    case rsaPKCS1SHA256 = "rsa-pkcs1-sha256"
    case rsaPSSSHA256 = "rsa-pss-sha256"
    case ed25519

    /// The digest computed before the raw signature (nil: Ed25519 signs the message itself).
    var digestName: String? {
        switch self {
        case .ecdsaSHA256, .rsaPKCS1SHA256, .rsaPSSSHA256: return "SHA256"
        case .ecdsaSHA384: return "SHA384"
        case .ed25519: return nil
        }
    }

    public func isCompatible(with key: KeyType) -> Bool {
        switch self {
        case .ecdsaSHA256, .ecdsaSHA384: return key.isEC
        case .rsaPKCS1SHA256, .rsaPSSSHA256: return key.isRSA
        case .ed25519: return key == .ed25519
        }
    }

    /// The complete AlgorithmIdentifier, encoded once.
    public var algorithmIdentifier: [UInt8] {
        switch self {
        case .ecdsaSHA256: return SignatureScheme.ecdsaSHA256ID
        case .ecdsaSHA384: return SignatureScheme.ecdsaSHA384ID
        case .rsaPKCS1SHA256: return SignatureScheme.rsaPKCS1SHA256ID
        case .rsaPSSSHA256: return SignatureScheme.rsaPSSSHA256ID
        case .ed25519: return SignatureScheme.ed25519ID
        }
    }

    static let ecdsaSHA256ID = encode { $0.oid(OIDs.ecdsaWithSHA256) }
    static let ecdsaSHA384ID = encode { $0.oid(OIDs.ecdsaWithSHA384) }
    static let rsaPKCS1SHA256ID = encode { $0.oid(OIDs.sha256WithRSAEncryption); $0.null() }
    static let ed25519ID = encode { $0.oid(OIDs.ed25519) }
    /// RSASSA-PSS-params (RFC 4055): SHA-256, MGF1 with SHA-256, salt length 32, trailer field default.
    static let rsaPSSSHA256ID = encode { w in
        w.oid(OIDs.rsassaPSS)
        w.sequence { p in
            p.explicit(0) { $0.sequence { $0.oid(OIDs.sha256); $0.null() } }
            p.explicit(1) {
                $0.sequence { m in
                    m.oid(OIDs.mgf1)
                    m.sequence { $0.oid(OIDs.sha256); $0.null() }
                }
            }
            p.explicit(2) { $0.integer(32) }
        }
    }

    private static func encode(_ body: (inout DERWriter) -> Void) -> [UInt8] {
        var w = DERWriter(capacity: 64)
        w.sequence(body)
        return w.bytes
    }
}
