/// A field path as overrides and issues spell it — `load.open.rate`, `lifecycle[0].repeat` —
/// parsed into key and index segments.
public struct ProfilePath: Sendable, Equatable, CustomStringConvertible {
    /// One step of a path.
    public enum Segment: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    public var segments: [Segment]

    public init(_ segments: [Segment]) { self.segments = segments }

    /// Parses `a.b[2].c`; keys are letters, digits, `_` and `-`.
    public init(parsing text: String) throws(ProfileIssue) {
        var segments: [Segment] = []
        var chars = Array(text)[...]
        let malformed = ProfileIssue(
            path: text.isEmpty ? "profile" : text,
            message: "malformed path; expected keys separated by '.' with optional [index], e.g. lifecycle[0].repeat")
        while !chars.isEmpty {
            var key = ""
            while let c = chars.first, c.isLetter || c.isNumber || c == "_" || c == "-" {
                key.append(c)
                chars.removeFirst()
            }
            guard !key.isEmpty else { throw malformed }
            segments.append(.key(key))
            while chars.first == "[" {
                chars.removeFirst()
                var digits = ""
                while let c = chars.first, c.isASCII, c.isNumber {
                    digits.append(c)
                    chars.removeFirst()
                }
                guard chars.first == "]", let index = Int(digits) else { throw malformed }
                chars.removeFirst()
                segments.append(.index(index))
            }
            if chars.first == "." {
                chars.removeFirst()
                guard !chars.isEmpty else { throw malformed }
            } else if !chars.isEmpty {
                throw malformed
            }
        }
        guard !segments.isEmpty else { throw malformed }
        self.segments = segments
    }

    public var description: String { Self.render(segments[...]) }

    static func render(_ segments: ArraySlice<Segment>) -> String {
        var text = ""
        for segment in segments {
            switch segment {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text.isEmpty ? "profile" : text
    }
}
