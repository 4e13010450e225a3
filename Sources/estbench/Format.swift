/// Number formatting for people: rates, durations, sizes (no Foundation number formatters).
enum Format {
    /// 1234567.8 → "1,234,568"
    static func grouped(_ value: Double) -> String {
        let n = Int(value.rounded())
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func rate(_ perSecond: Double) -> String { grouped(perSecond) }

    /// A number as given: "-5", "0.5" (no trailing ".0").
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = scaled / Int(scale)
        var fraction = String(scaled % Int(scale))
        while fraction.count < decimals { fraction = "0" + fraction }
        return (value < 0 && scaled != 0 ? "-" : "") + String(whole) + (decimals > 0 ? "." + fraction : "")
    }

    static func seconds(_ ns: UInt64) -> String { fixed(Double(ns) / 1e9, 2) + " s" }

    static func nanoseconds(_ ns: Double) -> String {
        ns >= 100_000 ? fixed(ns / 1000, 0) + " us" : ns >= 10_000 ? fixed(ns / 1000, 1) + " us" : fixed(ns, 0) + " ns"
    }

    static func bytes(_ n: Int) -> String {
        n >= 1 << 20 ? fixed(Double(n) / 1_048_576, 1) + " MiB" : n >= 1024 ? fixed(Double(n) / 1024, 1) + " KiB" : "\(n) B"
    }

    static func padded(_ s: String, _ width: Int, right: Bool = false) -> String {
        let pad = String(repeating: " ", count: max(0, width - s.count))
        return right ? pad + s : s + pad
    }
}
