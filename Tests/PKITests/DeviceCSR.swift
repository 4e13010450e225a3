import DER
@testable import PKI

/// Device CSRs for issuance tests: a fresh key per call (or the one given), built by our CSRBuilder.
enum DeviceCSR {
    static let template: CSRTemplate = {
        var t = try! CSRTemplate(commonName: "device-{i}", sanDNS: ["{i}.devices.example"])
        t.sanIP = [[10, 0, 0, 7]]
        t.sanURI = [try! FieldPattern("urn:dev:{i}")]
        return t
    }()

    static func make(_ type: KeyType, index: Int = 7, scheme: SignatureScheme? = nil, key: PrivateKey? = nil,
                     template: CSRTemplate = DeviceCSR.template) throws -> (der: [UInt8], key: PrivateKey) {
        let key = try key ?? KeyGenerator(type: type).generate()
        let der = try CSRBuilder(template: template).build(index: index, signer: try Signer(key: key, scheme: scheme))
        return (der, key)
    }

    /// A CSR put together from parts (to swap a signature, an algorithm or a key in).
    static func assemble(info: some Collection<UInt8>, algorithm: some Collection<UInt8>, signature: some Collection<UInt8>,
                         unusedBits: UInt8 = 0) -> [UInt8] {
        var w = DERWriter()
        w.sequence { s in
            s.appendContent(info)
            s.appendContent(algorithm)
            s.bitString(signature, unusedBits: unusedBits)
        }
        return w.bytes
    }

    /// A CertificationRequestInfo for `publicKeyInfo` (any bytes) signed by `signer`: the verifier
    /// must judge the key before the signature.
    static func withPublicKeyInfo(_ publicKeyInfo: [UInt8], signer: Signer) throws -> [UInt8] {
        let builder = try CSRBuilder(template: try CSRTemplate(commonName: "device-1"))
        builder.encodeInfo(index: 1, publicKeyInfo: publicKeyInfo)
        let info = builder.encodedInfo
        return assemble(info: info, algorithm: signer.scheme.algorithmIdentifier, signature: try signer.signature(of: info))
    }

    static func algorithmIdentifier(_ oid: OID, parameters: [UInt8]? = nil) -> [UInt8] {
        var w = DERWriter()
        w.sequence { s in
            s.oid(oid)
            if let parameters { s.appendEncoded(parameters) }
        }
        return w.bytes
    }
}
