import DER

/// X.509 v3 certificates (RFC 5280 4.1) written with our DER: the TBSCertificate layout, the
/// extensions estbench issues, and the signed wrapper. Shared by the issuer's hot path and CA setup.
enum CertificateDER {
    /// The keyUsage bits estbench sets (RFC 5280 4.2.1.3), as they sit in the first octet of the
    /// BIT STRING (digitalSignature, bit 0, is 0x80).
    struct KeyUsage: OptionSet {
        let rawValue: UInt8
        static let digitalSignature = KeyUsage(rawValue: 0x80)
        static let keyEncipherment = KeyUsage(rawValue: 0x20)
        static let keyCertSign = KeyUsage(rawValue: 0x04)
        static let cRLSign = KeyUsage(rawValue: 0x02)
    }

    /// `[0] EXPLICIT Version v3(2)`.
    static let version3: [UInt8] = [0xA0, 0x03, 0x02, 0x01, 0x02]

    /// TBSCertificate: `extensions` writes the members of the Extensions SEQUENCE.
    static func appendTBS(serial: inout SerialNumberGenerator, algorithm: [UInt8], issuer: ArraySlice<UInt8>,
                          notBefore: DERTime, notAfter: DERTime, subject: ArraySlice<UInt8>,
                          publicKeyInfo: ArraySlice<UInt8>, to w: inout DERWriter,
                          extensions: (inout DERWriter) -> Void) {
        var middle = DERWriter(capacity: algorithm.count + issuer.count + 40)
        appendIssuerAndValidity(algorithm: algorithm, issuer: issuer, notBefore: notBefore, notAfter: notAfter, to: &middle)
        appendTBS(serial: &serial, issuerAndValidity: middle.bytes, subject: subject, publicKeyInfo: publicKeyInfo,
                  to: &w, extensions: extensions)
    }

    /// The TBSCertificate fields between the serial number and the subject — signature algorithm,
    /// issuer, validity — which an issuer encodes once and reuses while the validity stands.
    static func appendIssuerAndValidity(algorithm: [UInt8], issuer: ArraySlice<UInt8>, notBefore: DERTime, notAfter: DERTime,
                                        to w: inout DERWriter) {
        w.appendEncoded(algorithm)
        w.appendEncoded(issuer)
        w.sequence { v in
            v.x509Time(notBefore)
            v.x509Time(notAfter)
        }
    }

    /// TBSCertificate around fields `appendIssuerAndValidity` wrote.
    static func appendTBS(serial: inout SerialNumberGenerator, issuerAndValidity: [UInt8], subject: ArraySlice<UInt8>,
                          publicKeyInfo: ArraySlice<UInt8>, to w: inout DERWriter, extensions: (inout DERWriter) -> Void) {
        w.sequence { t in
            t.appendEncoded(version3)
            serial.append(to: &t)
            t.appendEncoded(issuerAndValidity)
            t.appendEncoded(subject)
            t.appendEncoded(publicKeyInfo)
            t.explicit(3) { $0.sequence(extensions) }
        }
    }

    /// Length of a Certificate around a TBSCertificate, an AlgorithmIdentifier and a signature.
    static func certificateLength(tbs: Int, algorithm: Int, signature: Int) -> Int {
        let content = tbs + algorithm + bitStringLength(signature)
        return 1 + DERWriter.lengthOfLength(content) + content
    }

    /// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }, lengths known.
    static func appendCertificate(tbs: UnsafeRawBufferPointer, algorithm: [UInt8], signature: ArraySlice<UInt8>,
                                  to w: inout DERWriter) {
        w.writeHeader(.sequence, contentLength: tbs.count + algorithm.count + bitStringLength(signature.count))
        w.appendEncoded(tbs)
        w.appendEncoded(algorithm)
        w.bitString(signature)
    }

    private static func bitStringLength(_ bytes: Int) -> Int {
        1 + DERWriter.lengthOfLength(bytes + 1) + bytes + 1
    }

    /// A complete certificate: TBSCertificate written by `tbs`, signed by `signer` (CA setup).
    static func signed(by signer: Signer, tbs body: (inout DERWriter) -> Void) throws(PKIError) -> [UInt8] {
        var tbs = DERWriter(capacity: 1024)
        body(&tbs)
        var out = DERWriter(capacity: tbs.count + 600)
        try tbs.withUnsafeBytes { bytes in
            Result { () throws(PKIError) in
                let signature = try signer.sign(bytes)
                appendCertificate(tbs: bytes, algorithm: signer.scheme.algorithmIdentifier, signature: signature, to: &out)
            }
        }.get()
        return out.bytes
    }

    // MARK: names

    /// A Name of one RDN per attribute, each a UTF8String (PrintableString for C).
    static func appendName(_ attributes: [(CSRTemplate.Attribute, String)], to w: inout DERWriter) {
        w.sequence { name in
            for (attribute, value) in attributes {
                name.set { rdn in
                    rdn.sequence { atv in
                        atv.oid(attribute.oid)
                        switch attribute.stringTag {
                        case .printableString: atv.printableString(value)
                        case .ia5String: atv.ia5String(value)
                        default: atv.utf8String(value)
                        }
                    }
                }
            }
        }
    }

    // MARK: extensions

    static func appendExtension(_ oid: OID, critical: Bool, to w: inout DERWriter,
                                value: (inout DERWriter) -> Void) {
        w.sequence { e in
            e.oid(oid)
            if critical { e.boolean(true) }
            e.octetStringWrapping(value)
        }
    }

    /// basicConstraints, always critical (RFC 5280 4.2.1.9 for CAs; estbench marks end entities too).
    static func appendBasicConstraints(isCA: Bool, pathLength: Int? = nil, to w: inout DERWriter) {
        appendExtension(OIDs.basicConstraints, critical: true, to: &w) { v in
            v.sequence { s in
                if isCA { s.boolean(true) }
                if let pathLength { s.integer(pathLength) }
            }
        }
    }

    /// keyUsage, critical; the BIT STRING drops trailing zero bits as DER requires.
    static func appendKeyUsage(_ usage: KeyUsage, to w: inout DERWriter) {
        appendExtension(OIDs.keyUsage, critical: true, to: &w) { v in
            v.bitString([usage.rawValue], unusedBits: UInt8(usage.rawValue.trailingZeroBitCount))
        }
    }

    static func appendExtendedKeyUsage(_ purpose: OID, to w: inout DERWriter) {
        appendExtension(OIDs.extendedKeyUsage, critical: false, to: &w) { v in
            v.sequence { $0.oid(purpose) }
        }
    }

    /// subjectAltName with dNSName and iPAddress entries.
    static func appendSubjectAltName(dnsNames: [String], ipAddresses: [[UInt8]], to w: inout DERWriter) {
        appendExtension(OIDs.subjectAltName, critical: false, to: &w) { v in
            v.sequence { names in
                for name in dnsNames { names.implicitPrimitive(2, text: name) }
                for ip in ipAddresses { names.implicitPrimitive(7, content: ip) }
            }
        }
    }

    static func appendSubjectKeyIdentifier(_ identifier: ArraySlice<UInt8>, to w: inout DERWriter) {
        appendExtension(OIDs.subjectKeyIdentifier, critical: false, to: &w) { $0.octetString(identifier) }
    }

    /// authorityKeyIdentifier with the keyIdentifier `[0]` only.
    static func appendAuthorityKeyIdentifier(_ identifier: [UInt8], to w: inout DERWriter) {
        appendExtension(OIDs.authorityKeyIdentifier, critical: false, to: &w) { v in
            v.sequence { $0.implicitPrimitive(0, content: identifier) }
        }
    }
}
