/// The versioned binary pool file: a header, then per entry the CSR DER and the private key as raw
/// key material (see `PrivateKey+RawMaterial`). All integers are big-endian.
///
///     "ESTBPOOL"  version:u16  keyType:u8  flags:u8  count:u64  templateLength:u32  template (UTF-8)
///     [flags & sharedKey]  keyLength:u32  key
///     count × ( csrLength:u32  csr  [unless sharedKey] keyLength:u32  key )
///
/// Reading checks everything: magic, version, key type, each length against what is left
/// (truncation), the entry count, and (when keys are loaded) that each key matches its CSR.
public enum PoolFile {
    public static let magic: [UInt8] = Array("ESTBPOOL".utf8)
    public static let version: UInt16 = 1
    static let sharedKeyFlag: UInt8 = 0x01
    static let fixedHeaderSize = 8 + 2 + 1 + 1 + 8 + 4

    /// What the header says.
    public struct Header: Sendable, Equatable {
        public var keyType: KeyType
        public var sharedKey: Bool
        public var count: Int
        public var template: CSRTemplate

        public init(keyType: KeyType, sharedKey: Bool, count: Int, template: CSRTemplate) {
            self.keyType = keyType
            self.sharedKey = sharedKey
            self.count = count
            self.template = template
        }

        public func encoded() -> [UInt8] {
            var out = PoolFile.magic
            out.appendBigEndian(UInt64(PoolFile.version), bytes: 2)
            out.append(keyType.poolCode)
            out.append(sharedKey ? PoolFile.sharedKeyFlag : 0)
            out.appendBigEndian(UInt64(count), bytes: 8)
            let text = Array(template.text.utf8)
            out.appendBigEndian(UInt64(text.count), bytes: 4)
            out.append(contentsOf: text)
            return out
        }
    }

    /// One entry as slices of the file's bytes.
    public struct RawEntry: Sendable {
        public let csr: ArraySlice<UInt8>
        public let key: ArraySlice<UInt8>
    }

    /// A parsed file: header and entries, not yet turned into keys.
    public struct Contents: Sendable {
        public let header: Header
        public let entries: [RawEntry]
    }

    /// Appends one entry in file form.
    public static func appendEntry(csr: some Collection<UInt8>, key: [UInt8]?, to out: inout [UInt8]) {
        out.appendBigEndian(UInt64(csr.count), bytes: 4)
        out.append(contentsOf: csr)
        if let key {
            out.appendBigEndian(UInt64(key.count), bytes: 4)
            out.append(contentsOf: key)
        }
    }

    public static func parse(_ bytes: [UInt8]) throws(PoolFileError) -> Contents {
        var cursor = ByteCursor(bytes: bytes)
        guard bytes.count >= 8, Array(bytes[0..<8]) == magic else { throw .badMagic }
        cursor.offset = 8
        let version = UInt16(try cursor.integer(2, "header"))
        guard version == PoolFile.version else { throw .unsupportedVersion(found: version, supported: PoolFile.version) }
        let code = UInt8(try cursor.integer(1, "header"))
        guard let keyType = KeyType(poolCode: code) else { throw .unknownKeyType(code: code) }
        let flags = UInt8(try cursor.integer(1, "header"))
        let count = try cursor.integer(8, "header")
        guard count <= Int(Int32.max) else { throw .countMismatch(header: count, found: 0) }
        let textLength = try cursor.integer(4, "header")
        let text = try cursor.take(textLength, "template")
        let template: CSRTemplate
        guard let templateText = String(validating: text, as: UTF8.self) else { throw .malformedTemplate("not UTF-8") }
        do { template = try CSRTemplate(text: templateText) } catch { throw .malformedTemplate(error.description) }
        let shared = flags & sharedKeyFlag != 0
        var sharedKey: ArraySlice<UInt8>?
        if shared { sharedKey = try cursor.take(try cursor.integer(4, "shared key"), "shared key") }
        var entries: [RawEntry] = []
        entries.reserveCapacity(min(count, bytes.count / 64))
        while !cursor.isAtEnd {
            let index = entries.count
            let csr = try cursor.take(try cursor.integer(4, "entry \(index)"), "entry \(index)")
            let key: ArraySlice<UInt8>
            if let sharedKey {
                key = sharedKey
            } else {
                key = try cursor.take(try cursor.integer(4, "entry \(index)"), "entry \(index)")
            }
            entries.append(RawEntry(csr: csr, key: key))
        }
        guard entries.count == count else { throw .countMismatch(header: count, found: entries.count) }
        return Contents(header: Header(keyType: keyType, sharedKey: shared, count: count, template: template),
                        entries: entries)
    }
}

/// Bounds-checked big-endian reads over a byte array.
struct ByteCursor {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func integer(_ width: Int, _ section: String) throws(PoolFileError) -> Int {
        guard bytes.count - offset >= width else { throw .truncated(section: section, offset: bytes.count) }
        var v = 0
        for _ in 0..<width {
            v = v << 8 | Int(bytes[offset])
            offset += 1
        }
        return v
    }

    mutating func take(_ count: Int, _ section: String) throws(PoolFileError) -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count - offset >= count else { throw .truncated(section: section, offset: bytes.count) }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt64, bytes: Int) {
        for i in stride(from: bytes - 1, through: 0, by: -1) { append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }
}
