#if canImport(Glibc)
import Glibc
#endif
import DER
import HTTP
import PKI

/// A client's judgement of one complete response to an EST operation (RFC 7030 4.1–4.5 with
/// RFC 8951's leniency): the status class, then every 2xx answer checked for what it must carry —
/// cacerts and enrollments a certs-only PKCS#7 (and the certificate issued for the CSR's key),
/// csrattrs a DER `SEQUENCE OF AttrOrOID`, serverkeygen a key and its certificate, fullcmc a
/// successful Full PKI Response with the certificate. Issued certificates are checked as a CA
/// operator would: signed by a CA certificate from `cacerts` when known, a sane validity window.
/// Shared by every client in estbench; no I/O.
public enum ESTResponseCheck {
    /// What the response means for the operation.
    public enum Verdict: Equatable, Sendable {
        /// A 2xx that passed every check (for csrattrs also a 204 or 404: "no attributes").
        case success
        /// 202 Accepted: pending (RFC 7030 4.2.3).
        case pending
        case unauthorized
        /// Another 4xx.
        case clientError
        /// 5xx, or a status no EST client expects (1xx/3xx as final answers).
        case serverError
        /// A 2xx that failed a check: which, and the details for an example.
        case invalid(Problem, detail: String)

        /// The failed check, if any.
        public var problem: Problem? {
            if case .invalid(let p, _) = self { return p }
            return nil
        }
    }

    /// Why a 2xx answer was rejected.
    public enum Problem: Equatable, Sendable {
        case mediaType
        case base64
        case pkcs7
        /// No certificate in the answer carries the key the CSR (or the server) made.
        case keyMismatch
        case csrattrs
        case serverKey
        case cmc
        /// The issued certificate is not signed by any CA certificate `cacerts` returned.
        case chain
        case validity
    }

    /// What the client knows when it judges an answer.
    public struct Context {
        /// The device's SubjectPublicKeyInfo (the CSR's key) and the subject it asked for.
        public var publicKeyInfo: [UInt8]
        public var requestedSubject: [UInt8]
        /// The CA certificates of the last `cacerts` answer, read once; empty while unknown.
        public var caCertificates: [ESTIssuingCA]
        /// Verifies issued certificates' signatures against `caCertificates` (nil: not checked).
        public var verifier: CSRVerifier?
        /// Wall-clock time, for the validity window; and the clock skew allowed at its start.
        public var nowUnixSeconds: Int64
        public var allowedSkewSeconds: Int64 = 300

        public init(publicKeyInfo: [UInt8], requestedSubject: [UInt8], caCertificates: [ESTIssuingCA] = [], verifier: CSRVerifier? = nil,
                    nowUnixSeconds: Int64) {
            self.publicKeyInfo = publicKeyInfo
            self.requestedSubject = requestedSubject
            self.caCertificates = caCertificates
            self.verifier = verifier
            self.nowUnixSeconds = nowUnixSeconds
        }
    }

    /// The verdict, and what a good answer delivered.
    public struct Judgement {
        public var verdict: Verdict
        /// The certificate issued for the device's own key (enrollments, fullcmc).
        public var issued: CertificateView?
        /// Any other certificate the answer issued (serverkeygen: for the server's key).
        public var issuedForServerKey: CertificateView?
        /// The CA certificates a `cacerts` answer carried.
        public var caCertificates: [ArraySlice<UInt8>] = []

        init(_ verdict: Verdict) { self.verdict = verdict }
    }

