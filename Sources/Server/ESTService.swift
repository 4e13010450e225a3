import DER
import EST
import HTTP
import PKI
import TLS

/// The EST endpoints of one worker (RFC 7030): routing, authentication, enrollment through this
/// worker's own `CertificateIssuer`, and the configured faults. Worker thread only.
final class ESTService {
    let authority: CertificateAuthority
    let configuration: ServerConfiguration
    let issuer: CertificateIssuer
    /// For serverkeygen, whose CSR is checked but not issued as is.
    let verifier: CSRVerifier
    /// The issuing CA's key, signing CMC responses.
    let cmsSigner: Signer
    private let basic: BasicAuthenticator
    private let responses: ResponseTemplates
    /// A late fault drawn for the request being handled.
    var pendingFault: FaultPlan.Fault?
    /// Whether the last request issued a certificate / met a fault (read once by the connection, for the counts).
    private var issuedFlag = false
    private var faultedFlag = false
    /// Requests and the faults injected into them, per operation (read after join).
    private(set) var tally = FaultTally()

    func takeIssued() -> Bool { defer { issuedFlag = false }; return issuedFlag }
    func takeFaulted() -> Bool { defer { faultedFlag = false }; return faultedFlag }

    /// A fault changed this request's response: counted for the event line and the tally.
    func injected(_ fault: FaultPlan.Fault, on operation: ESTOperation) {
        faultedFlag = true
        tally.inject(fault, on: operation)
    }
    private let cacertsBody: [UInt8]
    private let csrattrsBody: [UInt8]
    private var random: SplitMix64
    let serverKeyGenerator: KeyGenerator

    init(authority: CertificateAuthority, configuration: ServerConfiguration, worker: Int) throws {
        self.authority = authority
        self.configuration = configuration
        issuer = try authority.makeIssuer(validityDays: configuration.validityDays)
        verifier = try CSRVerifier()
        cmsSigner = try Signer(key: authority.issuingKey)
        basic = BasicAuthenticator(users: configuration.users)
        responses = try ResponseTemplates()
        cacertsBody = ESTBody.encode(authority.cacerts)
        csrattrsBody = ESTBody.encode(configuration.csrAttributes
            ?? ESTService.csrAttributes(for: authority.issuingKey.type, channelBinding: configuration.requireChannelBinding))
        random = SplitMix64(seed: configuration.faults.seed &+ UInt64(worker) &* 0x9E37_79B9)
        serverKeyGenerator = try KeyGenerator(type: .p256)
    }

    /// 400 for a request the HTTP parser refused (413 when the body is too large, 431 when the
    /// header section is: RFC 9110 §15.5.14, RFC 6585 §5).
    func badRequest(_ error: HTTPError) -> ServerResponse {
        switch ServerEvent(refused: error) {
        case .bodyTooLarge: return text(responses.tooLarge, "request body too large\n", close: true)
        case .headerTooLarge: return text(responses.headersTooLarge, "request header fields too large: \(error)\n", close: true)
        default: return text(responses.badRequest, "bad HTTP request: \(error)\n", close: true)
        }
    }

    func respond(to request: ServerRequest) -> ServerResponse {
        pendingFault = nil  // a fault drawn for an earlier request that ended early must not linger
        // RFC 9110 §15.6.2: a method the server does not recognise is 501, not 405.
        guard let method = request.method else {
            return text(responses.notImplemented, "method not implemented; EST uses GET and POST\n", close: true)
        }
        // Nothing of the target is echoed back: a client's 10 KB path must not come back in the body.
        let path: ESTPath
        do { path = try ESTPath(target: ESTService.originForm(request.target)) } catch {
            return text(responses.notFound, ESTService.notFoundMessage(error))
        }
        if let label = path.label, !configuration.labels.contains(label) {
            return text(responses.notFound, "unknown CA label\n")
        }
        let op = path.operation
        guard method == (op.usesPOST ? .post : .get) else {
            return text(responses.methodNotAllowed(op), "\(op) takes \(op.usesPOST ? "POST" : "GET")\n")
        }
        tally.request(op)
        if let fault = configuration.faults.fault(for: op, draw: random.nextUnit()), let response = early(fault) {
            injected(fault, on: op)
            return response
        }
        if op != .cacerts && op != .csrattrs, let refusal = authenticate(request, operation: op) {
            return refusal
        }
        var response: ServerResponse
        switch op {
        case .cacerts: response = ServerResponse(template: responses.cacerts, body: cacertsBody)
        case .csrattrs:
            response = configuration.csrAttributes?.isEmpty == true
                ? ServerResponse(template: responses.noContent, body: [])
                : ServerResponse(template: responses.csrattrs, body: csrattrsBody)
        case .simpleenroll, .simplereenroll: response = enroll(request, renewal: op == .simplereenroll)
        case .serverkeygen: response = serverKeyGen(request)
        case .fullcmc: response = fullCMC(request)
        }
        return late(response, operation: op)
    }

    // MARK: authentication

