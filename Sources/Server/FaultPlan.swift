import EST

/// Faults the server injects to test clients: per operation, each with the fraction of requests
/// it hits (seeded, so a run can be repeated). Off unless configured.
public struct FaultPlan: Sendable, Equatable {
    /// One way to misbehave.
    public enum Fault: Sendable, Hashable, CustomStringConvertible {
        case accepted(retryAfterSeconds: Int)
        case unauthorized
        case internalError
        case unavailable
        case delay(ms: UInt64)
        case closeMidResponse
        case reset
        case malformedBase64
        case wrongContentType
        case truncatedPKCS7
        case wrongKeyCertificate

        public var description: String {
            switch self {
            case .accepted(let s): return "202:\(s)"
            case .unauthorized: return "401"
            case .internalError: return "500"
            case .unavailable: return "503"
            case .delay(let ms): return "delay:\(ms)"
            case .closeMidResponse: return "close"
            case .reset: return "reset"
            case .malformedBase64: return "bad-base64"
            case .wrongContentType: return "wrong-content-type"
            case .truncatedPKCS7: return "truncated-pkcs7"
            case .wrongKeyCertificate: return "wrong-key"
            }
        }

        public static let syntax = "202[:SECONDS], 401, 500, 503, delay:MS, close, reset, bad-base64, wrong-content-type, truncated-pkcs7, wrong-key"

        public init?(text: String) {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard let head = parts.first else { return nil }
            switch head {
            case "202": self = .accepted(retryAfterSeconds: parts.count == 2 ? Int(parts[1]) ?? -1 : 1)
            case "401": self = .unauthorized
            case "500": self = .internalError
            case "503": self = .unavailable
            case "delay":
                guard parts.count == 2, let ms = UInt64(parts[1]), ms <= 600_000 else { return nil }
                self = .delay(ms: ms)
            case "close": self = .closeMidResponse
            case "reset": self = .reset
            case "bad-base64": self = .malformedBase64
            case "wrong-content-type": self = .wrongContentType
            case "truncated-pkcs7": self = .truncatedPKCS7
            case "wrong-key": self = .wrongKeyCertificate
            default: return nil
            }
            if case .accepted(let s) = self, s < 0 { return nil }
        }
    }

    public struct Entry: Sendable, Equatable {
        public var operation: ESTOperation
        public var fault: Fault
        public var fraction: Double
    }

    public var entries: [Entry] = []
    public var seed: UInt64 = 1

    public init() {}

    /// Parses `OPERATION:FAULT=FRACTION`, e.g. `simpleenroll:503=0.1`, `cacerts:delay:200=1`.
    public mutating func add(_ spec: String) throws(ServerError) {
        guard let eq = spec.lastIndex(of: "=") else {
            throw .configuration("fault \"\(spec)\": expected OPERATION:FAULT=FRACTION, faults: \(Fault.syntax)")
        }
        let left = spec[..<eq]
        guard let fraction = Double(spec[spec.index(after: eq)...]), fraction >= 0, fraction <= 1 else {
            throw .configuration("fault \"\(spec)\": the fraction must be a number from 0 to 1")
        }
        guard let colon = left.firstIndex(of: ":"), let operation = ESTOperation(rawValue: String(left[..<colon])) else {
            throw .configuration("fault \"\(spec)\": unknown operation; expected one of \(ESTOperation.allowedNames)")
        }
        guard let fault = Fault(text: String(left[left.index(after: colon)...])) else {
            throw .configuration("fault \"\(spec)\": unknown fault; expected one of \(Fault.syntax)")
        }
        let total = entries.filter { $0.operation == operation }.map(\.fraction).reduce(fraction, +)
        guard total <= 1.0000001 else {
            throw .configuration("faults for \(operation) add up to \(total), more than 1")
        }
        entries.append(Entry(operation: operation, fault: fault, fraction: fraction))
    }

    /// The fault for this request, if the draw `r` in [0, 1) lands in one.
    func fault(for operation: ESTOperation, draw r: Double) -> Fault? {
        var cumulative = 0.0
        for e in entries where e.operation == operation {
            cumulative += e.fraction
            if r < cumulative { return e.fault }
        }
        return nil
    }
}
