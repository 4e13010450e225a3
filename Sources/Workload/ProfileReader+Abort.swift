/// The `abort` section: `off`, or a mapping `{errorRate: 0.9, windowSeconds: 5}` (the default
/// target-unusable rule stays on beside it).
extension ProfileReader {
    static let abortFields = ["errorRate", "windowSeconds"]

    mutating func abort(_ node: ProfileNode, at path: String) -> AbortPolicy {
        let expected = "expected off, or a mapping with fields \(Self.abortFields.joined(separator: ", "))"
        switch node {
        case .scalar(let text):
            if text == "off" || text == "false" { return .off }
            report(path, "unknown abort setting \"\(text)\"; \(expected)")
            return .standard
        case .null, .sequence:
            report(path, "\(expected), got \(node.kindDescription)")
            return .standard
        case .mapping:
            guard let fields = fields(node, at: path, allowed: Self.abortFields) else { return .standard }
            let ratePath = Self.join(path, "errorRate")
            let windowPath = Self.join(path, "windowSeconds")
            let window = int(fields["windowSeconds"], at: windowPath, atLeast: 1)
            if let window, window > AbortPolicy.maxWindowSeconds {
                report(windowPath, "\(window) is more than \(AbortPolicy.maxWindowSeconds); allowed: 1 to \(AbortPolicy.maxWindowSeconds) seconds")
            }
            guard let fraction = number(fields["errorRate"], at: ratePath, positive: true) else {
                if fields["errorRate"] == nil || fields["errorRate"] == .null {
                    report(ratePath, "required field missing; allowed: a fraction above 0 up to 1 (0.9 is 90%)")
                }
                return .standard
            }
            if fraction > 1 {
                report(ratePath, "\(format(fraction)) is not a fraction; allowed: above 0 up to 1 (0.9 is 90%)")
                return .standard
            }
            return AbortPolicy(errorRate: .init(fraction: fraction, windowSeconds: min(window ?? AbortPolicy.defaultWindowSeconds,
                                                                                       AbortPolicy.maxWindowSeconds)))
        }
    }
}
