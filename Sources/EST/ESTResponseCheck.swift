#if canImport(Glibc)
import Glibc
#endif
import DER
import HTTP
import PKI

/// A client's judgement of one complete response to an EST operation (RFC 7030 4.1–4.2 with
/// RFC 8951's leniency): the status class, then for certificate-bearing answers the media type,
/// the base64 body, the certs-only PKCS#7 and the issued certificate's key. Shared by every
/// client in estbench (the engine's devices, `probe`); pure, no I/O.
public enum ESTResponseCheck {
    /// What the response means for the operation.
    public enum Verdict: Equatable, Sendable {
        /// A 2xx that passed every check.
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
        /// No certificate in the answer carries the key the CSR was made with.
        case keyMismatch
    }

    /// Judges `response` (complete) to `operation`. For enrollments `publicKeyInfo` is the CSR's
    /// SubjectPublicKeyInfo and `requestedSubject` its subject; `issued` receives the issued
    /// certificate (DER), `note` each deviation that does not fail the operation.
    public static func judge(_ operation: ESTOperation, response: borrowing HTTPResponseParser,
                             publicKeyInfo: [UInt8], requestedSubject: [UInt8],
                             issued: (ArraySlice<UInt8>) -> Void, note: (ESTDeviation) -> Void) -> Verdict {
        switch response.status {
        case 202: return .pending
        case 200...299: break
        case 401: return .unauthorized
        case 400...499: return .clientError
        default: return .serverError
        }
        guard operation == .simpleenroll || operation == .simplereenroll || operation == .cacerts else { return .success }
        let headers = response.headers
        guard headers.contentTypeMatches(ESTMediaType.pkcs7) else {
            return .invalid(.mediaType, detail: "\(operation) answered Content-Type: \(headers.value(named: "content-type") ?? "(none)"), expected \(ESTMediaType.pkcs7)")
        }
        noteDeviations(operation, headers: headers, response: response, note: note)
        let message: CertsOnly
        do {
            // A stray trailing NUL is tolerated by the decoder (and noted above as a finding).
            message = try response.withBody { body in
                Result { () throws(CertsOnly.ParseError) -> CertsOnly in try CertsOnly.decoding(estBody: body).message }
            }.get()
        } catch {
            if case .base64(let e) = error { return .invalid(.base64, detail: "\(operation) body: \(e)") }
            return .invalid(.pkcs7, detail: "\(operation) certs-only PKCS#7: \(error)")
        }
        if operation == .cacerts { return .success }
        let found: (index: Int, certificate: CertificateView)?
        do { found = try message.issued(matching: publicKeyInfo) } catch {
            return .invalid(.pkcs7, detail: "\(operation) certs-only PKCS#7: \(error)")
        }
        guard let certificate = found?.certificate else {
            return .invalid(.keyMismatch, detail: "none of the \(message.certificates.count) certificate(s) in the \(operation) answer carries the CSR's public key")
        }
        issued(certificate.encoded)
        if !DERElement.bytesEqual(certificate.subject, requestedSubject[...]) {
            // The CA's policy may rewrite the subject: counted, not failed.
            note(.subjectRewritten(requested: requestedSubject, issued: Array(certificate.subject)))
        }
        return .success
    }

    /// RFC 7030 / 8951 deviations of a base64 answer that do not fail the operation.
    static func noteDeviations(_ operation: ESTOperation, headers: HTTPHeaders, response: borrowing HTTPResponseParser,
                               note: (ESTDeviation) -> Void) {
        if headers.contains(named: "content-transfer-encoding") {
            note(.contentTransferEncoding(value: headers.value(named: "content-transfer-encoding") ?? ""))
        }
        if operation != .cacerts, !headers.value(named: "content-type", containsIgnoringCase: "smime-type=certs-only") {
            note(.missingSMIMEType(operation, contentType: headers.value(named: "content-type") ?? ""))
        }
        response.withBody { body in
            if body.last == 0 { note(.trailingNUL(operation)) }
            if let last = body.last, last != 0x0A && last != 0 { note(.noFinalNewline(operation)) }
            // Line lengths, a line at a time (memchr), CR before LF not counted.
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
}
