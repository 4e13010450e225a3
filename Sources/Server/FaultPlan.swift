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
        // What real EST servers do (EST-NOTES), each a fault the client must read exactly:
        /// 403, then the connection closed without a `Connection: close` field.
        case closeAfter4xx
        /// 401 without any WWW-Authenticate field.
        case unauthorizedNoChallenge
        /// 202 with Retry-After as an HTTP-date, not seconds.
        case acceptedUntilDate
        /// The base64 body ends with a NUL byte.
        case trailingNUL
        /// An obsolete `Content-Transfer-Encoding: base64` field (RFC 8951 3.2).
        case contentTransferEncoding
        /// The base64 body as one long line.
        case longLines
        /// The base64 body without its final newline.
        case noFinalNewline
        /// An enrollment labelled `application/pkcs7-mime` without `smime-type=certs-only`.
        case missingSMIMEType
        /// `201 Created` instead of 200.
        case created
        /// An extra CGI-style `Status: 200 OK` field.
        case statusField
        /// The body chunked instead of a Content-Length.
        case chunked
        /// No length: the body ends with the connection, closed after it.
        case closeDelimited
        /// A chunked body cut short by a bare FIN.
        case truncatedChunked
        /// The status line, fields and half the body, then the rest after `ms` (a Nagle-like stall).
        case splitWrite(ms: UInt64)

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
            case .closeAfter4xx: return "close-after-4xx"
            case .unauthorizedNoChallenge: return "401-no-challenge"
            case .acceptedUntilDate: return "retry-after-date"
            case .trailingNUL: return "trailing-nul"
            case .contentTransferEncoding: return "cte"
            case .longLines: return "long-lines"
            case .noFinalNewline: return "no-final-newline"
            case .missingSMIMEType: return "no-smime-type"
            case .created: return "201"
            case .statusField: return "extra-status-header"
            case .chunked: return "chunked"
            case .closeDelimited: return "close-delimited"
            case .truncatedChunked: return "truncated-chunked"
            case .splitWrite(let ms): return "split-write:\(ms)"
            }
        }

        public static let syntax = "202[:SECONDS], 401, 500, 503, delay:MS, close, reset, bad-base64, wrong-content-type, truncated-pkcs7, "
            + "wrong-key, close-after-4xx, 401-no-challenge, retry-after-date, trailing-nul, cte, long-lines, no-final-newline, "
            + "no-smime-type, 201, extra-status-header, chunked, close-delimited, truncated-chunked, split-write[:MS]"

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
            case "close-after-4xx": self = .closeAfter4xx
            case "401-no-challenge": self = .unauthorizedNoChallenge
            case "retry-after-date": self = .acceptedUntilDate
            case "trailing-nul": self = .trailingNUL
            case "cte": self = .contentTransferEncoding
            case "long-lines": self = .longLines
            case "no-final-newline": self = .noFinalNewline
            case "no-smime-type": self = .missingSMIMEType
            case "201": self = .created
            case "extra-status-header": self = .statusField
            case "chunked": self = .chunked
            case "close-delimited": self = .closeDelimited
            case "truncated-chunked": self = .truncatedChunked
            case "split-write":
                guard parts.count == 1 || parts.count == 2, let ms = parts.count == 2 ? UInt64(parts[1]) : 40, ms <= 60_000 else { return nil }
                self = .splitWrite(ms: ms)
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
