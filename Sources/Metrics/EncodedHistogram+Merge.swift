extension EncodedHistogram {
    /// Adds `other` bucket by bucket without rebuilding either histogram (same layout assumed, as all `LatencyScale` ones are).
    public mutating func merge(_ other: EncodedHistogram) {
        guard other.totalCount != 0 else { return }
        guard totalCount != 0 else { self = other; return }
        var mergedValues: [UInt64] = []
        var mergedCounts: [UInt64] = []
        mergedValues.reserveCapacity(values.count + other.values.count)
        mergedCounts.reserveCapacity(values.count + other.values.count)
        var left = 0, right = 0
        while left < values.count || right < other.values.count {
            if right == other.values.count || (left < values.count && values[left] < other.values[right]) {
                mergedValues.append(values[left]); mergedCounts.append(counts[left]); left += 1
            } else if left == values.count || other.values[right] < values[left] {
                mergedValues.append(other.values[right]); mergedCounts.append(other.counts[right]); right += 1
            } else {
                mergedValues.append(values[left]); mergedCounts.append(counts[left] &+ other.counts[right])
                left += 1; right += 1
            }
        }
        values = mergedValues
        counts = mergedCounts
        totalCount &+= other.totalCount
        highestTrackableValue = Swift.max(highestTrackableValue, other.highestTrackableValue)
        maxRecorded = Swift.max(maxRecorded, other.maxRecorded)
        if other.minNonZero != 0, minNonZero == 0 || other.minNonZero < minNonZero { minNonZero = other.minNonZero }
    }
}
