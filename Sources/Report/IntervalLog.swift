import Foundation
import Metrics

/// An HdrHistogram interval log (`<operation>.hlog`): one latency histogram per interval (here: per
/// second of the run), in the standard text format any HdrHistogram tool reads — `#[StartTime: …]`,
/// the CSV legend, then `StartTimestamp,Interval_Length,Interval_Max,<base64 compressed V2 histogram>`.
/// Values are microseconds; `Interval_Max` is printed in milliseconds (`maxValueUnitRatio` 1000).
public struct IntervalLog: Sendable, Equatable {
    /// One interval: when it started (seconds after `startTime`), how long it lasted, its histogram.
    public struct Interval: Sendable, Equatable {
        /// `Tag=` of the line, if any (estbench writes one operation per file, untagged).
        public var tag: String?
        public var startSeconds: Double
        public var lengthSeconds: Double
        /// The interval's latencies; `maxRecorded` comes from the line's Interval_Max when it lies in the last bucket.
        public var histogram: EncodedHistogram

        public init(tag: String? = nil, startSeconds: Double, lengthSeconds: Double, histogram: EncodedHistogram) {
            self.tag = tag
            self.startSeconds = startSeconds
            self.lengthSeconds = lengthSeconds
            self.histogram = histogram
        }
    }

    public static let formatVersion = "1.3"
    public static let legend = "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\""
    /// Recorded values (us) per Interval_Max unit (ms).
    public static let maxValueUnitRatio: Double = 1_000

    /// Seconds since the epoch at which the log starts; interval timestamps are relative to it.
    public var startTime: Double
    public var intervals: [Interval]

    public init(startTime: Double, intervals: [Interval]) {
        self.startTime = startTime
        self.intervals = intervals
    }

    /// The per-second histograms of one timeline series (`seconds`, ascending), each a 1 s interval.
    public init(startTime: Double, seconds: [TimelineSecond]) {
        self.init(startTime: startTime, intervals: seconds.map {
            Interval(startSeconds: Double($0.second), lengthSeconds: 1, histogram: $0.latency)
        })
    }

    /// The log as text, newline-terminated.
    public func text() throws(HistogramLogError) -> String {
        let start = Self.fixed3(startTime)
        var text = "#[Histogram log format version \(Self.formatVersion)]\n"
        text += "#[StartTime: \(start) (seconds since epoch), \(UTCTime.iso8601(Date(timeIntervalSince1970: startTime)))]\n"
        text += "#[BaseTime: \(start) (seconds since epoch)]\n"
        text += Self.legend + "\n"
        for interval in intervals {
            let encoded = Data(try HistogramV2Codec.encodeCompressed(interval.histogram)).base64EncodedString()
            let max = Double(interval.histogram.totalCount == 0 ? 0 : interval.histogram.maxRecorded) / Self.maxValueUnitRatio
            text += (interval.tag.map { "Tag=\($0)," } ?? "")
                + "\(Self.fixed3(interval.startSeconds)),\(Self.fixed3(interval.lengthSeconds)),\(Self.fixed3(max)),\(encoded)\n"
        }
        return text
    }

    /// Reads a log. Comment lines other than StartTime/BaseTime are skipped; timestamps are made relative
    /// to `startTime` when a BaseTime is given (absolute = BaseTime + timestamp).
    public init(parsing text: String) throws(HistogramLogError) {
        var startTime: Double?
        var baseTime: Double?
        var intervals: [Interval] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw[...]
            let number = offset + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                if let value = Self.headerNumber(line, "#[StartTime: ") { startTime = value }
                if let value = Self.headerNumber(line, "#[BaseTime: ") { baseTime = value }
                continue
            }
            if line.hasPrefix("\"StartTimestamp\"") || line.hasPrefix("StartTimestamp") { continue }
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var tag: String?
            if let first = fields.first, first.hasPrefix("Tag=") {
                tag = String(first.dropFirst(4))
                fields.removeFirst()
            }
            guard fields.count == 4, let start = Double(fields[0]), let length = Double(fields[1]), let max = Double(fields[2])
            else { throw .malformedLine(line: number, text: String(line)) }
            guard let data = Data(base64Encoded: fields[3]) else { throw .notBase64(line: number) }
            var histogram = try HistogramV2Codec.decode(Array(data))
            // Interval_Max is exact to 1 us at 3 decimals of ms: use it when it lies in the last bucket.
            let maxValue = UInt64(max * Self.maxValueUnitRatio + 0.5)
            if let last = histogram.values.last, maxValue >= last, maxValue <= histogram.maxRecorded { histogram.maxRecorded = maxValue }
            intervals.append(Interval(tag: tag, startSeconds: start, lengthSeconds: length, histogram: histogram))
        }
        let start = startTime ?? baseTime ?? 0
        if let baseTime, baseTime != start {
            for index in intervals.indices { intervals[index].startSeconds += baseTime - start }
        }
        self.init(startTime: start, intervals: intervals)
    }

    static func headerNumber(_ line: Substring, _ prefix: String) -> Double? {
        guard line.hasPrefix(prefix) else { return nil }
        return Double(line.dropFirst(prefix.count).prefix { $0 != " " && $0 != "]" })
    }

    /// "%.3f" without locale surprises.
    static func fixed3(_ value: Double) -> String {
        String(format: "%.3f", locale: Locale(identifier: "en_US_POSIX"), value)
    }
}
