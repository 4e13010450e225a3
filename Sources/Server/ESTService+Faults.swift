import EST
import PKI

/// Applying a configured fault: some replace the response before any work is done, the others
/// change a normal response on its way out.
extension ESTService {
    /// 503 with Retry-After: `--capacity`'s queue is full (the request is not served).
    func overCapacity() -> ServerResponse {
        ServerResponse(template: faultTemplates.unavailable, body: Array("over capacity, try again later\n".utf8))
    }

    /// A fault that answers instead of the operation (nil: the operation runs, see `late`).
    func early(_ fault: FaultPlan.Fault) -> ServerResponse? {
        let templates = faultTemplates
        switch fault {
        case .accepted(let seconds):
            return ServerResponse(template: templates.accepted(retryAfterSeconds: seconds), body: Array("request pending\n".utf8))
        case .unauthorized: return ServerResponse(template: templates.unauthorized, body: Array("credentials required\n".utf8))
        case .internalError: return ServerResponse(template: templates.internalError, body: Array("injected failure\n".utf8))
        case .unavailable: return ServerResponse(template: templates.unavailable, body: Array("try again later\n".utf8))
        case .reset:
            var r = ServerResponse(template: templates.internalError, body: [])
            r.disruption = .reset
            return r
        case .closeAfter4xx:
            var r = ServerResponse(template: templates.forbidden, body: Array("forbidden\n".utf8))
            r.disruption = .closeAfterResponse
            return r
        case .unauthorizedNoChallenge:
            return ServerResponse(template: templates.unauthorizedNoChallenge, body: Array("not authorized\n".utf8))
        case .acceptedUntilDate:
            return ServerResponse(template: templates.accepted(retryAfterSeconds: 1, asDate: true), body: Array("request pending\n".utf8))
        case .delay, .closeMidResponse, .malformedBase64, .wrongContentType, .truncatedPKCS7, .wrongKeyCertificate, .trailingNUL,
             .contentTransferEncoding, .longLines, .noFinalNewline, .missingSMIMEType, .created, .statusField, .chunked, .closeDelimited,
             .truncatedChunked, .splitWrite:
            pendingFault = fault
            return nil
        }
    }

    /// Applies the pending late fault to a successful response (counted only when it changed it).
    func late(_ response: ServerResponse, operation: ESTOperation) -> ServerResponse {
        guard let fault = pendingFault else { return response }
        pendingFault = nil
        guard response.template.status == 200 else { return response }
        var r = response
        switch fault {
        case .delay(let ms): r.delayMs = ms
        case .closeMidResponse: r.disruption = .closeMidResponse
        case .malformedBase64:
            // Characters outside the base64 alphabet in the middle of the body.
            let middle = r.body.count / 2
            r.body.insert(contentsOf: Array("*!*".utf8), at: middle)
        case .wrongContentType: r.template = faultTemplates.wrongContentType
        case .truncatedPKCS7:
            guard operation != .serverkeygen, let der = try? Base64.decode(r.body) else { return response }
            r.body = Base64.encode(der.prefix(der.count / 2))
        case .wrongKeyCertificate:
            guard operation == .simpleenroll || operation == .simplereenroll,
                  let other = certificateForAnotherKey(like: r.body) else { return response }
            r.body = other
        case .trailingNUL:
            guard operation != .serverkeygen else { return response }  // a multipart body, not one base64 text
            r.body.append(0)
        case .longLines:
            guard operation != .serverkeygen else { return response }
            r.body = r.body.filter { $0 != 0x0A && $0 != 0x0D } + [0x0A]
            guard r.body.count > 78 else { return response }  // one line of at most 76 columns is no deviation
        case .noFinalNewline:
            guard operation != .serverkeygen else { return response }
            while let last = r.body.last, last == 0x0A || last == 0x0D { r.body.removeLast() }
            guard r.body.count < response.body.count else { return response }
        case .missingSMIMEType:
            guard operation == .simpleenroll || operation == .simplereenroll else { return response }
            r.template = faultTemplates.cacerts  // application/pkcs7-mime, no parameters
        case .contentTransferEncoding, .statusField, .created:
            // Fixed, valid fields and codes: a template that still cannot be made leaves the
            // response as it was, uncounted, and the fault test reports it missing.
            do {
                switch fault {
                case .contentTransferEncoding: r.template = try r.template.adding([("Content-Transfer-Encoding", "base64")])
                case .statusField: r.template = try r.template.adding([("Status", "200 OK")])
                default: r.template = try r.template.withStatus(201)
                }
            } catch {
                return response
            }
        case .chunked: r.framing = .chunked
        case .closeDelimited: r.framing = .untilClose
        case .truncatedChunked:
            r.framing = .chunked
            r.disruption = .closeMidResponse
        case .splitWrite(let ms):
            guard r.body.count >= 2 else { return response }
            r.splitDelayMs = max(1, ms)
        case .accepted, .unauthorized, .internalError, .unavailable, .reset, .closeAfter4xx, .unauthorizedNoChallenge, .acceptedUntilDate:
            return response
        }
        injected(fault, on: operation)
        return r
    }

    /// A certs-only body whose certificate has the same subject but a key the client never had.
    private func certificateForAnotherKey(like body: [UInt8]) -> [UInt8]? {
        guard let der = try? Base64.decode(body), let message = try? CertsOnly(der: der),
              let first = message.certificates.first, let view = try? CertificateView(der: first),
              let issued = try? issueForNewKey(subject: view.subject, attributes: [][...]) else { return nil }
        return ESTBody.encode(issued.certsOnly)
    }
}
