/// A Retry-After value (RFC 9110 §10.2.3) as EST `202 Accepted` responses carry it: a delay in
/// seconds, or an HTTP-date kept as its text (estbench schedules by delay; a date is reported).
public enum HTTPRetryAfter: Sendable, Equatable {
    case seconds(Int)
    case httpDate(String)

    /// Reads a field value: all digits is delay-seconds; anything else is kept as text.
    init(_ value: ArraySlice<UInt8>) {
        var seconds = 0
        var digits = 0
        for b in value {
            guard let d = HTTPSyntax.decimalValue(b), digits < 18 else {
                self = .httpDate(String(decoding: value, as: UTF8.self))
                return
            }
            seconds = seconds * 10 + d
            digits += 1
        }
        self = digits == 0 ? .httpDate("") : .seconds(seconds)
    }
}
