/// Why an HdrHistogram interval log (.hlog) or one of its encoded histograms could not be read or written.
public enum HistogramLogError: Error, Sendable, Equatable {
    /// Line `line` (1-based) is not a comment, the legend or an interval line.
    case malformedLine(line: Int, text: String)
    /// The histogram field of line `line` is not base64.
    case notBase64(line: Int)
    /// The encoding starts with `cookie`, not a (compressed) V2 cookie.
    case unknownCookie(UInt32)
    /// The encoding ends before the length it states.
    case truncated
    /// The encoded layout (lowest, highest, digits) is not a valid HdrHistogram layout.
    case badLayout(lowest: UInt64, highest: UInt64, digits: Int)
    /// Counts run past the layout's last index, or a count is negative where a count is needed.
    case badCounts
    /// A normalizing index offset (shifted histograms) — never written by HdrHistogram's loggers.
    case unsupportedIndexOffset(Int32)
    /// zlib failed: `operation` ("compress2", "uncompress") returned `code`.
    case zlib(operation: String, code: Int32)
}

extension HistogramLogError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .malformedLine(line, text): "line \(line): not an interval log line: \(text.prefix(80))"
        case let .notBase64(line): "line \(line): histogram is not base64"
        case let .unknownCookie(cookie): "histogram encoding cookie 0x\(String(cookie, radix: 16)) is not HdrHistogram V2"
        case .truncated: "histogram encoding is truncated"
        case let .badLayout(lowest, highest, digits): "histogram layout lowest \(lowest), highest \(highest), \(digits) digits is invalid"
        case .badCounts: "histogram counts run past the layout"
        case let .unsupportedIndexOffset(offset): "histogram normalizing index offset \(offset) is not supported"
        case let .zlib(operation, code): "zlib \(operation) failed (\(code))"
        }
    }
}
