/// The fields of one parsed message head (or trailer section), kept as byte ranges into the
/// parser's buffer: looking a field up by name compares bytes in place instead of building Strings.
public struct HTTPHeaders: Sendable, RandomAccessCollection {
    /// Where one field's name and value (surrounding whitespace trimmed) sit in the head buffer.
    struct Span: Sendable, Equatable {
        var nameStart: Int
        var nameEnd: Int
        var valueStart: Int
        var valueEnd: Int
    }

    /// One field as it arrived: the name in its original case, the value without surrounding whitespace.
    public struct Field: Sendable {
        public let name: ArraySlice<UInt8>
        public let value: ArraySlice<UInt8>
        /// Convenience copies for logs and tests (they allocate).
        public var nameText: String { String(decoding: name, as: UTF8.self) }
        public var valueText: String { String(decoding: value, as: UTF8.self) }
    }

    let storage: [UInt8]
    let spans: [Span]

    init(storage: [UInt8], spans: [Span]) {
        self.storage = storage
        self.spans = spans
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { spans.count }

    public subscript(position: Int) -> Field {
        let s = spans[position]
        return Field(name: storage[s.nameStart..<s.nameEnd], value: storage[s.valueStart..<s.valueEnd])
    }

    /// The position of the first field called `name` (ASCII case ignored), without allocating.
    public func firstIndex(named name: String) -> Int? {
        if let found = name.utf8.withContiguousStorageIfAvailable({ firstIndex(nameBytes: $0, from: 0) }) {
            return found
        }
        return Array(name.utf8).withUnsafeBufferPointer { firstIndex(nameBytes: $0, from: 0) }
    }

    /// The first value of `name`, as a slice of the parser's buffer (no copy).
    public func firstValueBytes(named name: String) -> ArraySlice<UInt8>? {
        guard let i = firstIndex(named: name) else { return nil }
        let s = spans[i]
        return storage[s.valueStart..<s.valueEnd]
    }

    public func contains(named name: String) -> Bool { firstIndex(named: name) != nil }

    /// The first value of `name` as a String (allocates; for cold paths).
    public func value(named name: String) -> String? {
        firstValueBytes(named: name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every value of `name` in order of arrival (allocates; for cold paths).
    public func values(named name: String) -> [String] {
        let nameBytes = Array(name.utf8)
        var result: [String] = []
        nameBytes.withUnsafeBufferPointer { n in
            var from = 0
            while let i = firstIndex(nameBytes: n, from: from) {
                let s = spans[i]
                result.append(String(decoding: storage[s.valueStart..<s.valueEnd], as: UTF8.self))
                from = i + 1
            }
        }
        return result
    }

    /// Whether the first value of `name` equals `value`, ignoring ASCII case, without allocating.
    public func value(named name: String, equalsIgnoringCase value: String) -> Bool {
        guard let i = firstIndex(named: name) else { return false }
        let s = spans[i]
        return storage.withUnsafeBufferPointer { buffer in
            if let r = value.utf8.withContiguousStorageIfAvailable({
                HTTPSyntax.equalsIgnoringCase(buffer, s.valueStart, s.valueEnd, $0)
            }) {
                return r
            }
            return Array(value.utf8).withUnsafeBufferPointer {
                HTTPSyntax.equalsIgnoringCase(buffer, s.valueStart, s.valueEnd, $0)
            }
        }
    }

    func firstIndex(nameBytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        storage.withUnsafeBufferPointer { buffer in
            var i = from
            while i < spans.count {
                let s = spans[i]
                if HTTPSyntax.equalsIgnoringCase(buffer, s.nameStart, s.nameEnd, nameBytes) { return i }
                i += 1
            }
            return nil
        }
    }
}
