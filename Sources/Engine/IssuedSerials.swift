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
    /// Serial bytes followed by the issuer's index (2 bytes) → the subject (DER Name).
    private var seen: [Key: [UInt8]] = [:]
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
        var bytes = [UInt8]()
        bytes.reserveCapacity(serial.count + 2)
        bytes.append(contentsOf: serial)
        bytes.append(UInt8(truncatingIfNeeded: index >> 8))
        bytes.append(UInt8(truncatingIfNeeded: index))
        let key = Key(bytes: bytes)
        guard seen.count < IssuedSerials.limit else {
            if let first = seen[key] {
                return Duplicate(serial: Array(serial), issuer: issuers[index], first: first, second: Array(subject))
            }
            isFull = true
            return nil
        }
        // One hash and probe for the common case (a new serial); a duplicate puts the first subject back.
        if let first = seen.updateValue(Array(subject), forKey: key) {
            seen[key] = first
            return Duplicate(serial: Array(serial), issuer: issuers[index], first: first, second: Array(subject))
        }
        return nil
    }

    /// Adds another worker's serials; returns the duplicates between the two.
    mutating func merge(_ other: IssuedSerials) -> [Duplicate] {
        var duplicates: [Duplicate] = []
        for (key, subject) in other.seen {
            let bytes = key.bytes
            let serial = bytes.dropLast(2)
            let index = Int(bytes[bytes.count - 2]) << 8 | Int(bytes[bytes.count - 1])
            if let d = record(issuer: other.issuers[index][...], serial: serial, subject: subject[...]) { duplicates.append(d) }
        }
        isFull = isFull || other.isFull
        return duplicates
    }

    /// A serial and its issuer's index, hashed as one block of bytes (an array of bytes as a key is
    /// hashed a byte at a time: on the keep-alive profile that was a tenth of the response check).
    struct Key: Hashable, Sendable {
        let bytes: [UInt8]

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }
}
