import COpenSSL
import DER

/// Certificate serial numbers unique within an issuer and, with overwhelming probability, across
/// issuers: 8 bytes from `RAND_bytes` drawn once, then an 8-byte counter. The first octet is kept in
/// 0x40...0x7F, so every serial is 16 octets, positive and minimally encoded (RFC 5280: at most 20).
struct SerialNumberGenerator {
    static let octets = 16
    private let prefix: UInt64
    private var counter: UInt64 = 0

    init() throws(PKIError) {
        var random: UInt64 = 0
        try sslCheck(withUnsafeMutableBytes(of: &random) { RAND_bytes($0.baseAddress!.assumingMemoryBound(to: UInt8.self), 8) },
                     "RAND_bytes")
        prefix = (random & 0x3FFF_FFFF_FFFF_FFFF) | 0x4000_0000_0000_0000
    }

    /// Appends the next serial as a complete INTEGER.
    mutating func append(to w: inout DERWriter) {
        w.writeHeader(.integer, contentLength: SerialNumberGenerator.octets)
        var shift = 56
        while shift >= 0 { w.appendContent(UInt8(truncatingIfNeeded: prefix >> UInt64(shift))); shift -= 8 }
        shift = 56
        while shift >= 0 { w.appendContent(UInt8(truncatingIfNeeded: counter >> UInt64(shift))); shift -= 8 }
        counter &+= 1
    }
}
