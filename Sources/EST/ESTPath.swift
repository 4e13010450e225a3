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
