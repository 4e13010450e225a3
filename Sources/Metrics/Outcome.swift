/// How one operation ended: the error taxonomy. Every operation lands in exactly one case.
/// `key` is the stable string used in result.json counters.
public enum Outcome: Sendable, Hashable {
    case success2xx
    case accepted202
    case unauthorized401
    case otherClientError4xx
    case serverError5xx
    case connectError
    /// TLS failed; `alert` is the alert name (e.g. "handshake_failure") or "handshake" when no alert was seen.
    case tlsError(alert: String)
    case timeout
    case validationFailure(ValidationFailureKind)
    case protocolDeviation

    /// Stable JSON key, e.g. "2xx", "tls_error:bad_certificate", "validation_failure:pkcs7".
    public var key: String {
        switch self {
        case .success2xx: "2xx"
        case .accepted202: "202"
        case .unauthorized401: "401"
        case .otherClientError4xx: "4xx"
        case .serverError5xx: "5xx"
        case .connectError: "connect_error"
        case let .tlsError(alert): "tls_error:" + alert
        case .timeout: "timeout"
        case let .validationFailure(kind): "validation_failure:" + kind.rawValue
        case .protocolDeviation: "protocol_deviation"
        }
    }

    /// Parses a key written by `key`; nil for an unknown key.
    public init?(key: String) {
        switch key {
        case "2xx": self = .success2xx
        case "202": self = .accepted202
        case "401": self = .unauthorized401
        case "4xx": self = .otherClientError4xx
        case "5xx": self = .serverError5xx
        case "connect_error": self = .connectError
        case "timeout": self = .timeout
        case "protocol_deviation": self = .protocolDeviation
        default:
            if key.hasPrefix("tls_error:") {
                self = .tlsError(alert: String(key.dropFirst("tls_error:".count)))
            } else if key.hasPrefix("validation_failure:"),
                      let kind = ValidationFailureKind(rawValue: String(key.dropFirst("validation_failure:".count))) {
                self = .validationFailure(kind)
            } else {
                return nil
            }
        }
    }

    /// 2xx and 202 are successes; everything else counts as an error in summaries and the timeline.
    @inlinable
    public var isError: Bool {
        switch self {
        case .success2xx, .accepted202: false
        default: true
        }
    }

    /// A full HTTP response arrived, so first-byte/complete/total latencies are meaningful.
    @inlinable
    public var receivedResponse: Bool {
        switch self {
        case .connectError, .tlsError, .timeout: false
        default: true
        }
    }

    /// Index into the fixed counter array for outcomes without a payload; nil for tlsError / validationFailure.
    @inlinable
    var fixedIndex: Int? {
        switch self {
        case .success2xx: 0
        case .accepted202: 1
        case .unauthorized401: 2
        case .otherClientError4xx: 3
        case .serverError5xx: 4
        case .connectError: 5
        case .timeout: 6
        case .protocolDeviation: 7
        case .tlsError: nil
        case let .validationFailure(kind):
            switch kind {
            case .mediaType: 8
            case .base64: 9
            case .pkcs7: 10
            case .keyMismatch: 11
            case .subjectMismatch: 12
            case .other: 13
            case .csrattrs: 14
            case .serverKey: 15
            case .cmc: 16
            case .chain: 17
            case .validity: 18
            }
        }
    }

    /// Outcomes addressed by `fixedIndex`, in index order.
    static let fixed: [Outcome] = [
        .success2xx, .accepted202, .unauthorized401, .otherClientError4xx, .serverError5xx,
        .connectError, .timeout, .protocolDeviation,
    ] + ValidationFailureKind.allCases.map { .validationFailure($0) }
}
