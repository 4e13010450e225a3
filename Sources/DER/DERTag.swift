/// One DER identifier octet (class, constructed bit, tag number 0...30).
/// High tag numbers (31 and up) never occur in X.509/PKCS and are rejected by the reader.
public struct DERTag: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let boolean = DERTag(rawValue: 0x01)
    public static let integer = DERTag(rawValue: 0x02)
    public static let bitString = DERTag(rawValue: 0x03)
    public static let octetString = DERTag(rawValue: 0x04)
    public static let null = DERTag(rawValue: 0x05)
    public static let objectIdentifier = DERTag(rawValue: 0x06)
    public static let utf8String = DERTag(rawValue: 0x0C)
    public static let printableString = DERTag(rawValue: 0x13)
    public static let t61String = DERTag(rawValue: 0x14)
    public static let ia5String = DERTag(rawValue: 0x16)
    public static let utcTime = DERTag(rawValue: 0x17)
    public static let generalizedTime = DERTag(rawValue: 0x18)
    public static let bmpString = DERTag(rawValue: 0x1E)
    public static let sequence = DERTag(rawValue: 0x30)
    public static let set = DERTag(rawValue: 0x31)

    /// `[n]` context-specific; constructed for EXPLICIT tagging and for IMPLICIT over a constructed type.
    @inlinable public static func context(_ number: UInt8, constructed: Bool) -> DERTag {
        DERTag(rawValue: 0x80 | (constructed ? 0x20 : 0) | (number & 0x1F))
    }

    @inlinable public var isConstructed: Bool { rawValue & 0x20 != 0 }
    @inlinable public var tagClass: UInt8 { rawValue >> 6 }
    @inlinable public var number: UInt8 { rawValue & 0x1F }

    public var description: String {
        switch rawValue {
        case 0x01: return "BOOLEAN"
        case 0x02: return "INTEGER"
        case 0x03: return "BIT STRING"
        case 0x04: return "OCTET STRING"
        case 0x05: return "NULL"
        case 0x06: return "OBJECT IDENTIFIER"
        case 0x0C: return "UTF8String"
        case 0x13: return "PrintableString"
        case 0x16: return "IA5String"
        case 0x17: return "UTCTime"
        case 0x18: return "GeneralizedTime"
        case 0x30: return "SEQUENCE"
        case 0x31: return "SET"
        default:
            let classes = ["universal", "application", "context", "private"]
            return "[\(classes[Int(tagClass)]) \(number)\(isConstructed ? " constructed" : "")]"
        }
    }
}
