import CZlib
import Metrics

/// HdrHistogram's V2 histogram encoding, the one inside every .hlog line: a 40-byte big-endian header
/// (cookie, payload length, normalizing index offset, significant digits, lowest, highest, conversion
/// ratio) then the counts array as ZigZag LEB128 longs, a run of n > 1 empty buckets written as −n.
/// The compressed form is cookie, length, then the zlib (deflate) stream of the plain form.
enum HistogramV2Codec {
    static let cookie: UInt32 = 0x1C84_9313
    static let compressedCookie: UInt32 = 0x1C84_9314
    /// Cookies with the word-size nibble (0xf0) masked out, as HdrHistogram's readers compare them.
    static let cookieBase: UInt32 = 0x1C84_9303
    static let compressedCookieBase: UInt32 = 0x1C84_9304
    static let headerLength = 40
    /// Decompressed encodings larger than this are refused (a 60 s, 3-digit layout needs under 40 KiB).
    static let maxDecompressedLength = 64 << 20

    /// The plain V2 encoding of `histogram` (any valid layout).
    static func encode(_ histogram: EncodedHistogram) throws(HistogramLogError) -> [UInt8] {
        let layout = try layout(histogram.lowestDiscernibleValue, histogram.highestTrackableValue, histogram.significantDigits)
        var payload: [UInt8] = []
        var previousIndex = -1
        for (value, count) in zip(histogram.values, histogram.counts) where count != 0 {
            let index = layout.index(of: value)
            guard index > previousIndex, index < layout.countsLength else { throw .badCounts }
            let zeros = index - previousIndex - 1
            if zeros == 1 { putZigZag(0, into: &payload) } else if zeros > 1 { putZigZag(-Int64(zeros), into: &payload) }
            putZigZag(Int64(clamping: count), into: &payload)
            previousIndex = index
        }
        // An empty histogram still encodes bucket 0, as HdrHistogram does (counts up to the index of max 0).
        if previousIndex < 0 { putZigZag(0, into: &payload) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headerLength + payload.count)
        putUInt32(cookie, into: &bytes)
        putUInt32(UInt32(payload.count), into: &bytes)
        putUInt32(0, into: &bytes)
        putUInt32(UInt32(histogram.significantDigits), into: &bytes)
        putUInt64(histogram.lowestDiscernibleValue, into: &bytes)
        putUInt64(histogram.highestTrackableValue, into: &bytes)
        putUInt64(Double(1).bitPattern, into: &bytes)
        return bytes + payload
    }

