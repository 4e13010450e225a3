import Foundation
@testable import Report

/// Just enough of a PNG decoder to tell a blank screenshot from a real one: 8-bit RGB/RGBA, all filters.
struct PNGImage {
    let width: Int
    let height: Int
    /// Pixels as 0xRRGGBB.
    let pixels: [UInt32]

    enum Failure: Error { case notPNG, unsupported(String), corrupt(String) }

    init(data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count > 8, bytes[0 ..< 8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw Failure.notPNG }
        var position = 8
        var width = 0, height = 0, channels = 0
        var idat: [UInt8] = []
        func be32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        while position + 8 <= bytes.count {
            let length = be32(position)
            let type = String(decoding: bytes[position + 4 ..< position + 8], as: UTF8.self)
            let body = position + 8
            guard body + length <= bytes.count else { throw Failure.corrupt("chunk \(type) runs past the end") }
            switch type {
            case "IHDR":
                width = be32(body)
                height = be32(body + 4)
                guard bytes[body + 8] == 8, bytes[body + 12] == 0 else { throw Failure.unsupported("bit depth or interlace") }
                switch bytes[body + 9] {
                case 2: channels = 3
                case 6: channels = 4
                default: throw Failure.unsupported("colour type \(bytes[body + 9])")
                }
            case "IDAT": idat += bytes[body ..< body + length]
            default: break
            }
            position = body + length + 4
        }
        let raw = try HistogramV2Codec.inflate(idat)
        let stride = width * channels
        guard raw.count >= height * (stride + 1) else { throw Failure.corrupt("image data too short") }
        var previous = [UInt8](repeating: 0, count: stride)
        var pixels: [UInt32] = []
        pixels.reserveCapacity(width * height)
        for row in 0 ..< height {
            let start = row * (stride + 1)
            let filter = raw[start]
            var line = Array(raw[start + 1 ..< start + 1 + stride])
            for i in 0 ..< stride {
                let a = i >= channels ? Int(line[i - channels]) : 0
                let b = Int(previous[i])
                let c = i >= channels ? Int(previous[i - channels]) : 0
                let add: Int
                switch filter {
                case 0: add = 0
                case 1: add = a
                case 2: add = b
                case 3: add = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    add = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw Failure.corrupt("filter \(filter)")
                }
                line[i] = UInt8(truncatingIfNeeded: Int(line[i]) + add)
            }
            for x in 0 ..< width {
                let p = x * channels
                pixels.append(UInt32(line[p]) << 16 | UInt32(line[p + 1]) << 8 | UInt32(line[p + 2]))
            }
            previous = line
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    var distinctColours: Int { Set(pixels).count }

    /// Fraction of pixels that are not (near) white.
    var inkedFraction: Double {
        let inked = pixels.filter { ($0 >> 16) & 0xFF < 240 || ($0 >> 8) & 0xFF < 240 || $0 & 0xFF < 240 }.count
        return Double(inked) / Double(max(pixels.count, 1))
    }
}
