extension Outcome {
    /// The outcome's class without its detail (the TLS alert, the validation failure's kind): a
    /// small fixed set, for live counters and metric labels.
    public static let classLabels = ["2xx", "202", "401", "4xx", "5xx", "connect_error", "tls_error", "timeout", "validation_failure", "protocol_deviation"]

    /// Index into `classLabels`.
    public var classIndex: Int {
        switch self {
        case .success2xx: 0
        case .accepted202: 1
        case .unauthorized401: 2
        case .otherClientError4xx: 3
        case .serverError5xx: 4
        case .connectError: 5
        case .tlsError: 6
        case .timeout: 7
        case .validationFailure: 8
        case .protocolDeviation: 9
        }
    }
}
