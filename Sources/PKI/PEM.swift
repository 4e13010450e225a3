/// PEM armour (RFC 7468) around DER: `-----BEGIN <label>-----`, base64 at 64 columns, `-----END <label>-----`.
public enum PEM {
    public static func encode(_ der: some Collection<UInt8>, label: String) -> String {
        "-----BEGIN \(label)-----\n" + Base64.encodeString(der) + "-----END \(label)-----\n"
    }

    /// Every block with `label` in `text`, decoded, in order.
    public static func decodeAll(_ text: String, label: String) throws(Base64.DecodeError) -> [[UInt8]] {
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        var blocks: [[UInt8]] = []
        var rest = Substring(text)
        while let b = rest.firstRange(of: begin) {
            guard let e = rest[b.upperBound...].firstRange(of: end) else { break }
            blocks.append(try Base64.decode(Array(rest[b.upperBound..<e.lowerBound].utf8)))
            rest = rest[e.upperBound...]
        }
        return blocks
    }
}
