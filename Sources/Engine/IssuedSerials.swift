import DER
import EST

/// Every (issuer, serial number) issued during a run, with the subject it went to: one issuer
/// issuing a serial twice is a CA concurrency bug worth a finding. Kept per worker while running
/// and merged after join, so duplicates across workers are found too. Bounded: past `limit`
/// entries per worker, new serials are no longer tracked (and `isFull` says so).
struct IssuedSerials: Sendable {
    /// A serial number issued twice by one issuer, with both subjects.
    struct Duplicate: Sendable {
        let serial: [UInt8]
        let issuer: [UInt8]
        let first: [UInt8]
        let second: [UInt8]

        var deviation: ESTDeviation { .duplicateSerial(serial: serial, issuer: issuer, first: first, second: second) }
    }

    static let limit = 1_000_000
    /// Issuer Names (DER) seen, interned: a run has one or a few.
    private var issuers: [[UInt8]] = []
    /// Each serial with its issuer's index and the subject it went to, in one allocation.
    private var seen: Set<Entry> = []
    private(set) var isFull = false

    var count: Int { seen.count }

    /// Records a certificate's serial; returns the duplicate when its issuer issued the serial before.
    mutating func record(issuer: ArraySlice<UInt8>, serial: ArraySlice<UInt8>, subject: ArraySlice<UInt8>) -> Duplicate? {
        let index: Int
        if let i = issuers.firstIndex(where: { DERElement.bytesEqual($0[...], issuer) }) {
            index = i
        } else {
            issuers.append(Array(issuer))
            index = issuers.count - 1
        }
        let entry = Entry(serial: serial, issuer: index, subject: subject)
        guard seen.count < IssuedSerials.limit else {
            if let i = seen.firstIndex(of: entry) { return duplicate(seen[i], entry) }
            isFull = true
            return nil
        }
        // One hash and probe for the common case (a new serial); a duplicate keeps the first entry.
        let (inserted, first) = seen.insert(entry)
        return inserted ? nil : duplicate(first, entry)
    }

    private func duplicate(_ first: Entry, _ second: Entry) -> Duplicate {
        Duplicate(serial: Array(second.serial), issuer: issuers[second.issuer], first: Array(first.subject), second: Array(second.subject))
    }

    /// Adds another worker's serials; returns the duplicates between the two.
    mutating func merge(_ other: IssuedSerials) -> [Duplicate] {
        var duplicates: [Duplicate] = []
        for entry in other.seen {
            if let d = record(issuer: other.issuers[entry.issuer][...], serial: entry.serial, subject: entry.subject) { duplicates.append(d) }
        }
        isFull = isFull || other.isFull
        return duplicates
    }

    /// The serial bytes, the issuer's index (2 bytes), then the subject (DER Name): one array per
    /// certificate. Hashed (as one block: an array of bytes is hashed a byte at a time) and compared
    /// on the serial and issuer only.
    struct Entry: Hashable, Sendable {
        let bytes: [UInt8]
        /// Where the subject starts: the key is `bytes[..<keyLength]`.
        let keyLength: Int

        init(serial: ArraySlice<UInt8>, issuer: Int, subject: ArraySlice<UInt8>) {
            keyLength = serial.count + 2
            bytes = [UInt8](unsafeUninitializedCapacity: serial.count + 2 + subject.count) { out, count in
                let afterSerial = out.initialize(fromContentsOf: serial)
                out[afterSerial] = UInt8(truncatingIfNeeded: issuer >> 8)
                out[afterSerial + 1] = UInt8(truncatingIfNeeded: issuer)
                _ = out[(afterSerial + 2)...].initialize(fromContentsOf: subject)
                count = out.count
            }
        }

        var serial: ArraySlice<UInt8> { bytes[..<(keyLength - 2)] }
        var issuer: Int { Int(bytes[keyLength - 2]) << 8 | Int(bytes[keyLength - 1]) }
        var subject: ArraySlice<UInt8> { bytes[keyLength...] }

        static func == (a: Entry, b: Entry) -> Bool {
            a.keyLength == b.keyLength && DERElement.bytesEqual(a.bytes[..<a.keyLength], b.bytes[..<b.keyLength])
        }

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: $0[..<keyLength])) }
        }
    }
}
