/// Base64 (RFC 4648) as EST bodies need it (RFC 8951): sent wrapped at 64 columns with a final
/// newline; received leniently (any line length, LF or CRLF, spaces, missing final newline).
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static let decodeTable: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// Encodes `bytes`; `lineLength` 0 means one unwrapped line without a newline.
    public static func encode(_ bytes: some Collection<UInt8>, lineLength: Int = 64) -> [UInt8] {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity((input.count + 2) / 3 * 4 + (lineLength > 0 ? input.count / 48 + 2 : 0))
        var column = 0
        func put(_ c: UInt8) {
            out.append(c)
            column += 1
            if lineLength > 0 && column == lineLength {
                out.append(0x0A)
                column = 0
            }
        }
        var i = 0
        while i + 3 <= input.count {
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            put(alphabet[Int(v >> 18 & 63)])
            put(alphabet[Int(v >> 12 & 63)])
            put(alphabet[Int(v >> 6 & 63)])
            put(alphabet[Int(v & 63)])
            i += 3
        }
        let rest = input.count - i
        if rest > 0 {
            let v = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
            put(alphabet[Int(v >> 18 & 63)])
            put(alphabet[Int(v >> 12 & 63)])
            put(rest == 2 ? alphabet[Int(v >> 6 & 63)] : 0x3D)
            put(0x3D)
        }
        if lineLength > 0 && column > 0 { out.append(0x0A) }
        return out
    }

    public static func encodeString(_ bytes: some Collection<UInt8>, lineLength: Int = 64) -> String {
        String(decoding: encode(bytes, lineLength: lineLength), as: UTF8.self)
    }

    /// Why a body is not base64.
    public enum DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
        case invalidCharacter(offset: Int, byte: UInt8)
        case badLength(symbols: Int)
        case dataAfterPadding(offset: Int)

        public var description: String {
            switch self {
            case .invalidCharacter(let o, let b): return "byte 0x\(String(b, radix: 16)) at offset \(o) is not base64"
            case .badLength(let n): return "\(n) base64 symbols is not a whole number of bytes"
            case .dataAfterPadding(let o): return "base64 data after \"=\" padding at offset \(o)"
            }
        }
    }

    /// Decodes, ignoring CR, LF, space and tab anywhere; padding optional at the very end.
    /// Contiguous input (arrays, buffers and their slices) goes straight to the concrete decoder, so
    /// callers in other modules never run it as unspecialized generic code.
    public static func decode(_ text: some Collection<UInt8>) throws(DecodeError) -> [UInt8] {
        if let result = text.withContiguousStorageIfAvailable({ decodeContiguous($0) }) { return try result.get() }
        return try decodeContiguous(Array(text)).get()
    }

    /// An EST body (RFC 8951 leniency): stray trailing NUL bytes, seen from real servers and
    /// clients, are dropped before decoding.
    public static func decodeBody(_ body: some Collection<UInt8>) throws(DecodeError) -> [UInt8] {
        if let result = body.withContiguousStorageIfAvailable({ (b: UnsafeBufferPointer<UInt8>) -> Result<[UInt8], DecodeError> in
            var n = b.count
            while n > 0 && b[n - 1] == 0 { n -= 1 }
            return decodeContiguous(UnsafeBufferPointer(rebasing: b[0..<n]))
        }) { return try result.get() }
        return try decodeBody(Array(body))
    }

    public static func decode(_ text: [UInt8]) throws(DecodeError) -> [UInt8] {
        try text.withUnsafeBufferPointer { decodeContiguous($0) }.get()
    }

    static func decodeContiguous(_ text: [UInt8]) -> Result<[UInt8], DecodeError> {
        text.withUnsafeBufferPointer { decodeContiguous($0) }
    }

    static func decodeContiguous(_ text: UnsafeBufferPointer<UInt8>) -> Result<[UInt8], DecodeError> {
        Result { () throws(DecodeError) -> [UInt8] in try decodeCore(text) }
    }

    private static func decodeCore(_ text: UnsafeBufferPointer<UInt8>) throws(DecodeError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3 + 3)
        var accumulator: UInt32 = 0
        var symbols = 0
        var padding = 0
        var offset = 0
        for c in text {
            defer { offset += 1 }
            if c == 0x0A || c == 0x0D || c == 0x20 || c == 0x09 { continue }
            if c == 0x3D {
                padding += 1
                continue
            }
            if padding > 0 { throw .dataAfterPadding(offset: offset) }
            let v = decodeTable[Int(c)]
            if v == 0xFF { throw .invalidCharacter(offset: offset, byte: c) }
            accumulator = accumulator << 6 | UInt32(v)
            symbols += 1
            if symbols % 4 == 0 {
                out.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                out.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                out.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator = 0
            }
        }
        switch symbols % 4 {
        case 0: break
        case 2: out.append(UInt8(truncatingIfNeeded: accumulator >> 4))
        case 3:
            out.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            out.append(UInt8(truncatingIfNeeded: accumulator >> 2))
        default: throw .badLength(symbols: symbols)
        }
        if padding > 0 && (symbols + padding) % 4 != 0 { throw .badLength(symbols: symbols + padding) }
        return out
    }
}
