/// The bucket layout of an HdrHistogram — which counts-array index holds which value — computed as
/// every HdrHistogram implementation does, so a V2 encoding written here reads anywhere (and back).
struct HistogramLayout: Sendable, Equatable {
    let lowestDiscernibleValue: UInt64
    let highestTrackableValue: UInt64
    let significantDigits: Int
    let unitMagnitude: Int
    let subBucketHalfCountMagnitude: Int
    let subBucketHalfCount: Int
    let subBucketMask: UInt64
    let leadingZeroCountBase: Int

    /// Nil when the parameters are outside what HdrHistogram allows (digits 0…5, lowest ≥ 1, highest ≥ 2 × lowest).
    init?(lowestDiscernibleValue: UInt64, highestTrackableValue: UInt64, significantDigits: Int) {
        guard (0 ... 5).contains(significantDigits), lowestDiscernibleValue >= 1,
              highestTrackableValue / 2 >= lowestDiscernibleValue else { return nil }
        self.lowestDiscernibleValue = lowestDiscernibleValue
        self.highestTrackableValue = highestTrackableValue
        self.significantDigits = significantDigits
        var largestSingleUnit: UInt64 = 2
        for _ in 0 ..< significantDigits { largestSingleUnit *= 10 }
        unitMagnitude = 63 - lowestDiscernibleValue.leadingZeroBitCount
        // ceil(log2(largestSingleUnit)): it is never a power of two above 2.
        let subBucketCountMagnitude = 64 - (largestSingleUnit - 1).leadingZeroBitCount
        subBucketHalfCountMagnitude = max(subBucketCountMagnitude, 1) - 1
        subBucketHalfCount = 1 << subBucketHalfCountMagnitude
        subBucketMask = UInt64(2 * subBucketHalfCount - 1) << UInt64(unitMagnitude)
        leadingZeroCountBase = 64 - unitMagnitude - subBucketHalfCountMagnitude - 1
        guard unitMagnitude + subBucketHalfCountMagnitude + 1 <= 62 else { return nil }
    }

    /// Counts-array index of `value`.
    func index(of value: UInt64) -> Int {
        let bucket = leadingZeroCountBase - (value | subBucketMask).leadingZeroBitCount
        let subBucket = Int(truncatingIfNeeded: value >> UInt64(bucket + unitMagnitude))
        return ((bucket + 1) << subBucketHalfCountMagnitude) + (subBucket - subBucketHalfCount)
    }

    /// Lowest value counted at `index`.
    func value(at index: Int) -> UInt64 {
        var bucket = (index >> subBucketHalfCountMagnitude) - 1
        var subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
        if bucket < 0 {
            subBucket -= subBucketHalfCount
            bucket = 0
        }
        return UInt64(subBucket) << UInt64(bucket + unitMagnitude)
    }

    /// Highest value counted at `index`.
    func highestValue(at index: Int) -> UInt64 {
        value(at: index + 1) - 1
    }

    /// Length of the counts array (the index of the highest trackable value, plus one).
    var countsLength: Int { index(of: highestTrackableValue) + 1 }
}
