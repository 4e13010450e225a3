/// Base64 (RFC 4648) as EST bodies need it (RFC 8951): sent wrapped at 64 columns with a final
/// newline; received leniently (any line length, LF or CRLF, spaces, missing final newline).
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Per byte: its 6-bit value, `skip` (CR, LF, space, tab), `pad` ("=") or `invalid`.
    static let decodeTable: [UInt8] = {
        var t = [UInt8](repeating: invalid, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        for c: UInt8 in [0x0A, 0x0D, 0x20, 0x09] { t[Int(c)] = skip }
        t[0x3D] = pad
        return t
    }()
    /// Four 256-entry tables, one per position in a quantum: the symbol's 6 bits already shifted
    /// into place (18, 12, 6, 0), or 0x8000_0000 for anything that is not a symbol.
    static let quadTable: [UInt32] = {
        var t = [UInt32](repeating: 0x8000_0000, count: 1024)
        for (i, c) in alphabet.enumerated() {
            for k in 0..<4 { t[k * 256 + Int(c)] = UInt32(i) << (18 - 6 * k) }
        }
        return t
    }()
    static let skip: UInt8 = 0x40
    static let pad: UInt8 = 0x41
    static let invalid: UInt8 = 0xFF

    /// Encodes `bytes`; `lineLength` 0 means one unwrapped line without a newline.
    public static func encode(_ bytes: some Collection<UInt8>, lineLength: Int = 64) -> [UInt8] {
        if let out = bytes.withContiguousStorageIfAvailable({ encodeCore($0, lineLength: lineLength) }) { return out }
        return Array(bytes).withUnsafeBufferPointer { encodeCore($0, lineLength: lineLength) }
    }

    public static func encode(_ bytes: [UInt8], lineLength: Int = 64) -> [UInt8] {
        bytes.withUnsafeBufferPointer { encodeCore($0, lineLength: lineLength) }
    }

    /// Per 12 bits of input: its two symbols, stored as they lie in memory (first symbol first).
    static let pairTable: [UInt16] = (0..<4096).map { v in
        (UInt16(alphabet[v >> 6]) | UInt16(alphabet[v & 63]) << 8).littleEndian
    }

    /// The encoder over contiguous bytes: writes straight into the result's storage.
    static func encodeCore(_ input: UnsafeBufferPointer<UInt8>, lineLength: Int) -> [UInt8] {
        let symbols = (input.count + 2) / 3 * 4
        let newlines = lineLength > 0 ? (symbols + lineLength - 1) / lineLength : 0
        guard symbols > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: symbols + newlines) { out, count in
            count = encode(input, lineLength: lineLength, into: out)
        }
    }

    /// Writes the encoding of `input` into `out` (room for every symbol and newline); returns its length.
    /// Whole quanta go two symbols per table lookup, a line at a time when lines hold whole quanta
    /// (64 and 76 columns do); odd line lengths and the last partial quantum go a symbol at a time.
    private static func encode(_ input: UnsafeBufferPointer<UInt8>, lineLength: Int,
                               into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let n = input.count
        var i = 0
        var o = 0
        var column = 0
        let raw = UnsafeMutableRawPointer(out.baseAddress!)
        if lineLength % 4 == 0 {
            let quantaPerLine = lineLength == 0 ? Int.max : lineLength / 4
            pairTable.withUnsafeBufferPointer { pairs in
                var line = 0
                while i + 3 <= n {
                    let v = Int(input[i]) << 16 | Int(input[i + 1]) << 8 | Int(input[i + 2])
                    raw.storeBytes(of: pairs[v >> 12], toByteOffset: o, as: UInt16.self)
                    raw.storeBytes(of: pairs[v & 0xFFF], toByteOffset: o + 2, as: UInt16.self)
                    i += 3
                    o += 4
                    line += 1
                    if line == quantaPerLine {
                        out[o] = 0x0A
                        o += 1
                        line = 0
                    }
                }
                column = lineLength == 0 ? 0 : line * 4
            }
        }
        alphabet.withUnsafeBufferPointer { a in
            @inline(__always) func put(_ c: UInt8) {
                out[o] = c
                o += 1
                column += 1
                if column == lineLength {
                    out[o] = 0x0A
                    o += 1
                    column = 0
                }
            }
            while i + 3 <= n {
                let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                put(a[Int(v >> 18 & 63)])
                put(a[Int(v >> 12 & 63)])
                put(a[Int(v >> 6 & 63)])
                put(a[Int(v & 63)])
                i += 3
            }
            let rest = n - i
            if rest > 0 {
                let v = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
                put(a[Int(v >> 18 & 63)])
                put(a[Int(v >> 12 & 63)])
                put(rest == 2 ? a[Int(v >> 6 & 63)] : 0x3D)
                put(0x3D)
            }
        }
        if lineLength > 0 && column > 0 {
            out[o] = 0x0A
            o += 1
        }
        return o
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

    public static func decode(_ text: [UInt8]) throws(DecodeError) -> [UInt8] {
        try text.withUnsafeBufferPointer { decodeContiguous($0) }.get()
    }

    static func decodeContiguous(_ text: [UInt8]) -> Result<[UInt8], DecodeError> {
        text.withUnsafeBufferPointer { decodeContiguous($0) }
    }

    static func decodeContiguous(_ text: UnsafeBufferPointer<UInt8>) -> Result<[UInt8], DecodeError> {
        Result { () throws(DecodeError) -> [UInt8] in try decodeCore(text) }
    }

    /// Four symbols at `offset` through the per-position tables: 24 bits, or the high bit set.
    @inline(__always)
    private static func quantum(_ quads: UnsafeBufferPointer<UInt32>, _ text: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt32 {
        quads[Int(text[offset])] | quads[256 + Int(text[offset + 1])] | quads[512 + Int(text[offset + 2])] | quads[768 + Int(text[offset + 3])]
    }

    private static func decodeCore(_ text: UnsafeBufferPointer<UInt8>) throws(DecodeError) -> [UInt8] {
        var failure: DecodeError?
        let out = decodeTable.withUnsafeBufferPointer { table in quadTable.withUnsafeBufferPointer { quads in
            [UInt8](unsafeUninitializedCapacity: text.count / 4 * 3 + 4) { out, count in
                var o = 0
                var accumulator: UInt32 = 0
                var symbols = 0
                var padding = 0
                var offset = 0
                let n = text.count
                while offset < n {
                    // Fast path: whole quanta at a quantum boundary (every full line of a wrapped
                    // body), one OR of four pre-shifted table entries each; an entry with the high bit
                    // set (not a symbol) drops to the byte path below.
                    if symbols & 3 == 0 && padding == 0 {
                        // Four quanta per turn, one test for all four, each quantum's three bytes
                        // stored as one big-endian word (the fourth byte is overwritten next; the
                        // output has slack for it).
                        while offset + 16 <= n {
                            let a = quantum(quads, text, offset), b = quantum(quads, text, offset + 4)
                            let c = quantum(quads, text, offset + 8), d = quantum(quads, text, offset + 12)
                            if (a | b | c | d) & 0x8000_0000 != 0 { break }
                            let raw = UnsafeMutableRawPointer(out.baseAddress!) + o
                            raw.storeBytes(of: (a << 8).bigEndian, as: UInt32.self)
                            (raw + 3).storeBytes(of: (b << 8).bigEndian, as: UInt32.self)
                            (raw + 6).storeBytes(of: (c << 8).bigEndian, as: UInt32.self)
                            (raw + 9).storeBytes(of: (d << 8).bigEndian, as: UInt32.self)
                            o += 12
                            symbols += 16
                            offset += 16
                        }
                        while offset + 4 <= n {
                            let x = quads[Int(text[offset])] | quads[256 + Int(text[offset + 1])]
                                | quads[512 + Int(text[offset + 2])] | quads[768 + Int(text[offset + 3])]
                            if x & 0x8000_0000 != 0 { break }
                            out[o] = UInt8(truncatingIfNeeded: x >> 16)
                            out[o + 1] = UInt8(truncatingIfNeeded: x >> 8)
                            out[o + 2] = UInt8(truncatingIfNeeded: x)
                            o += 3
                            symbols += 4
                            offset += 4
                        }
                        if offset >= n { break }
                    }
                    let c = text[offset]
                    let v = table[Int(c)]
                    if v < 64 {
                        if padding > 0 {
                            failure = .dataAfterPadding(offset: offset)
                            return
                        }
                        accumulator = accumulator << 6 | UInt32(v)
                        symbols += 1
                        if symbols & 3 == 0 {
                            out[o] = UInt8(truncatingIfNeeded: accumulator >> 16)
                            out[o + 1] = UInt8(truncatingIfNeeded: accumulator >> 8)
                            out[o + 2] = UInt8(truncatingIfNeeded: accumulator)
                            o += 3
                            accumulator = 0
                        }
                    } else if v == pad {
                        padding += 1
                    } else if v != skip {
                        failure = .invalidCharacter(offset: offset, byte: c)
                        return
                    }
                    offset += 1
                }
                switch symbols & 3 {
                case 0: break
                case 2:
                    out[o] = UInt8(truncatingIfNeeded: accumulator >> 4)
                    o += 1
                case 3:
                    out[o] = UInt8(truncatingIfNeeded: accumulator >> 10)
                    out[o + 1] = UInt8(truncatingIfNeeded: accumulator >> 2)
                    o += 2
                default:
                    failure = .badLength(symbols: symbols)
                    return
                }
                if padding > 0 && (symbols + padding) % 4 != 0 { failure = .badLength(symbols: symbols + padding) }
                count = o
            }
        } }
        if let failure { throw failure }
        return out
    }
}
