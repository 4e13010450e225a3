import DER

/// A per-device text such as `device-{i}` or `{i:06}.devices.example`, compiled once so that
/// expanding it for device i writes straight into the DER buffer without building a String.
public struct FieldPattern: Sendable, Equatable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal([UInt8])
        case index(width: Int)
    }

    public let text: String
    let segments: [Segment]

    /// The placeholders users may write, for error messages.
    public static let allowedPlaceholders = "{i} (the device index) and {i:0N} (zero-padded to N digits, N 1-20)"

    public init(_ text: String) throws(PKIError) {
        self.text = text
        var segments: [Segment] = []
        var literal: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "{") {
                guard let close = bytes[i...].firstIndex(of: UInt8(ascii: "}")) else {
                    throw .invalidTemplate("pattern \"\(text)\": unclosed \"{\"; allowed placeholders: \(FieldPattern.allowedPlaceholders)")
                }
                let name = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
                let width: Int
                if name == "i" {
                    width = 0
                } else if name.hasPrefix("i:0"), let w = Int(name.dropFirst(3)), (1...20).contains(w) {
                    width = w
                } else {
                    throw .invalidTemplate("pattern \"\(text)\": cannot expand \"{\(name)}\"; allowed placeholders: \(FieldPattern.allowedPlaceholders)")
                }
                if !literal.isEmpty { segments.append(.literal(literal)); literal = [] }
                segments.append(.index(width: width))
                i = close + 1
            } else if c == UInt8(ascii: "}") {
                throw .invalidTemplate("pattern \"\(text)\": \"}\" without \"{\"; allowed placeholders: \(FieldPattern.allowedPlaceholders)")
            } else {
                literal.append(c)
                i += 1
            }
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        self.segments = segments
    }

    public var description: String { text }

    /// Whether the pattern has a placeholder (a constant text gives every device the same value).
    public var isConstant: Bool { !segments.contains { if case .index = $0 { return true } else { return false } } }

    /// The literal text with placeholders removed: what alphabet checks look at.
    var literalBytes: [UInt8] {
        segments.flatMap { if case .literal(let b) = $0 { return b } else { return [] } }
    }

    /// Length in bytes of the expansion for `index`.
    func length(for index: Int) -> Int {
        var n = 0
        for s in segments {
            switch s {
            case .literal(let b): n += b.count
            case .index(let width): n += Swift.max(width, DERWriter.decimalDigits(index))
            }
        }
        return n
    }

    /// Writes `tag`, length and the expansion for `index`.
    func write(_ tag: DERTag, index: Int, to w: inout DERWriter) {
        w.writeHeader(tag, contentLength: length(for: index))
        for s in segments {
            switch s {
            case .literal(let b): w.appendContent(b)
            case .index(let width): w.appendDecimal(index, width: width)
            }
        }
    }

    /// The expansion for `index` as text.
    public func expand(_ index: Int) -> String {
        var w = DERWriter(capacity: 64)
        for s in segments {
            switch s {
            case .literal(let b): w.appendContent(b)
            case .index(let width): w.appendDecimal(index, width: width)
            }
        }
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
