import DER
import Glibc

/// What every CSR of a pool asks for: subject, SAN, optional challengePassword and extra
/// extension requests. Text fields are `FieldPattern`s expanded per device.
public struct CSRTemplate: Sendable, Equatable {
    /// One subject attribute type and the ASN.1 string type it is written with.
    public enum Attribute: String, CaseIterable, Sendable {
        case commonName = "CN", organization = "O", organizationalUnit = "OU", country = "C"
        case stateOrProvince = "ST", locality = "L", serialNumber = "serialNumber"
        case emailAddress = "emailAddress", domainComponent = "DC", surname = "SN"

        public var oid: OID {
            switch self {
            case .commonName: return OIDs.commonName
            case .organization: return OIDs.organization
            case .organizationalUnit: return OIDs.organizationalUnit
            case .country: return OIDs.country
            case .stateOrProvince: return OIDs.stateOrProvince
            case .locality: return OIDs.locality
            case .serialNumber: return OIDs.serialNumber
            case .emailAddress: return OIDs.emailAddress
            case .domainComponent: return OIDs.domainComponent
            case .surname: return OIDs.surname
            }
        }

        /// RFC 5280 Appendix A: C and serialNumber are PrintableString, email and DC IA5String, the rest UTF8String.
        public var stringTag: DERTag {
            switch self {
            case .country, .serialNumber: return .printableString
            case .emailAddress, .domainComponent: return .ia5String
            default: return .utf8String
            }
        }

        public static let allowedNames = allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// An extension requested verbatim: OID, criticality, and the DER of extnValue's content.
    public struct Extension: Sendable, Equatable {
        public var oid: OID
        public var critical: Bool
        public var value: [UInt8]

        public init(oid: OID, critical: Bool = false, value: [UInt8]) {
            self.oid = oid
            self.critical = critical
            self.value = value
        }
    }

    public var subject: [(Attribute, FieldPattern)]
    public var sanDNS: [FieldPattern]
    public var sanURI: [FieldPattern]
    /// IP addresses as 4 or 16 network-order bytes.
    public var sanIP: [[UInt8]]
    public var challengePassword: String?
    public var extraExtensions: [Extension]

    public init(subject: [(Attribute, FieldPattern)] = [], sanDNS: [FieldPattern] = [], sanURI: [FieldPattern] = [],
                sanIP: [[UInt8]] = [], challengePassword: String? = nil, extraExtensions: [Extension] = []) {
        self.subject = subject
        self.sanDNS = sanDNS
        self.sanURI = sanURI
        self.sanIP = sanIP
        self.challengePassword = challengePassword
        self.extraExtensions = extraExtensions
    }

    /// The common case: `CN=<cn>` and optional DNS SANs.
    public init(commonName: String, sanDNS: [String] = []) throws(PKIError) {
        var dns: [FieldPattern] = []
        for s in sanDNS { dns.append(try FieldPattern(s)) }
        self.init(subject: [(.commonName, try FieldPattern(commonName))], sanDNS: dns)
        try validate()
    }

    public static func == (a: CSRTemplate, b: CSRTemplate) -> Bool {
        a.subject.map(\.0) == b.subject.map(\.0) && a.subject.map(\.1) == b.subject.map(\.1)
            && a.sanDNS == b.sanDNS && a.sanURI == b.sanURI && a.sanIP == b.sanIP
            && a.challengePassword == b.challengePassword && a.extraExtensions == b.extraExtensions
    }

    var hasExtensions: Bool { !sanDNS.isEmpty || !sanURI.isEmpty || !sanIP.isEmpty || !extraExtensions.isEmpty }

    /// Checks alphabets and sizes once, so that building never fails on the hot path.
    public func validate() throws(PKIError) {
        for (attribute, pattern) in subject {
            let literal = pattern.literalBytes
            switch attribute.stringTag {
            case .printableString where !DERString.isPrintable(literal):
                throw .invalidTemplate("subject \(attribute.rawValue) \"\(pattern)\" has characters outside PrintableString (A-Z a-z 0-9 space ' ( ) + , - . / : = ?)")
            case .ia5String where !DERString.isIA5(literal):
                throw .invalidTemplate("subject \(attribute.rawValue) \"\(pattern)\" must be ASCII")
            default: break
            }
            if attribute == .country && (pattern.length(for: 0) != 2 || !pattern.isConstant) {
                throw .invalidTemplate("subject C \"\(pattern)\" must be a two-letter country code")
            }
        }
        for p in sanDNS + sanURI where !DERString.isIA5(p.literalBytes) {
            throw .invalidTemplate("SAN \"\(p)\" must be ASCII (IA5String)")
        }
        for ip in sanIP where ip.count != 4 && ip.count != 16 {
            throw .invalidTemplate("SAN IP address of \(ip.count) bytes; expected 4 (IPv4) or 16 (IPv6)")
        }
    }

    /// Parses an IPv4 or IPv6 address in text form for `sanIP`.
    public static func ipAddress(_ text: String) throws(PKIError) -> [UInt8] {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: v6) { Array($0) }
        }
        throw .invalidTemplate("\"\(text)\" is not an IPv4 or IPv6 address")
    }
}
