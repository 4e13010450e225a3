/// A `multipart/mixed` body (RFC 2046 5.1) split into its parts: what `serverkeygen` answers with
/// (RFC 7030 4.4.2: the key part, then the certificate part). Lenient about LF versus CRLF line
/// ends and about a preamble or epilogue; strict about the delimiters.
public struct MultipartBody: Sendable {
    /// One part: its header fields (names lower-cased) and its body.
    public struct Part: Sendable {
        public let fields: [(name: String, value: String)]
        public let body: [UInt8]

        /// The first value of `name` (case-insensitive).
        public func field(_ name: String) -> String? {
            let lower = name.lowercased()
            return fields.first { $0.name == lower }?.value
        }
    }

    /// Why a body is not a multipart message.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case noBoundary(contentType: String)
        case noDelimiter(boundary: String)
        case unterminated(boundary: String)
        case badPartHeader(part: Int, line: String)

        public var description: String {
            switch self {
            case .noBoundary(let t): return "Content-Type \(t) has no boundary parameter"
            case .noDelimiter(let b): return "no \"--\(b)\" delimiter line in the body"
            case .unterminated(let b): return "no closing \"--\(b)--\" delimiter"
            case .badPartHeader(let i, let l): return "part \(i): header line \"\(l)\" has no colon"
            }
        }
    }

    public let parts: [Part]

    /// The `boundary` parameter of a multipart Content-Type (quoted or not), nil when absent.
    public static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingSpaces.lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingSpaces
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// Splits `body` at the lines `--boundary`, up to the line `--boundary--`.
    public init(body: some Collection<UInt8>, contentType: String) throws(ParseError) {
        guard let boundary = MultipartBody.boundary(in: contentType) else { throw .noBoundary(contentType: contentType) }
        let bytes = Array(body)
        let delimiter = Array(("--" + boundary).utf8)
        // Offsets of the lines that start with the delimiter, and whether each is the closing one.
        var lines: [(start: Int, contentStart: Int, closing: Bool)] = []
        var lineStart = 0
        while lineStart < bytes.count {
            var end = lineStart
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            if end - lineStart >= delimiter.count && bytes[lineStart..<(lineStart + delimiter.count)].elementsEqual(delimiter) {
                let rest = bytes[(lineStart + delimiter.count)..<end]
                let closing = rest.starts(with: [0x2D, 0x2D])
                lines.append((lineStart, min(end + 1, bytes.count), closing))
                if closing { break }
            }
            lineStart = end + 1
        }
        guard !lines.isEmpty else { throw .noDelimiter(boundary: boundary) }
        guard lines.last?.closing == true else { throw .unterminated(boundary: boundary) }
        var parts: [Part] = []
        for i in 0..<(lines.count - 1) {
            // The line break before the next delimiter belongs to the delimiter (RFC 2046).
            var end = lines[i + 1].start
            if end > 0 && bytes[end - 1] == 0x0A { end -= 1 }
            if end > 0 && bytes[end - 1] == 0x0D { end -= 1 }
            parts.append(try MultipartBody.part(bytes[lines[i].contentStart..<max(lines[i].contentStart, end)], index: i))
        }
        self.parts = parts
    }

    /// Header lines up to the first empty line, then the body.
    private static func part(_ bytes: ArraySlice<UInt8>, index: Int) throws(ParseError) -> Part {
        var fields: [(name: String, value: String)] = []
        var cursor = bytes.startIndex
        while cursor < bytes.endIndex {
            var end = cursor
            while end < bytes.endIndex && bytes[end] != 0x0A { end += 1 }
            var line = bytes[cursor..<end]
            if line.last == 0x0D { line = line.dropLast() }
            cursor = min(end + 1, bytes.endIndex)
            if line.isEmpty { return Part(fields: fields, body: Array(bytes[cursor...])) }
            guard let colon = line.firstIndex(of: 0x3A) else {
                throw .badPartHeader(part: index, line: String(decoding: line.prefix(80), as: UTF8.self))
            }
            fields.append((String(decoding: line[..<colon], as: UTF8.self).trimmingSpaces.lowercased(),
                           String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces))
        }
        // No empty line: headers only, an empty body.
        return Part(fields: fields, body: [])
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