    /// The compressed V2 encoding (what .hlog lines hold, before base64).
    static func encodeCompressed(_ histogram: EncodedHistogram) throws(HistogramLogError) -> [UInt8] {
        let plain = try encode(histogram)
        var deflated = [UInt8](repeating: 0, count: Int(compressBound(uLong(plain.count))))
        var length = uLongf(deflated.count)
        let rc = deflated.withUnsafeMutableBufferPointer { out in
            plain.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &length, input.baseAddress, uLong(input.count), Z_DEFAULT_COMPRESSION)
            }
        }
        guard rc == Z_OK else { throw .zlib(operation: "compress2", code: rc) }
        var bytes: [UInt8] = []
        putUInt32(compressedCookie, into: &bytes)
        putUInt32(UInt32(length), into: &bytes)
        return bytes + deflated.prefix(Int(length))
    }

    /// Reads a compressed or plain V2 encoding. Values are each bucket's lowest value; `minNonZero` is the
    /// first bucket's lowest value and `maxRecorded` the last bucket's highest (the encoding holds no exact extremes).
    static func decode(_ bytes: [UInt8]) throws(HistogramLogError) -> EncodedHistogram {
        var reader = ByteReader(bytes: bytes)
        let first = try reader.uint32()
        switch first & ~0xF0 {
        case compressedCookieBase:
            let length = Int(try reader.uint32())
            guard length <= bytes.count - 8 else { throw .truncated }
            var inner = ByteReader(bytes: try inflate(Array(bytes[8 ..< 8 + length])))
            let innerCookie = try inner.uint32()
            guard innerCookie & ~0xF0 == cookieBase else { throw .unknownCookie(innerCookie) }
            return try decodePlain(&inner)
        case cookieBase:
            return try decodePlain(&reader)
        default:
            throw .unknownCookie(first)
        }
    }

    static func decodePlain(_ reader: inout ByteReader) throws(HistogramLogError) -> EncodedHistogram {
        let payloadLength = Int(try reader.uint32())
        let offset = Int32(bitPattern: try reader.uint32())
        let digits = Int(try reader.uint32())
        let lowest = try reader.uint64()
        let highest = try reader.uint64()
        _ = try reader.uint64() // integer-to-double conversion ratio: only for double histograms
        guard offset == 0 else { throw .unsupportedIndexOffset(offset) }
        let layout = try layout(lowest, highest, digits)
        guard payloadLength <= reader.remaining else { throw .truncated }
        let end = reader.position + payloadLength
        var values: [UInt64] = []
        var counts: [UInt64] = []
        var index = 0
        while reader.position < end {
            let count = try reader.zigZag()
            if count < 0 {
                guard count > -Int64(layout.countsLength) else { throw .badCounts }
                index += Int(-count)
                continue
            }
            guard index < layout.countsLength else { throw .badCounts }
            if count > 0 {
                values.append(layout.value(at: index))
                counts.append(UInt64(count))
            }
            index += 1
        }
        return EncodedHistogram(
            lowestDiscernibleValue: lowest, highestTrackableValue: highest, significantDigits: digits,
            minNonZero: values.first ?? 0, maxRecorded: values.last.map { layout.highestValue(at: layout.index(of: $0)) } ?? 0,
            values: values, counts: counts
        )
    }

    static func layout(_ lowest: UInt64, _ highest: UInt64, _ digits: Int) throws(HistogramLogError) -> HistogramLayout {
        guard let layout = HistogramLayout(lowestDiscernibleValue: lowest, highestTrackableValue: highest, significantDigits: digits)
        else { throw .badLayout(lowest: lowest, highest: highest, digits: digits) }
        return layout
    }

    /// zlib-inflates `deflated`, growing the output until it fits (up to `maxDecompressedLength`).
    static func inflate(_ deflated: [UInt8]) throws(HistogramLogError) -> [UInt8] {
        var capacity = max(4 * deflated.count, 1024)
        while true {
            var out = [UInt8](repeating: 0, count: capacity)
            var length = uLongf(capacity)
            let rc = out.withUnsafeMutableBufferPointer { output in
                deflated.withUnsafeBufferPointer { input in
                    uncompress(output.baseAddress, &length, input.baseAddress, uLong(input.count))
                }
            }
            if rc == Z_OK { return Array(out.prefix(Int(length))) }
            guard rc == Z_BUF_ERROR, capacity < maxDecompressedLength else { throw .zlib(operation: "uncompress", code: rc) }
            capacity *= 4
        }
    }

    /// HdrHistogram's ZigZag LEB128: 7 bits per byte for up to 8 bytes, a 9th byte carrying 8.
    static func putZigZag(_ value: Int64, into bytes: inout [UInt8]) {
        var rest = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        for _ in 0 ..< 8 {
            if rest >> 7 == 0 {
                bytes.append(UInt8(rest))
                return
            }
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: rest))
    }

    static func putUInt32(_ value: UInt32, into bytes: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    static func putUInt64(_ value: UInt64, into bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}

/// A cursor over big-endian bytes that throws `.truncated` instead of reading past the end.
struct ByteReader {
    let bytes: [UInt8]
    var position = 0

    var remaining: Int { bytes.count - position }

    mutating func byte() throws(HistogramLogError) -> UInt8 {
        guard position < bytes.count else { throw .truncated }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint32() throws(HistogramLogError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0 ..< 4 { value = value << 8 | UInt32(try byte()) }
        return value
    }

    mutating func uint64() throws(HistogramLogError) -> UInt64 {
        var value: UInt64 = 0
        for _ in 0 ..< 8 { value = value << 8 | UInt64(try byte()) }
        return value
    }

    mutating func zigZag() throws(HistogramLogError) -> Int64 {
        var raw: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 56 {
            let next = try byte()
            raw |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return Self.unZigZag(raw) }
            shift += 7
        }
        raw |= UInt64(try byte()) << 56
        return Self.unZigZag(raw)
    }

    static func unZigZag(_ raw: UInt64) -> Int64 {
        Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }
}
