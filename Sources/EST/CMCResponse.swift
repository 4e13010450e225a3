import DER
import PKI

/// A CMC Full PKI Response (RFC 5272 3.2.2) as `fullcmc` answers: the status the CA reported
/// (CMCStatusInfoV2 or CMCStatusInfo in the controls) and the certificates the SignedData carries.
/// Read in place with our DER reader; the response's own signature is not verified here.
public struct CMCResponse: Sendable {
    static let pkiResponse = OID("1.3.6.1.5.5.7.12.3")
    static let statusInfoV2 = OID("1.3.6.1.5.5.7.7.25")
    static let statusInfo = OID("1.3.6.1.5.5.7.7.1")

    /// Why DER is not a Full PKI Response.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case der(DERError)
        case notSignedData
        case notPKIResponse(contentType: String)
        case noStatus

        public var description: String {
            switch self {
            case .der(let e): return "CMC response is not valid DER: \(e)"
            case .notSignedData: return "CMC response is not a CMS SignedData"
            case .notPKIResponse(let t): return "CMC response content type \(t) is not id-cct-PKIResponse (1.3.6.1.5.5.7.12.3)"
            case .noStatus: return "CMC response carries no CMCStatusInfo(V2) control"
            }
        }
    }

    /// CMCStatus: 0 success, 2 failed, 3 pending, 4 noSupport, 5 confirmRequired, 6 popRequired, 7 partial.
    public let status: Int
    /// The CA's statusString, when it gave one.
    public let statusText: String?
    /// Every certificate in the SignedData, in order.
    public let certificates: [ArraySlice<UInt8>]

    public init(der: ArraySlice<UInt8>) throws(ParseError) {
        do {
            var contentInfo = try DERReader.single(der).children()
            guard try contentInfo.read(.objectIdentifier).isOID(OIDs.signedData) else { throw ParseError.notSignedData }
            var signed = try DERReader.single(try contentInfo.read(.context(0, constructed: true)).content).children()
            try signed.skip(.integer)
            try signed.skip(.set)
            var encap = try signed.read(.sequence).children()
            let type = try encap.read(.objectIdentifier)
            guard type.isOID(CMCResponse.pkiResponse) else { throw ParseError.notPKIResponse(contentType: "\(try type.oid())") }
            let content = try DERReader.single(try encap.read(.context(0, constructed: true)).content).octetString()
            var certificates: [ArraySlice<UInt8>] = []
            if let set = try signed.readIfPresent(.context(0, constructed: true)) {
                var members = set.children()
                while let c = try members.next() { certificates.append(c.encoded) }
            }
            self.certificates = certificates
            var response = try DERReader.single(content).children()
            var controls = try response.read(.sequence).children()
            while let tagged = try controls.next() {
                var fields = tagged.children()
                _ = try fields.read(.integer)  // bodyPartID
                let attribute = try fields.read(.objectIdentifier)
                guard attribute.isOID(CMCResponse.statusInfoV2) || attribute.isOID(CMCResponse.statusInfo) else { continue }
                var values = try fields.read(.set).children()
                var info = try values.read(.sequence).children()
                status = try info.read().integer()
                _ = try info.read(.sequence)  // bodyList
                statusText = try info.readIfPresent(.utf8String).map { try $0.string() }
                return
            }
            throw ParseError.noStatus
        } catch let error as ParseError {
            throw error
        } catch let error as DERError {
            throw .der(error)
        } catch {
            throw .noStatus
        }
    }
}