    /// Judges `response` (complete) to `operation` in `context`; `note` receives each deviation
    /// that does not fail the operation.
    public static func judge(_ operation: ESTOperation, response: borrowing HTTPResponseParser, context: Context,
                             note: (ESTDeviation) -> Void) -> Judgement {
        switch response.status {
        case 202: return Judgement(.pending)
        case 204 where operation == .csrattrs, 404 where operation == .csrattrs:
            return Judgement(.success)  // RFC 7030 4.5.2: the CA has no attributes to ask for
        case 200...299: break
        case 401: return Judgement(.unauthorized)
        case 400...499: return Judgement(.clientError)
        default: return Judgement(.serverError)
        }
        let headers = response.headers
        switch operation {
        case .cacerts, .simpleenroll, .simplereenroll:
            // The Content-Type field found once for both of its checks.
            let contentType = headers.firstIndex(named: Texts.contentType)
            guard let contentType, headers.mediaType(at: contentType, matches: Texts.pkcs7) else {
                return mediaType(operation, headers, expected: ESTMediaType.pkcs7)
            }
            noteHeaderDeviations(operation, headers, note: note)
            if operation != .cacerts, !headers.value(at: contentType, containsIgnoringCase: Texts.certsOnly) {
                note(.missingSMIMEType(operation, contentType: headers.value(named: "content-type") ?? ""))
            }
            return response.withBody { body in
                noteBodyDeviations(operation, body, note: note)
                return certsOnly(operation, body, context: context, note: note)
            }
        case .csrattrs:
            guard headers.contentTypeMatches(ESTMediaType.csrattrs) else { return mediaType(operation, headers, expected: ESTMediaType.csrattrs) }
            noteHeaderDeviations(operation, headers, note: note)
            return response.withBody { body in
                noteBodyDeviations(operation, body, note: note)
                return csrAttributes(body)
            }
        case .fullcmc:
            guard headers.contentTypeMatches(ESTMediaType.pkcs7) else { return mediaType(operation, headers, expected: ESTMediaType.cmcResponse) }
            noteHeaderDeviations(operation, headers, note: note)
            return response.withBody { body in
                noteBodyDeviations(operation, body, note: note)
                return fullCMC(body, context: context, note: note)
            }
        case .serverkeygen:
            guard headers.contentTypeMatches(ESTMediaType.multipartMixed) else {
                return mediaType(operation, headers, expected: ESTMediaType.multipartMixed)
            }
            noteHeaderDeviations(operation, headers, note: note)
            return response.withBody { body in serverKeyGen(body, contentType: headers.value(named: "content-type") ?? "", context: context, note: note) }
        }
    }

    /// The header texts every certs-only answer is checked for, prepared once.
    enum Texts {
        static let contentType = HTTPCaselessText("content-type")
        static let pkcs7 = HTTPCaselessText(ESTMediaType.pkcs7)
        static let certsOnly = HTTPCaselessText("smime-type=certs-only")
        static let contentTransferEncoding = HTTPCaselessText("content-transfer-encoding")
    }

    // MARK: per operation

    private static func mediaType(_ operation: ESTOperation, _ headers: HTTPHeaders, expected: String) -> Judgement {
        Judgement(.invalid(.mediaType, detail: "\(operation) answered Content-Type: \(headers.value(named: "content-type") ?? "(none)"), expected \(expected)"))
    }

    /// A certs-only body: cacerts delivers its certificates; an enrollment must hold the
    /// certificate for the CSR's key, chained and valid.
    private static func certsOnly(_ operation: ESTOperation, _ body: UnsafeRawBufferPointer, context: Context,
                                  note: (ESTDeviation) -> Void) -> Judgement {
        let der: [UInt8]
        do { der = try ESTBody.decode(body) } catch { return Judgement(.invalid(.base64, detail: "\(operation) body: \(error)")) }
        if operation == .cacerts {
            let message: CertsOnly
            do { message = try CertsOnly(der: der) } catch {
                return Judgement(.invalid(.pkcs7, detail: "\(operation) certs-only PKCS#7: \(error)"))
            }
            var judgement = Judgement(.success)
            judgement.caCertificates = message.certificates
            return judgement
        }
        // An enrollment: the message's checks and the key match in one walk, no certificate list.
        let issued: (certificateCount: Int, found: (index: Int, certificate: CertificateView)?)
        do { issued = try CertsOnly.issued(in: der[...], matching: context.publicKeyInfo[...]) } catch {
            return Judgement(.invalid(.pkcs7, detail: "\(operation) certs-only PKCS#7: \(error)"))
        }
        guard let certificate = issued.found?.certificate else {
            return Judgement(.invalid(.keyMismatch, detail: "none of the \(issued.certificateCount) certificate(s) in the \(operation) answer carries the CSR's public key"))
        }
        return issuedCertificate(certificate, operation, context: context, note: note)
    }

