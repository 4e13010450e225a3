/// Alphabet checks for the restricted ASN.1 string types.
public enum DERString {
    /// PrintableString: A-Z a-z 0-9 space ' ( ) + , - . / : = ?
    public static func isPrintable(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { c in
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
                || c == 0x20 || c == 0x27 || c == 0x28 || c == 0x29 || c == 0x2B || c == 0x2C
                || c == 0x2D || c == 0x2E || c == 0x2F || c == 0x3A || c == 0x3D || c == 0x3F
        }
    }

    public static func isPrintable(_ text: String) -> Bool { isPrintable(text.utf8) }

    /// IA5String: 7-bit ASCII.
    public static func isIA5(_ bytes: some Sequence<UInt8>) -> Bool { bytes.allSatisfy { $0 < 0x80 } }
    public static func isIA5(_ text: String) -> Bool { isIA5(text.utf8) }
}
