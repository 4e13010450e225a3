import PKI

/// The base64 body codec of EST (RFC 7030 4, RFC 8951 3): sent conservatively — 64 columns, LF,
/// a final newline (some servers reject a single unterminated line) — and received leniently —
/// any wrapping, CR or not, stray trailing NUL bytes seen from real servers and clients dropped.
public enum ESTBody {
    /// The body for `der`: 64-column lines, each ending with LF.
    public static func encode(_ der: some Collection<UInt8>) -> [UInt8] { Base64.encode(der, lineLength: 64) }

    /// The DER inside a received body. A NUL anywhere but at the end is still an error.
    public static func decode(_ body: some Collection<UInt8>) throws(Base64.DecodeError) -> [UInt8] {
        if let result = body.withContiguousStorageIfAvailable({ (b: UnsafeBufferPointer<UInt8>) -> Result<[UInt8], Base64.DecodeError> in
            var n = b.count
            while n > 0 && b[n - 1] == 0 { n -= 1 }
            return Result { () throws(Base64.DecodeError) -> [UInt8] in try Base64.decode(UnsafeBufferPointer(rebasing: b[0..<n])) }
        }) { return try result.get() }
        return try decode(Array(body))
    }
}

extension CertsOnly {
    /// Parses an EST body holding a certs-only PKCS#7: decoded once (leniently), then read in place.
    public static func decoding(estBody body: some Collection<UInt8>) throws(ParseError) -> (der: [UInt8], message: CertsOnly) {
        let der: [UInt8]
        do { der = try ESTBody.decode(body) } catch { throw .base64(error) }
        return (der, try CertsOnly(der: der))
    }
}
