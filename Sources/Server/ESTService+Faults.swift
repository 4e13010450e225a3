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
        case .delay, .closeMidResponse, .malformedBase64, .wrongContentType, .truncatedPKCS7, .wrongKeyCertificate:
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
        case .accepted, .unauthorized, .internalError, .unavailable, .reset: return response
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
