import DER

/// Builds PKCS#10 CSRs (RFC 2986) for a template: CertificationRequestInfo encoded by our DER into a
/// reused buffer, signed by OpenSSL, wrapped by our DER. One builder per thread; no allocation per
/// CSR beyond the returned bytes.
public final class CSRBuilder {
    public let template: CSRTemplate
    private var info = DERWriter(capacity: 1024)
    private var csr = DERWriter(capacity: 2048)
    /// Pre-encoded CertificationRequestInfo per digit count (index 1...18), for the template's own
    /// challengePassword and the last public-key size seen; nil entries are made on first use.
    private var skeletons = [CSRInfoSkeleton?](repeating: nil, count: 19)
    /// Digit counts for which no skeleton could be made (the general path is used).
    private var noSkeleton = Set<Int>()

    public init(template: CSRTemplate) throws(PKIError) {
        try template.validate()
        self.template = template
    }

    /// The CertificationRequestInfo bytes of the last `encodeInfo` call.
    public var encodedInfo: [UInt8] { info.bytes }

    /// Encodes CertificationRequestInfo for device `index` into the reused buffer.
    /// `challengePassword` overrides the template's (channel binding is known only after a handshake).
    public func encodeInfo(index: Int, publicKeyInfo: [UInt8], challengePassword: String? = nil) {
        if challengePassword == nil && index >= 0 {
            let digits = DERWriter.decimalDigits(index)
            if digits <= 18, let skeleton = skeleton(digits: digits, publicKeyInfoLength: publicKeyInfo.count) {
                skeleton.write(index: index, publicKeyInfo: publicKeyInfo, to: &info)
                return
            }
        }
        encodeInfoGeneral(index: index, publicKeyInfo: publicKeyInfo, challengePassword: challengePassword)
    }

    private func skeleton(digits: Int, publicKeyInfoLength: Int) -> CSRInfoSkeleton? {
        if let s = skeletons[digits], s.publicKeyInfoLength == publicKeyInfoLength { return s }
        if noSkeleton.contains(digits * 100_000 + publicKeyInfoLength) { return nil }
        let made = CSRInfoSkeleton(digits: digits, publicKeyInfoLength: publicKeyInfoLength) { index, key in
            encodeInfoGeneral(index: index, publicKeyInfo: key, challengePassword: nil)
            return info.bytes
        }
        // Belt and braces: the skeleton must reproduce the general encoding for a few indices.
        if let made, let (low, high) = CSRInfoSkeleton.indexPair(digits: digits) {
            let key = (0..<publicKeyInfoLength).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            var agrees = true
            for i in Set([low, high, (low + high) / 2]) {
                encodeInfoGeneral(index: i, publicKeyInfo: key, challengePassword: nil)
                let general = info.bytes
                made.write(index: i, publicKeyInfo: key, to: &info)
                agrees = agrees && info.bytes == general
            }
            if agrees {
                skeletons[digits] = made
                return made
            }
        }
        noSkeleton.insert(digits * 100_000 + publicKeyInfoLength)
        return nil
    }

    /// The encoder every path is checked against: nested DER, back-patched lengths.
    func encodeInfoGeneral(index: Int, publicKeyInfo: [UInt8], challengePassword: String?) {
        info.removeAll()
        let template = self.template
        let password = challengePassword ?? template.challengePassword
        info.sequence { w in
            w.integer(0)
            w.sequence { name in
                for (attribute, pattern) in template.subject {
                    name.set { rdn in
                        rdn.sequence { atv in
                            atv.oid(attribute.oid)
                            pattern.write(attribute.stringTag, index: index, to: &atv)
                        }
                    }
                }
            }
            w.appendEncoded(publicKeyInfo)
            w.setOf(tag: .context(0, constructed: true)) { attributes in
                if let password {
                    attributes.sequence { a in
                        a.oid(OIDs.challengePassword)
                        a.set { v in
                            if DERString.isPrintable(password) { v.printableString(password) } else { v.utf8String(password) }
                        }
                    }
                }
                if template.hasExtensions {
                    attributes.sequence { a in
                        a.oid(OIDs.extensionRequest)
                        a.set { v in v.sequence { CSRBuilder.appendExtensions(template, index: index, to: &$0) } }
                    }
                }
            }
        }
    }

    static func appendExtensions(_ template: CSRTemplate, index: Int, to w: inout DERWriter) {
        if !template.sanDNS.isEmpty || !template.sanURI.isEmpty || !template.sanIP.isEmpty {
            w.sequence { e in
                e.oid(OIDs.subjectAltName)
                e.octetStringWrapping { o in
                    o.sequence { names in
                        for p in template.sanDNS { p.write(.context(2, constructed: false), index: index, to: &names) }
                        for ip in template.sanIP { names.implicitPrimitive(7, content: ip) }
                        for p in template.sanURI { p.write(.context(6, constructed: false), index: index, to: &names) }
                    }
                }
            }
        }
        for x in template.extraExtensions {
            w.sequence { e in
                e.oid(x.oid)
                if x.critical { e.boolean(true) }
                e.octetString(x.value)
            }
        }
    }

    /// Builds, signs and returns the DER CSR for device `index` with `signer`'s key.
    public func build(index: Int, signer: Signer, challengePassword: String? = nil) throws(PKIError) -> [UInt8] {
        try buildInPlace(index: index, signer: signer, challengePassword: challengePassword)
        return csr.bytes
    }

    /// Builds into the reused buffer and hands the bytes to `body` without copying them out.
    public func build<R>(index: Int, signer: Signer, challengePassword: String? = nil,
                         _ body: (UnsafeRawBufferPointer) -> R) throws(PKIError) -> R {
        try buildInPlace(index: index, signer: signer, challengePassword: challengePassword)
        return csr.withUnsafeBytes(body)
    }

    private func buildInPlace(index: Int, signer: Signer, challengePassword: String?) throws(PKIError) {
        encodeInfo(index: index, publicKeyInfo: signer.key.publicKeyInfo, challengePassword: challengePassword)
        let signature = try info.withUnsafeBytes { bytes in
            Result { () throws(PKIError) -> ArraySlice<UInt8> in try signer.sign(bytes) }
        }.get()
        // Lengths are known here: write headers directly, no back-patching.
        csr.removeAll()
        let algorithm = signer.scheme.algorithmIdentifier
        let bitStringContent = 1 + signature.count
        let bitString = 1 + DERWriter.lengthOfLength(bitStringContent) + bitStringContent
        csr.writeHeader(.sequence, contentLength: info.count + algorithm.count + bitString)
        info.withUnsafeBytes { csr.appendEncoded($0) }
        csr.appendEncoded(algorithm)
        csr.bitString(signature)
    }
}
