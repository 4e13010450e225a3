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