    /// The CA-operator checks of an issued certificate: chained to a `cacerts` certificate (name and
    /// signature) when those are known, valid now (with clock skew), its window not inverted.
    private static func issuedCertificate(_ certificate: CertificateView, _ operation: ESTOperation, context: Context,
                                          serverKey: Bool = false, note: (ESTDeviation) -> Void) -> Judgement {
        let notBefore = certificate.notBefore.unixSeconds
        let notAfter = certificate.notAfter.unixSeconds
        if notAfter <= notBefore || notAfter <= context.nowUnixSeconds || notBefore > context.nowUnixSeconds + context.allowedSkewSeconds {
            return Judgement(.invalid(.validity, detail: "\(operation): issued certificate valid \(certificate.notBefore) to \(certificate.notAfter), now \(DERTime(unixSeconds: context.nowUnixSeconds))"))
        }
        if !context.caCertificates.isEmpty {
            var issuerFound = false
            var lastError = ""
            for ca in context.caCertificates where DERElement.bytesEqual(ca.subject, certificate.issuer) {
                issuerFound = true
                guard let verifier = context.verifier else { break }
                do {
                    try verifier.verify(certificate: certificate, issuerPublicKeyInfo: ca.publicKeyInfo)
                    lastError = ""
                    break
                } catch {
                    lastError = "\(error)"
                }
            }
            if !issuerFound {
                return Judgement(.invalid(.chain, detail: "\(operation): issuer \(ESTDeviation.names(certificate.issuer)) is not among the \(context.caCertificates.count) cacerts certificate(s)"))
            }
            if !lastError.isEmpty {
                return Judgement(.invalid(.chain, detail: "\(operation): signature does not verify with \(ESTDeviation.names(certificate.issuer))'s key: \(lastError)"))
            }
        }
        if !DERElement.bytesEqual(certificate.subject, context.requestedSubject[...]) {
            // The CA's policy may rewrite the subject: counted, not failed.
            note(.subjectRewritten(requested: context.requestedSubject, issued: Array(certificate.subject)))
        }
        var judgement = Judgement(.success)
        if serverKey { judgement.issuedForServerKey = certificate } else { judgement.issued = certificate }
        return judgement
    }

    /// csrattrs (RFC 7030 4.5.2): a DER `SEQUENCE OF AttrOrOID` — OIDs, or attributes
    /// `SEQUENCE { type, SET OF values }`; an empty SEQUENCE is a valid "none".
    private static func csrAttributes(_ body: UnsafeRawBufferPointer) -> Judgement {
        let der: [UInt8]
        do { der = try ESTBody.decode(body) } catch { return Judgement(.invalid(.base64, detail: "csrattrs body: \(error)")) }
        do {
            let top = try DERReader.single(der)
            try top.expect(.sequence)
            var members = top.children()
            var index = 0
            while let member = try members.next() {
                switch member.tag {
                case .objectIdentifier:
                    _ = try member.oid()
                case .sequence:
                    var fields = member.children()
                    _ = try fields.read(.objectIdentifier).oid()
                    _ = try fields.read(.set)
                    try fields.finish()
                default:
                    return Judgement(.invalid(.csrattrs, detail: "csrattrs member \(index) is neither an OID nor an attribute (tag \(member.tag))"))
                }
                index += 1
            }
        } catch {
            return Judgement(.invalid(.csrattrs, detail: "csrattrs is not a DER SEQUENCE OF AttrOrOID: \(error)"))
        }
        return Judgement(.success)
    }

    /// fullcmc (RFC 7030 4.3, RFC 5272): a Full PKI Response reporting success, carrying the
    /// certificate for the CSR's key.
    private static func fullCMC(_ body: UnsafeRawBufferPointer, context: Context, note: (ESTDeviation) -> Void) -> Judgement {
        let der: [UInt8]
        do { der = try ESTBody.decode(body) } catch { return Judgement(.invalid(.base64, detail: "fullcmc body: \(error)")) }
        let response: CMCResponse
        do { response = try CMCResponse(der: der[...]) } catch { return Judgement(.invalid(.cmc, detail: "fullcmc: \(error)")) }
        guard response.status == 0 else {
            return Judgement(.invalid(.cmc, detail: "fullcmc status \(response.status)" + (response.statusText.map { ": \($0)" } ?? "")))
        }
        for c in response.certificates {
            guard let view = try? CertificateView(der: c) else { continue }  // a malformed extra certificate is not ours either
            if DERElement.bytesEqual(view.publicKeyInfo, context.publicKeyInfo[...]) {
                return issuedCertificate(view, .fullcmc, context: context, note: note)
            }
        }
        return Judgement(.invalid(.keyMismatch, detail: "none of the \(response.certificates.count) certificate(s) in the fullcmc answer carries the CSR's public key"))
    }

