extension DERWriter {
    /// Reorders the complete TLVs written from `start` to the end into DER SET OF order.
    /// Already-sorted members (the usual case) cost one pass and one small array of ranges; only
    /// unsorted ones are copied out and written back.
    @usableFromInline internal mutating func sortSetMembers(from start: Int) {
        var ranges: [Range<Int>] = []
        var i = start
        let end = storage.count
        while i < end {
            let headerStart = i
            i += 1
            let first = Int(storage[i])
            i += 1
            var length = first
            if first & 0x80 != 0 {
                length = 0
                for _ in 0..<(first & 0x7F) {
                    length = (length << 8) | Int(storage[i])
                    i += 1
                }
            }
            i += length
            ranges.append(headerStart..<i)
        }
        if ranges.count < 2 { return }
        var sorted = true
        for k in 1..<ranges.count where DERWriter.setOrder(storage[ranges[k]], storage[ranges[k - 1]]) {
            sorted = false
            break
        }
        if sorted { return }
        let members = ranges.map { Array(storage[$0]) }.sorted { DERWriter.setOrder($0[...], $1[...]) }
        storage.removeSubrange(start...)
        for m in members { storage.append(contentsOf: m) }
    }

    /// X.690 11.6: compare as octet strings, the shorter padded at its end with zero octets.
    @usableFromInline internal static func setOrder(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        var ia = a.startIndex, ib = b.startIndex
        while ia < a.endIndex && ib < b.endIndex {
            if a[ia] != b[ib] { return a[ia] < b[ib] }
            ia += 1
            ib += 1
        }
        // One is a prefix of the other: the shorter is smaller unless the rest of the longer is all zero.
        if ia == a.endIndex { return b[ib...].contains { $0 != 0 } }
        return false
    }
}
