import DER

/// A CSR's signatureAlgorithm as the verifier needs it: which primitive, which digest. Parsed from
/// the AlgorithmIdentifier with strict parameters (absent for ECDSA and Ed25519, NULL or absent for
/// PKCS#1 v1.5, exactly the SHA-256/MGF1-SHA-256/salt-32 encoding for RSASSA-PSS).
enum CSRSignatureAlgorithm {
    /// A prefetched digest with what the verifier needs beside it.
    struct Hash: Sendable {
        let digest: Digest
        let name: String
        let length: Int
        /// DigestInfo (RFC 8017 9.2) up to the digest octets: PKCS#1 v1.5 is checked against
        /// prefix + digest, so the verify context needs no digest of its own (no fetch per CSR).
        let digestInfoPrefix: [UInt8]

        init(_ digest: Digest, name: String, length: Int, oid: OID) {
            self.digest = digest
            self.name = name
            self.length = length
            var w = DERWriter(capacity: 32)
            w.sequence { s in
                s.sequence { $0.oid(oid); $0.null() }
                s.octetString([UInt8](repeating: 0, count: length))
            }
            digestInfoPrefix = Array(w.bytes.dropLast(length))
        }

        static let sha256 = Hash(.sha256, name: "SHA256", length: 32, oid: OIDs.sha256)
        static let sha384 = Hash(.sha384, name: "SHA384", length: 48, oid: OIDs.sha384)
        static let sha512 = Hash(.sha512, name: "SHA512", length: 64, oid: OIDs.sha512)
    }

    case ecdsa(Hash)
    case rsaPKCS1(Hash)
    case rsaPSSSHA256
    case ed25519

    init(algorithmIdentifier: ArraySlice<UInt8>) throws(IssuanceError) {
        let oid: DERElement
        var parameters: DERReader
        do {
            var a = try DERReader.single(algorithmIdentifier).children()
            oid = try a.read(.objectIdentifier)
            parameters = a
        } catch {
            throw .malformedCSR(error)
        }
        if oid.isOID(OIDs.ecdsaWithSHA256) {
            self = .ecdsa(.sha256)
        } else if oid.isOID(OIDs.ecdsaWithSHA384) {
            self = .ecdsa(.sha384)
        } else if oid.isOID(OIDs.ecdsaWithSHA512) {
            self = .ecdsa(.sha512)
        } else if oid.isOID(OIDs.sha256WithRSAEncryption) {
            self = .rsaPKCS1(.sha256)
        } else if oid.isOID(OIDs.sha384WithRSAEncryption) {
            self = .rsaPKCS1(.sha384)
        } else if oid.isOID(OIDs.sha512WithRSAEncryption) {
            self = .rsaPKCS1(.sha512)
        } else if oid.isOID(OIDs.ed25519) {
            self = .ed25519
        } else if oid.isOID(OIDs.rsassaPSS) {
            guard DERElement.bytesEqual(algorithmIdentifier, SignatureScheme.rsaPSSSHA256ID[...]) else {
                throw .unsupportedSignatureParameters(algorithm: "RSASSA-PSS")
            }
            self = .rsaPSSSHA256
            return
        } else {
            throw .unsupportedSignatureAlgorithm(oid: SubjectPublicKey.text(oid))
        }
        // RFC 5758 and RFC 8410: no parameters; RFC 4055: NULL (which many encoders omit).
        do {
            if case .rsaPKCS1 = self, let p = try parameters.next() { try p.null() }
            try parameters.finish()
        } catch {
            throw .unsupportedSignatureParameters(algorithm: name)
        }
    }

    var name: String {
        switch self {
        case .ecdsa(let d): return "ecdsa-with-\(d.name)"
        case .rsaPKCS1(let d): return "\(d.name.lowercased())WithRSAEncryption"
        case .rsaPSSSHA256: return "RSASSA-PSS-SHA256"
        case .ed25519: return "Ed25519"
        }
    }

    func fits(_ key: KeyType) -> Bool {
        switch self {
        case .ecdsa: return key.isEC
        case .rsaPKCS1, .rsaPSSSHA256: return key.isRSA
        case .ed25519: return key == .ed25519
        }
    }
}
