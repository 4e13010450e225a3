/// An OBJECT IDENTIFIER encoded once from dotted text and reused as bytes.
/// (Named `OID` because the standard library owns `ObjectIdentifier`.)
public struct OID: Hashable, Sendable, CustomStringConvertible {
    /// The content octets (without tag and length).
    public let content: [UInt8]
    /// The complete TLV, ready to append.
    public let tlv: [UInt8]

    /// Parses dotted decimal text such as "1.2.840.10045.2.1"; nil when it is not a valid OID
    /// (fewer than two arcs, first arc > 2, second arc > 39 under arcs 0 and 1, empty or non-digit arcs).
    public init?(dotted: String) {
        var arcs: [UInt64] = []
        for part in dotted.split(separator: ".", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let value = UInt64(part) else { return nil }
            arcs.append(value)
        }
        guard arcs.count >= 2, arcs[0] <= 2 else { return nil }
        if arcs[0] < 2 && arcs[1] >= 40 { return nil }
        let (first, overflow) = (arcs[0] * 40).addingReportingOverflow(arcs[1])
        if overflow { return nil }
        var content: [UInt8] = []
        OID.appendBase128(first, to: &content)
        for arc in arcs.dropFirst(2) { OID.appendBase128(arc, to: &content) }
        self.init(content: content)
    }

    /// For OIDs written in the source: a malformed literal is a programming error.
    public init(_ dotted: StaticString) {
        guard let oid = OID(dotted: dotted.description) else {
            preconditionFailure("malformed OID literal \(dotted)")
        }
        self = oid
    }

    /// From content octets already known to be valid (see `DERElement.oid()` for checked decoding).
    public init(content: [UInt8]) {
        self.content = content
        var w = DERWriter(capacity: content.count + 4)
        w.primitive(.objectIdentifier, content: content)
        self.tlv = w.bytes
    }

    static func appendBase128(_ value: UInt64, to out: inout [UInt8]) {
        var groups = 1
        while groups < 10 && value >> (7 * UInt64(groups)) != 0 { groups += 1 }
        for g in stride(from: groups - 1, through: 0, by: -1) {
            let byte = UInt8(truncatingIfNeeded: value >> (7 * UInt64(g))) & 0x7F
            out.append(g == 0 ? byte : byte | 0x80)
        }
    }

    /// Dotted decimal text.
    public var description: String { OID.dotted(content[...]) ?? "<invalid OID>" }

    /// Dotted text from content octets; nil when the encoding is not minimal base-128 or overflows.
    static func dotted(_ content: ArraySlice<UInt8>) -> String? {
        guard !content.isEmpty, content.last! & 0x80 == 0 else { return nil }
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        var startOfArc = true
        for byte in content {
            if startOfArc && byte == 0x80 { return nil }  // leading 0x80: not minimal
            guard value >> 57 == 0 else { return nil }
            value = (value << 7) | UInt64(byte & 0x7F)
            startOfArc = byte & 0x80 == 0
            if startOfArc {
                arcs.append(value)
                value = 0
            }
        }
        let first = arcs[0]
        var text = first < 40 ? "0.\(first)" : first < 80 ? "1.\(first - 40)" : "2.\(first - 80)"
        for arc in arcs.dropFirst() { text += ".\(arc)" }
        return text
    }
}
