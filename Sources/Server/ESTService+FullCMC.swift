import DER
import EST
import PKI

/// fullcmc (RFC 7030 4.3, RFC 5272): a PKIData carrying PKCS#10 requests (TaggedCertificationRequest)
/// gets a signed Full PKI Response with a success status and the certificates; anything else gets
/// the same response with a failure status (never a crash, never a bare 500).
extension ESTService {
    static let pkiData = OID("1.3.6.1.5.5.7.12.2")
    static let pkiResponse = OID("1.3.6.1.5.5.7.12.3")
    static let statusInfoV2 = OID("1.3.6.1.5.5.7.7.25")

    /// CMCStatus (RFC 5272 3.2.4) and CMCFailInfo values used here.
    enum CMCOutcome {
        case success(bodyPartIDs: [Int], certificates: [ArraySlice<UInt8>])
        case failed(bodyPartIDs: [Int], failInfo: Int, reason: String)
    }

    func fullCMC(_ request: ServerRequest) -> ServerResponse {
        guard let type = request.contentType?.lowercased(), type.hasPrefix("application/pkcs7-mime") else {
            return text(faultTemplates.unsupportedMediaType, "expected Content-Type \(ESTMediaType.cmcRequest)\n")
        }
        let der: [UInt8]
        do { der = try ESTBody.decode(request.body) } catch { return text(faultTemplates.badRequest, "CMC body is not base64: \(error)\n") }
        let outcome = processPKIData(der, request: request)
        guard let response = try? encodeResponse(outcome) else {
            return text(faultTemplates.internalError, "CMC response could not be signed\n")
        }
        return ServerResponse(template: faultTemplates.cmcResponse, body: ESTBody.encode(response))
    }

    /// Reads the request and issues what it asks; every problem becomes a failure outcome.
    /// The request's SignerInfo is not checked: proof of possession is each PKCS#10's own signature
    /// (and, with --channel-binding, its challengePassword), as for simpleenroll.
    private func processPKIData(_ der: [UInt8], request: ServerRequest) -> CMCOutcome {
        // CMCFailInfo: badAlg(0), badMessageCheck(1), badRequest(2), badTime(3), badCertId(4), unsupportedExt(5)...
        let badRequest = 2
        let requests: [(id: Int, csr: ArraySlice<UInt8>)]
        do {
            var contentInfo = try DERReader.single(der).children()
            guard try contentInfo.read(.objectIdentifier).isOID(OIDs.signedData) else {
                return .failed(bodyPartIDs: [], failInfo: badRequest, reason: "not a CMS SignedData")
            }
            var signed = try DERReader.single(try contentInfo.read(.context(0, constructed: true)).content).children()
            try signed.skip(.integer)
            try signed.skip(.set)
            var encap = try signed.read(.sequence).children()
            guard try encap.read(.objectIdentifier).isOID(ESTService.pkiData) else {
                return .failed(bodyPartIDs: [], failInfo: badRequest, reason: "content is not id-cct-PKIData")
            }
            let eContent = try DERReader.single(try encap.read(.context(0, constructed: true)).content).octetString()
            var pkiData = try DERReader.single(eContent).children()
            try pkiData.skip(.sequence)  // controlSequence: no controls are acted on
            var tagged = try pkiData.read(.sequence).children()
            var found: [(Int, ArraySlice<UInt8>)] = []
            while let request = try tagged.next() {
                guard request.tag == .context(0, constructed: true) else {
                    return .failed(bodyPartIDs: [], failInfo: badRequest, reason: "only PKCS#10 requests (TaggedCertificationRequest) are supported")
                }
                var fields = request.children()
                let id = try fields.read().integer()
                let csr = try fields.read(.sequence).encoded
                found.append((id, csr))
            }
            requests = found
        } catch {
            return .failed(bodyPartIDs: [], failInfo: badRequest, reason: "malformed CMC request: \(error)")
        }
        guard !requests.isEmpty else { return .failed(bodyPartIDs: [], failInfo: badRequest, reason: "no certification request") }
        var certificates: [ArraySlice<UInt8>] = []
        for (id, csr) in requests {
            if configuration.requireChannelBinding {
                guard let view = try? CSRView(der: csr), checkChannelBinding(view, request) == nil else {
                    return .failed(bodyPartIDs: [id], failInfo: badRequest, reason: "challengePassword does not carry this connection's channel binding")
                }
            }
            do {
                let issued = try issuer.issue(csr: csr)
                certificates.append(issued.certificate)
            } catch {
                return .failed(bodyPartIDs: [id], failInfo: error.isRequestError ? badRequest : 1, reason: "\(error)")
            }
        }
        return .success(bodyPartIDs: requests.map(\.id), certificates: certificates)
    }

    /// ContentInfo(SignedData(id-cct-PKIResponse)) signed by the issuing CA, certificates attached.
    private func encodeResponse(_ outcome: CMCOutcome) throws -> [UInt8] {
        var pkiResponse = DERWriter(capacity: 256)
        pkiResponse.sequence { r in
            r.sequence { controls in
                controls.sequence { tagged in
                    tagged.integer(1)
                    tagged.oid(ESTService.statusInfoV2)
                    tagged.set { values in
                        values.sequence { status in
                            switch outcome {
                            case .success(let ids, _):
                                status.integer(0)
                                status.sequence { for id in ids { $0.integer(id) } }
                            case .failed(let ids, let failInfo, let reason):
                                status.integer(2)
                                // bodyList is SIZE (1..MAX): 0 names the PKIData as a whole.
                                status.sequence { for id in (ids.isEmpty ? [0] : ids) { $0.integer(id) } }
                                status.utf8String(reason)
                                status.integer(failInfo)  // otherInfo: failInfo CMCFailInfo
                            }
                        }
                    }
                }
            }
            r.sequence { _ in }  // cmsSequence
            r.sequence { _ in }  // otherMsgSequence
        }
        let ca = try CertificateView(der: authority.issuingCertificate[...])
        var certificates: [ArraySlice<UInt8>] = []
        if case .success(_, let issued) = outcome { certificates = issued }
        certificates += authority.caCertificates.map { $0[...] }
        return try CMSSignedData.encode(content: pkiResponse.bytes, contentType: ESTService.pkiResponse, signer: cmsSigner,
                                        signerIdentifier: .issuerAndSerialNumber(issuer: ca.issuer, serial: ca.serialNumber),
                                        certificates: certificates)
    }
}
