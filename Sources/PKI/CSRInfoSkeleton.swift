import DER

/// A CertificationRequestInfo pre-encoded for one count of index digits and one public-key size,
/// with the places where the index digits and the SubjectPublicKeyInfo go. Building a CSR for
/// device i is then a copy plus a few patched bytes. The skeleton is made by the general encoder
/// itself (diffing encodings that differ only in the patched fields), so both paths agree by
/// construction; `CSRBuilder` checks that once more before using one.
struct CSRInfoSkeleton {
    let digits: Int
    let publicKeyInfoLength: Int
    let bytes: [UInt8]
    /// Start of each run of `digits` index digits.
    let digitRuns: [Int]
    let publicKeyInfoOffset: Int

    /// Smallest and largest index with `digits` digits; every digit position differs between them.
    /// Beyond 18 digits no such pair fits in an Int: those indices take the general path.
    static func indexPair(digits: Int) -> (Int, Int)? {
        guard (1...18).contains(digits) else { return nil }
        var low = 1
        for _ in 1..<digits { low *= 10 }
        return (digits == 1 ? 0 : low, low * 10 - 1)
    }

    /// Derives a skeleton from three general encodings, or nil when the differences are not the
    /// clean runs expected (then the builder keeps using the general path).
    init?(digits: Int, publicKeyInfoLength n: Int, encode: (Int, [UInt8]) -> [UInt8]) {
        guard let (low, high) = CSRInfoSkeleton.indexPair(digits: digits) else { return nil }
        let zeros = [UInt8](repeating: 0x00, count: n)
        let a = encode(low, zeros)
        let b = encode(high, zeros)
        let c = encode(low, [UInt8](repeating: 0xFF, count: n))
        guard a.count == b.count, a.count == c.count else { return nil }
        var runs: [Int] = []
        var i = 0
        while i < a.count {
            if a[i] == b[i] {
                i += 1
                continue
            }
            var end = i
            while end < a.count && a[end] != b[end] { end += 1 }
            guard (end - i) % digits == 0 else { return nil }
            runs.append(contentsOf: stride(from: i, to: end, by: digits))
            i = end
        }
        let changed = a.indices.filter { a[$0] != c[$0] }
        guard changed.count == n, let first = changed.first, changed.last == first + n - 1 else { return nil }
        self.digits = digits
        publicKeyInfoLength = n
        bytes = a
        digitRuns = runs
        publicKeyInfoOffset = first
    }

    /// Writes the encoding for device `index` (which must have `digits` digits) with `publicKeyInfo`.
    func write(index: Int, publicKeyInfo: [UInt8], to w: inout DERWriter) {
        w.removeAll()
        w.appendEncoded(bytes)
        w.withUnsafeMutableBytes { out in
            publicKeyInfo.withUnsafeBytes { key in
                (out.baseAddress! + publicKeyInfoOffset).copyMemory(from: key.baseAddress!, byteCount: key.count)
            }
            for start in digitRuns {
                var v = index
                var p = start + digits - 1
                while p >= start {
                    out[p] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
                    v /= 10
                    p -= 1
                }
            }
        }
    }
}
