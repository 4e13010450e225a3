/// Escaping for text that goes into the HTML report: every string from result.json passes through
/// here (server-provided examples can hold markup), in element text and in attribute values alike.
public enum HTML {
    /// `text` with `& < > " '` replaced by character references.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters other than tab and newline are not allowed in HTML text.
            case "\u{0}" ... "\u{8}", "\u{B}", "\u{C}", "\u{E}" ... "\u{1F}", "\u{7F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
