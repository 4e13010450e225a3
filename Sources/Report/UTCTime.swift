import Foundation

/// The two spellings of a run's wall-clock start: ISO-8601 for result.json, compact for the folder name.
public enum UTCTime {
    /// "2026-11-30T14:32:42Z" (whole seconds, UTC).
    public static func iso8601(_ date: Date) -> String {
        let c = fields(date)
        return "\(c.year)-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
    }

    /// "20261130-143242" (UTC), the prefix of a results folder.
    public static func folderStamp(_ date: Date) -> String {
        let c = fields(date)
        return "\(c.year)\(pad(c.month))\(pad(c.day))-\(pad(c.hour))\(pad(c.minute))\(pad(c.second))"
    }

    /// The date of an `iso8601(_:)` string ("2026-11-30T14:32:42Z"); nil when it is not one.
    public static func date(iso8601 text: String) -> Date? {
        let parts = text.split { "-T:Z".contains($0) }.map { Int($0) }
        guard parts.count == 6, text.hasSuffix("Z"), parts.allSatisfy({ $0 != nil }) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let c = DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5])
        return calendar.date(from: c)
    }

    static func fields(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return (c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