    /// nil when the request may proceed; otherwise the 401/403 to send.
    private func authenticate(_ request: ServerRequest, operation: ESTOperation) -> ServerResponse? {
        if operation == .simplereenroll {
            return request.clientCertificate == nil
                ? text(responses.forbidden, "re-enrollment needs the current certificate as TLS client certificate\n") : nil
        }
        switch configuration.authentication {
        case .none: return nil
        case .cert:
            return request.clientCertificate == nil ? text(responses.forbidden, "a TLS client certificate is required\n") : nil
        case .basic:
            return basic.accepts(request.authorization) ? nil : text(responses.unauthorized, "credentials required\n")
        case .certOrBasic:
            return request.clientCertificate != nil || basic.accepts(request.authorization)
                ? nil : text(responses.unauthorized, "a client certificate or credentials are required\n")
        }
    }

    // MARK: enrollment

    /// The CSR of a simpleenroll/simplereenroll/serverkeygen body (base64 DER, RFC 8951 lenient).
    /// A request body's CSR, or the response refusing it.
    enum CSRBody {
        case der([UInt8])
        case refused(ServerResponse)
    }

    func csr(of request: ServerRequest) -> CSRBody {
        guard let type = request.contentType, type.lowercased().hasPrefix(ESTMediaType.pkcs10) else {
            return .refused(text(responses.unsupportedMediaType, "expected Content-Type \(ESTMediaType.pkcs10)\n"))
        }
        do { return .der(try ESTBody.decode(request.body)) } catch {
            return .refused(text(responses.badRequest, "CSR body is not base64: \(error)\n"))
        }
    }

    private func enroll(_ request: ServerRequest, renewal: Bool) -> ServerResponse {
        let der: [UInt8]
        switch csr(of: request) {
        case .der(let d): der = d
        case .refused(let r): return r
        }
        let view: CSRView
        do { view = try CSRView(der: der) } catch { return text(responses.badRequest, "CSR is not valid DER: \(error)\n") }
        if configuration.requireChannelBinding, let refusal = checkChannelBinding(view, request) { return refusal }
        if renewal, let certificate = request.clientCertificate, let refusal = checkRenewal(view, certificate: certificate) {
            return refusal
        }
        do {
            let issued = try issuer.issue(view)
            issuedFlag = true
            return ServerResponse(template: responses.certsOnly, body: ESTBody.encode(issued.certsOnly))
        } catch {
            if error.isRequestError { return text(responses.badRequest, "CSR refused: \(error)\n") }
            return text(responses.internalError, "issuance failed\n")
        }
    }

    /// RFC 7030 3.5: challengePassword must carry this connection's tls-unique / tls-exporter, base64.
    func checkChannelBinding(_ view: CSRView, _ request: ServerRequest) -> ServerResponse? {
        guard let binding = request.channelBinding else { return text(responses.badRequest, "no channel binding on this connection\n") }
        let expected = Base64.encodeString(binding.bytes, lineLength: 0)
        let given = (try? view.challengePassword()) ?? nil
        guard let given, BasicAuthenticator.constantTimeEquals(Array(given.utf8), Array(expected.utf8)) else {
            return text(responses.badRequest, "challengePassword does not carry this TLS connection's channel binding\n")
        }
        return nil
    }

    /// RFC 7030 4.2.2: the renewed certificate's subject and SAN must be the current one's.
    private func checkRenewal(_ view: CSRView, certificate: [UInt8]) -> ServerResponse? {
        guard let current = try? CertificateView(der: certificate[...]) else {
            return text(responses.forbidden, "the client certificate cannot be read\n")
        }
        guard DERElement.bytesEqual(current.subject, view.subject) else {
            return text(responses.forbidden, "the CSR subject differs from the certificate being renewed\n")
        }
        let currentSAN = current.subjectAltName
        let requestedSAN = (try? view.requestedExtensions().first { $0.oid == OIDs.subjectAltName }?.value) ?? nil
        if let currentSAN, let requestedSAN, !DERElement.bytesEqual(currentSAN, requestedSAN) {
            return text(responses.forbidden, "the CSR subjectAltName differs from the certificate being renewed\n")
        }
        if (currentSAN == nil) != (requestedSAN == nil) {
            return text(responses.forbidden, "the CSR subjectAltName differs from the certificate being renewed\n")
        }
        return nil
    }

    // MARK: helpers

    var faultTemplates: ResponseTemplates { responses }

    /// The path of an absolute-form target (`https://host:port/path`, RFC 9112 §3.2.2: a server
    /// must accept it); an origin-form target as it is.
    static func originForm(_ target: String) -> String {
        guard target.first != "/" else { return target }
        let lower = target.prefix(8).lowercased()
        let scheme = lower.hasPrefix("https://") ? 8 : lower.hasPrefix("http://") ? 7 : 0
        guard scheme > 0 else { return target }
        let afterScheme = target.dropFirst(scheme)
        guard let slash = afterScheme.firstIndex(of: "/") else { return "/" }
        return String(afterScheme[slash...])
    }

    /// A 404 body naming what was wrong, without the client's own bytes.
    static func notFoundMessage(_ error: ESTPath.ParseError) -> String {
        switch error {
        case .notEST: return "not an EST path: expected \(ESTPath.prefix)[LABEL/]OPERATION\n"
        case .unknownOperation: return "unknown EST operation; expected one of \(ESTOperation.allowedNames)\n"
        case .badLabel: return "a CA label takes A-Z a-z 0-9 - _ . only\n"
        }
    }

    func text(_ template: HTTPResponseTemplate, _ message: String, close: Bool = false) -> ServerResponse {
        ServerResponse(template: template, body: Array(message.utf8), close: close)
    }
}
