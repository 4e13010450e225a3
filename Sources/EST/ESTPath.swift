/// `/.well-known/est/[LABEL/]OPERATION` (RFC 7030 3.2.2), parsed and built.
public struct ESTPath: Sendable, Equatable {
    public static let prefix = "/.well-known/est/"

    public let label: String?
    public let operation: ESTOperation

    public init(label: String? = nil, operation: ESTOperation) {
        self.label = label
        self.operation = operation
    }

    /// The request target, e.g. `/.well-known/est/devices/simpleenroll`.
    public var target: String { Self.prefix + (label.map { $0 + "/" } ?? "") + operation.rawValue }

    /// Why a request target is not an EST path.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case notEST(String)
        case unknownOperation(String)
        case badLabel(String)

        public var description: String {
            switch self {
            case .notEST(let t): return "\(t) is not under \(ESTPath.prefix)"
            case .unknownOperation(let o): return "unknown EST operation \"\(o)\"; expected one of \(ESTOperation.allowedNames)"
            case .badLabel(let l): return "CA label \"\(l)\" has characters outside A-Z a-z 0-9 - _ ."
            }
        }
    }

    /// Parses a request target (a query string, if any, is ignored).
    public init(target: String) throws(ParseError) {
        var text = target
        // An ASCII target is read as bytes (the server parses one per request); any other goes
        // through Characters, whose grapheme and canonical-equivalence rules bytes do not follow.
        if let parsed = text.withUTF8({ $0.allSatisfy { $0 < 0x80 } ? Self.parseASCII($0) : nil }) {
            self = try parsed.get()
            return
        }
        try self.init(characters: target)
    }

    private static let prefixBytes = Array(prefix.utf8)

    /// The same rules as `init(characters:)`, on the bytes of an ASCII target.
    private static func parseASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<ESTPath, ParseError> {
        let path = UnsafeBufferPointer(rebasing: bytes[..<(bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.count)])
        func text(_ part: UnsafeBufferPointer<UInt8>.SubSequence) -> String { String(decoding: part, as: UTF8.self) }
        guard path.starts(with: prefixBytes) else { return .failure(.notEST(text(path[...]))) }
        let rest = path[prefixBytes.count...]
        var operationText = rest
        var label: String?
        if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
            operationText = rest[(slash + 1)...]
            guard !operationText.contains(UInt8(ascii: "/")) else { return .failure(.notEST(text(path[...]))) }
            let labelBytes = rest[..<slash]
            guard !labelBytes.isEmpty, labelBytes.allSatisfy(isLabelByte) else { return .failure(.badLabel(text(labelBytes))) }
            label = text(labelBytes)
        }
        guard let operation = ESTOperation.allCases.first(where: { $0.rawValue.utf8.elementsEqual(operationText) }) else {
            return .failure(.unknownOperation(text(operationText)))
        }
        return .success(ESTPath(label: label, operation: operation))
    }

    /// Parses any target by Characters.
    init(characters target: String) throws(ParseError) {
        var path = Substring(target)
        if let q = path.firstIndex(of: "?") { path = path[..<q] }
        guard path.hasPrefix(Self.prefix) else { throw .notEST(String(path)) }
        let parts = path.dropFirst(Self.prefix.count).split(separator: "/", omittingEmptySubsequences: false)
        let operationText: Substring
        var label: String?
        switch parts.count {
        case 1: operationText = parts[0]
        case 2:
            label = String(parts[0])
            operationText = parts[1]
        default: throw .notEST(String(path))
        }
        if let label {
            guard !label.isEmpty, label.utf8.allSatisfy(ESTPath.isLabelByte) else { throw .badLabel(label) }
        }
        guard let operation = ESTOperation(rawValue: String(operationText)) else {
            throw .unknownOperation(String(operationText))
        }
        self.init(label: label, operation: operation)
    }

    static func isLabelByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F || c == 0x2E
    }
}
