import Foundation

/// One axis of a plot: maps a data value to a fraction (0…1) of the axis, and chooses its ticks.
public enum PlotScale: Sendable, Equatable {
    /// Values from `min` to `max`, evenly.
    case linear(min: Double, max: Double)
    /// Percentiles as fractions (0 ≤ p < 1) on HdrHistogram's "1/(1−p)" axis: the position is
    /// log10(1/(1−p)) / `nines`, so 0%, 90%, 99%, 99.9% … are evenly spaced; `nines` decades are shown.
    case percentile(nines: Int)

    /// A tick: where (data value) and what it says.
    public struct Tick: Sendable, Equatable {
        public var value: Double
        public var label: String
    }

    /// Fraction of the axis for `value`, clamped to 0…1.
    public func fraction(_ value: Double) -> Double {
        let raw: Double
        switch self {
        case let .linear(min, max):
            raw = max > min ? (value - min) / (max - min) : 0
        case let .percentile(nines):
            raw = value >= 1 ? 1 : log10(1 / (1 - Swift.max(value, 0))) / Double(Swift.max(nines, 1))
        }
        return raw.isFinite ? Swift.min(Swift.max(raw, 0), 1) : 1
    }

    /// Ticks: nice round numbers (at most `maxCount`) for a linear scale; 0%, 90%, 99% … for percentiles.
    public func ticks(maxCount: Int) -> [Tick] {
        switch self {
        case let .linear(min, max):
            let step = Self.niceStep(min: min, max: max, maxCount: maxCount)
            guard step > 0 else { return [Tick(value: min, label: Self.label(min, step: 1))] }
            var ticks: [Tick] = []
            var index = (min / step).rounded(.up)
            while index * step <= max + step * 1e-9 {
                ticks.append(Tick(value: index * step, label: Self.label(index * step, step: step)))
                index += 1
            }
            return ticks
        case let .percentile(nines):
            return (0 ... Swift.max(nines, 1)).map { k in
                Tick(value: 1 - pow(10, -Double(k)), label: Self.percentileLabel(nines: k))
            }
        }
    }

    /// "0%", "90%", "99%", "99.9%", "99.99%" … for 1 − 10^−k.
    public static func percentileLabel(nines k: Int) -> String {
        switch k {
        case 0: "0%"
        case 1: "90%"
        case 2: "99%"
        default: "99." + String(repeating: "9", count: k - 2) + "%"
        }
    }

    /// The 1-2-5 step giving at most `maxCount` ticks over min…max (0 when the range is empty).
    public static func niceStep(min: Double, max: Double, maxCount: Int) -> Double {
        let range = max - min
        guard range > 0, range.isFinite, maxCount >= 1 else { return 0 }
        let rough = range / Double(maxCount)
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        for multiple in [1.0, 2, 5, 10] where multiple * magnitude >= rough * (1 - 1e-9) {
            return multiple * magnitude
        }
        return 10 * magnitude
    }

    /// A linear domain from 0 (or `min` when negative) up to `max` rounded up to a nice step, so the
    /// highest tick closes the axis; empty data gets 0…1.
    public static func niceDomain(min: Double = 0, max: Double, maxCount: Int) -> PlotScale {
        let low = Swift.min(min, 0)
        guard max > low, max.isFinite else { return .linear(min: low, max: low + 1) }
        let step = niceStep(min: low, max: max, maxCount: maxCount)
        return .linear(min: low, max: (max / step).rounded(.up) * step)
    }

    /// Nines a percentile axis needs to show `p` (at least 3: 99.9%; at most 6).
    public static func nines(toShow p: Double) -> Int {
        guard p < 1 else { return 6 }
        let needed = Int(log10(1 / (1 - Swift.max(p, 0))).rounded(.up))
        return Swift.min(Swift.max(needed, 3), 6)
    }

    /// `value` with as many decimals as `step` needs ("0.25", "1200", "1.5").
    public static func label(_ value: Double, step: Double) -> String {
        let decimals = step >= 1 ? 0 : Swift.min(Int((-log10(step)).rounded(.up)), 6)
        var text = String(format: "%.\(decimals)f", locale: Locale(identifier: "en_US_POSIX"), value)
        if text.hasPrefix("-"), Double(text) == 0 { text.removeFirst() }
        return text
    }
}