    /// serverkeygen (RFC 7030 4.4.2): a multipart/mixed answer with the private key (PKCS#8, or
    /// CMS-enveloped: recorded, not opened) and a certs-only certificate for that key.
    private static func serverKeyGen(_ body: UnsafeRawBufferPointer, contentType: String, context: Context,
                                     note: (ESTDeviation) -> Void) -> Judgement {
        let multipart: MultipartBody
        do { multipart = try MultipartBody(body: body, contentType: contentType) } catch {
            return Judgement(.invalid(.serverKey, detail: "serverkeygen multipart body: \(error)"))
        }
        var keyPart: MultipartBody.Part?
        var certificatePart: MultipartBody.Part?
        var enveloped = false
        for part in multipart.parts {
            let type = part.field("content-type")?.lowercased() ?? ""
            if type.hasPrefix(ESTMediaType.pkcs8) {
                keyPart = part
            } else if type.hasPrefix(ESTMediaType.pkcs7), type.contains("server-generated-key") {
                keyPart = part
                enveloped = true
            } else if type.hasPrefix(ESTMediaType.pkcs7) {
                certificatePart = part
            }
        }
        guard let keyPart else { return Judgement(.invalid(.serverKey, detail: "serverkeygen answer has no application/pkcs8 key part")) }
        guard let certificatePart else { return Judgement(.invalid(.serverKey, detail: "serverkeygen answer has no certs-only certificate part")) }
        for part in [keyPart, certificatePart] {
            if let cte = part.field("content-transfer-encoding") { note(.contentTransferEncoding(value: cte)) }
            part.body.withUnsafeBytes { noteBodyDeviations(.serverkeygen, $0, note: note) }
        }
        let certificates: CertsOnly
        do { certificates = try CertsOnly.decoding(estBody: certificatePart.body).message } catch {
            if case .base64(let e) = error { return Judgement(.invalid(.base64, detail: "serverkeygen certificate part: \(e)")) }
            return Judgement(.invalid(.pkcs7, detail: "serverkeygen certificate part: \(error)"))
        }
        if enveloped {
            // CMS-encrypted for the client: the key cannot be checked without the decryption key.
            note(.envelopedServerKey)
            let view: CertificateView
            do { view = try CertificateView(der: certificates.certificates[0]) } catch {
                return Judgement(.invalid(.pkcs7, detail: "serverkeygen certificate part: certificate 0: \(error)"))
            }
            return issuedCertificate(view, .serverkeygen, context: context, serverKey: true, note: note)
        }
        let keyDER: [UInt8]
        do { keyDER = try ESTBody.decode(keyPart.body) } catch { return Judgement(.invalid(.base64, detail: "serverkeygen key part: \(error)")) }
        if !isPKCS8(keyDER) { note(.keyNotPKCS8) }
        let key: PrivateKey
        do { key = try PrivateKey.load(der: keyDER) } catch {
            return Judgement(.invalid(.serverKey, detail: "serverkeygen key part is no private key: \(error)"))
        }
        let found: (index: Int, certificate: CertificateView)?
        do { found = try certificates.issued(matching: key.publicKeyInfo) } catch {
            return Judgement(.invalid(.pkcs7, detail: "serverkeygen certificate part: \(error)"))
        }
        guard let certificate = found?.certificate else {
            return Judgement(.invalid(.keyMismatch, detail: "no certificate in the serverkeygen answer carries the returned key's public key"))
        }
        return issuedCertificate(certificate, .serverkeygen, context: context, serverKey: true, note: note)
    }

    /// PKCS#8 PrivateKeyInfo: `SEQUENCE { INTEGER 0|1, SEQUENCE AlgorithmIdentifier, OCTET STRING … }`
    /// (PKCS#1 and SEC1 keys have INTEGER fields or an OCTET STRING second).
    static func isPKCS8(_ der: [UInt8]) -> Bool {
        do {
            var fields = try DERReader.single(der).children()
            try fields.skip(.integer)
            return try fields.read().tag == .sequence
        } catch {
            return false  // not even that much DER: the key load that follows says why
        }
    }

    // MARK: deviations

    /// Header deviations of a base64 answer (RFC 8951 3.2: Content-Transfer-Encoding is obsolete).
    static func noteHeaderDeviations(_ operation: ESTOperation, _ headers: HTTPHeaders, note: (ESTDeviation) -> Void) {
        if headers.contains(named: Texts.contentTransferEncoding) {
            note(.contentTransferEncoding(value: headers.value(named: "content-transfer-encoding") ?? ""))
        }
    }

    /// Body deviations that do not fail the operation: a trailing NUL, no final newline, lines over
    /// 76 columns (a line at a time with memchr; CR before LF not counted).
    static func noteBodyDeviations(_ operation: ESTOperation, _ body: UnsafeRawBufferPointer, note: (ESTDeviation) -> Void) {
        if body.last == 0 { note(.trailingNUL(operation)) }
        if let last = body.last, last != 0x0A && last != 0 { note(.noFinalNewline(operation)) }
        guard let base = body.baseAddress else { return }
        var start = 0
        while start < body.count {
            let newline = memchr(base + start, 0x0A, body.count - start)
            let end = newline.map { base.distance(to: UnsafeRawPointer($0)) } ?? body.count
            var length = end - start
            if length > 0 && body[end - 1] == 0x0D { length -= 1 }
            if length > 76 {
                note(.longBase64Lines(operation))
                return
            }
            start = end + 1
        }
    }
}
