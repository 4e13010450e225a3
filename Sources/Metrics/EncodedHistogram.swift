import Histogram

/// A latency histogram in result.json: its layout plus the non-zero buckets as parallel arrays.
/// Exact: `histogram()` rebuilds a histogram equal (bucket for bucket, min and max included) to the one encoded.
public struct EncodedHistogram: Codable, Sendable, Equatable {
    /// Unit of `values`, `minUs`, `maxUs`: always "us".
    public var unit: String
    public var lowestDiscernibleValue: UInt64
    public var highestTrackableValue: UInt64
    public var significantDigits: Int
    public var totalCount: UInt64
    /// Exact smallest non-zero value recorded (0 when empty).
    public var minNonZero: UInt64
    /// Exact largest value recorded.
    public var maxRecorded: UInt64
    /// Lowest equivalent value of each non-zero bucket, ascending.
    public var values: [UInt64]
    /// Count of each bucket in `values`.
    public var counts: [UInt64]

    /// Encodes `histogram` (must use the `LatencyScale` layout to be decodable).
    public init(_ histogram: Histogram<UInt64>) {
        unit = "us"
        lowestDiscernibleValue = histogram.lowestDiscernibleValue
        highestTrackableValue = histogram.highestTrackableValue
        significantDigits = Int(histogram.numberOfSignificantValueDigits.rawValue)
        totalCount = histogram.totalCount
        minNonZero = histogram.totalCount == 0 ? 0 : histogram.minNonZeroExact
        maxRecorded = histogram.maxRecorded
        values = []
        counts = []
        for item in histogram.recordedValues() {
            values.append(histogram.lowestEquivalentForValue(item.value))
            counts.append(item.count)
        }
    }

    /// An encoding from its parts (e.g. read from an interval log); `totalCount` is the sum of `counts`.
    public init(lowestDiscernibleValue: UInt64, highestTrackableValue: UInt64, significantDigits: Int,
                minNonZero: UInt64, maxRecorded: UInt64, values: [UInt64], counts: [UInt64]) {
        unit = "us"
        self.lowestDiscernibleValue = lowestDiscernibleValue
        self.highestTrackableValue = highestTrackableValue
        self.significantDigits = significantDigits
        totalCount = counts.reduce(0, &+)
        self.minNonZero = minNonZero
        self.maxRecorded = maxRecorded
        self.values = values
        self.counts = counts
    }

    /// An empty encoding in the layout of `histogram`, whatever it holds.
    init(empty histogram: Histogram<UInt64>) {
        unit = "us"
        lowestDiscernibleValue = histogram.lowestDiscernibleValue
        highestTrackableValue = histogram.highestTrackableValue
        significantDigits = Int(histogram.numberOfSignificantValueDigits.rawValue)
        totalCount = 0
        minNonZero = 0
        maxRecorded = 0
        values = []
        counts = []
    }

    /// Rebuilds the histogram; throws when the encoding is inconsistent or in another layout.
    public func histogram() throws(MetricsDecodingError) -> Histogram<UInt64> {
        guard lowestDiscernibleValue == LatencyScale.lowestUs,
              significantDigits == Int(LatencyScale.digits.rawValue) else {
            throw .layoutMismatch(lowestDiscernibleValue: lowestDiscernibleValue, significantDigits: significantDigits)
        }
        guard values.count == counts.count else { throw .lengthMismatch(values: values.count, counts: counts.count) }
        var histogram = LatencyScale.makeHistogram()
        var sum: UInt64 = 0
        for (index, value) in values.enumerated() {
            // Record the exact min and max inside their buckets so the rebuilt extremes are exact too.
            var representative = value
            if histogram.valuesAreEquivalent(value, maxRecorded) { representative = maxRecorded }
            if minNonZero != 0, histogram.valuesAreEquivalent(value, minNonZero) { representative = minNonZero }
            guard histogram.record(representative, count: counts[index]) else { throw .valueOutOfRange(value) }
            sum &+= counts[index]
        }
        if maxRecorded != 0, !histogram.record(maxRecorded, count: 0) { throw .valueOutOfRange(maxRecorded) }
        guard sum == totalCount else { throw .totalMismatch(stated: totalCount, actual: sum) }
        return histogram
    }
}

extension Histogram {
    /// The exact smallest non-zero value recorded when no zero was recorded (`min` exposes it);
    /// otherwise its bucket's lowest value, which still decodes into the same bucket.
    var minNonZeroExact: UInt64 {
        let smallest = self.min
        if smallest != 0 { return smallest }
        return minNonZero == .max ? 0 : minNonZero
    }
}
