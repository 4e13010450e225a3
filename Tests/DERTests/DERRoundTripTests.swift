import XCTest
@testable import DER

/// Random trees (seeded SplitMix64): written with DERWriter, compared byte for byte with a small
/// reference encoder written here from X.690, then parsed back with DERReader and compared
/// with the tree.
final class DERRoundTripTests: XCTestCase {

    indirect enum Node: Equatable, CustomStringConvertible {
        case boolean(Bool)
        case integer(Int)
        case unsigned([UInt8])
        case bitString(unused: UInt8, [UInt8])
        case octetString([UInt8])
        case null
        case oid(String)
        case utf8(String)
        case printable(String)
        case ia5(String)
        case utcTime(DERTime)
        case generalizedTime(DERTime)
        case implicitPrimitive(UInt8, [UInt8])
        case sequence([Node])
        case set([Node])
        case setOf([Node])
        case taggedSetOf(UInt8, [Node])
        case explicit(UInt8, Node)
        case implicitConstructed(UInt8, [Node])
        case octetWrap([Node])
        case bitWrap([Node])

        var description: String {
            switch self {
            case .boolean(let b): return "BOOL(\(b))"
            case .integer(let v): return "INT(\(v))"
            case .unsigned(let m): return "UINT(\(m.count) octets)"
            case .bitString(let u, let b): return "BITS(\(u), \(b.count) octets)"
            case .octetString(let b): return "OCTETS(\(b.count))"
            case .null: return "NULL"
            case .oid(let s): return "OID(\(s))"
            case .utf8(let s): return "UTF8(\(s.utf8.count))"
            case .printable(let s): return "PRINTABLE(\(s))"
            case .ia5(let s): return "IA5(\(s.utf8.count))"
            case .utcTime(let t): return "UTC(\(t))"
            case .generalizedTime(let t): return "GEN(\(t))"
            case .implicitPrimitive(let n, let c): return "[\(n)](\(c.count))"
            case .sequence(let c): return "SEQ\(c)"
            case .set(let c): return "SET\(c)"
            case .setOf(let c): return "SETOF\(c)"
            case .taggedSetOf(let n, let c): return "[\(n)] SETOF\(c)"
            case .explicit(let n, let c): return "[\(n)] EXPLICIT \(c)"
            case .implicitConstructed(let n, let c): return "[\(n)] IMPLICIT \(c)"
            case .octetWrap(let c): return "OCTETWRAP\(c)"
            case .bitWrap(let c): return "BITWRAP\(c)"
            }
        }
    }

    // MARK: random generation

    struct Generator {
        var rng: SplitMix64
        var bigContents = 0

        static let printableAlphabet = Array("ABCXYZabcxyz0189 '()+,-./:=?".utf8)

        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
        mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

        mutating func bytes() -> [UInt8] {
            let count: Int
            switch int(0...999) {
            case 0...1:
                count = int(65_537...70_000)
                bigContents += 1
            case 2...49: count = int(128...1_000)
            case 50...99: count = int(60...130)
            default: count = int(0...40)
            }
            var out = [UInt8](repeating: 0, count: count)
            for i in 0..<count { out[i] = UInt8.random(in: 0...255, using: &rng) }
            return out
        }

        mutating func intValue() -> Int {
            switch int(0...5) {
            case 0: return [0, 1, -1, 127, 128, -128, -129, 255, 256, Int.max, Int.min][int(0...10)]
            case 1: return int(-300...300)
            case 2: return Int(truncatingIfNeeded: rng.next())
            default:
                // Random bit width so every byte count occurs.
                let bits = int(1...63)
                let magnitude = Int(truncatingIfNeeded: rng.next() >> UInt64(64 - bits))
                return chance(50) ? magnitude : -magnitude - 1
            }
        }

        mutating func dotted() -> String {
            let first = int(0...2)
            let second = first < 2 ? int(0...39) : (chance(50) ? int(0...47) : int(48...100_000))
            var arcs = ["\(first)", "\(second)"]
            for _ in 0..<int(0...6) {
                let arc: UInt64
                switch int(0...3) {
                case 0: arc = UInt64(int(0...127))
                case 1: arc = UInt64(int(128...20_000))
                case 2: arc = rng.next() >> UInt64(int(0...63))
                default: arc = [0, 127, 128, 16383, 16384, UInt64.max][int(0...5)]
                }
                arcs.append("\(arc)")
            }
            return arcs.joined(separator: ".")
        }

        mutating func text(_ kind: Int) -> String {
            let count = chance(5) ? int(100...300) : int(0...20)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<count {
                switch kind {
                case 0:  // PrintableString
                    let c = Self.printableAlphabet[int(0...(Self.printableAlphabet.count - 1))]
                    scalars.append(Unicode.Scalar(c))
                case 1:  // IA5String
                    scalars.append(Unicode.Scalar(UInt8(int(0...127))))
                default:  // UTF8String: 1- to 4-octet scalars
                    let ranges: [ClosedRange<UInt32>] = [0...0x7F, 0x80...0x7FF, 0x800...0xD7FF,
                                                         0xE000...0xFFFF, 0x10000...0x10FFFF]
                    let range = ranges[int(0...4)]
                    scalars.append(Unicode.Scalar(UInt32.random(in: range, using: &rng))!)
                }
            }
            return String(scalars)
        }

        mutating func time(utc: Bool) -> DERTime {
            // 1950-01-01 ... 2049-12-31 for UTCTime, 0001 ... 9999 for GeneralizedTime.
            let range: ClosedRange<Int64> = utc ? -631_152_000...2_524_607_999 : -62_135_596_800...253_402_300_799
            return DERTime(unixSeconds: Int64.random(in: range, using: &rng))
        }

        mutating func primitive() -> Node {
            switch int(0...13) {
            case 0: return .boolean(chance(50))
            case 1: return .integer(intValue())
            case 2:
                var m = bytes()
                if chance(30), !m.isEmpty { m[0] = 0 }          // leading zeros to strip
                if chance(30), !m.isEmpty { m[0] |= 0x80 }      // top bit: needs the pad
                return .unsigned(m)
            case 3:
                var b = bytes()
                var unused: UInt8 = 0
                if !b.isEmpty {
                    unused = UInt8(int(0...7))
                    b[b.count - 1] &= ~UInt8((1 << Int(unused)) - 1)
                }
                return .bitString(unused: unused, b)
            case 4: return .octetString(bytes())
            case 5: return .null
            case 6: return .oid(dotted())
            case 7: return .utf8(text(2))
            case 8: return .printable(text(0))
            case 9: return .ia5(text(1))
            case 10: return .utcTime(time(utc: true))
            case 11: return .generalizedTime(time(utc: false))
            default: return .implicitPrimitive(UInt8(int(0...30)), bytes())
            }
        }

        mutating func node(depth: Int) -> Node {
            if depth >= 5 || !chance(depth == 0 ? 85 : 45) { return primitive() }
            var children: [Node] = []
            for _ in 0..<int(0...(depth < 2 ? 5 : 3)) { children.append(node(depth: depth + 1)) }
            switch int(0...7) {
            case 0: return .set(children)
            case 1: return .setOf(children)
            case 2: return .explicit(UInt8(int(0...30)), children.first ?? .null)
            case 3: return .implicitConstructed(UInt8(int(0...30)), children)
            case 4: return .octetWrap(children)
            case 5: return .bitWrap(children)
            case 6: return .taggedSetOf(UInt8(int(0...30)), children)
            default: return .sequence(children)
            }
        }
    }

    // MARK: writing with DERWriter

    static func write(_ node: Node, _ w: inout DERWriter) {
        switch node {
        case .boolean(let b): w.boolean(b)
        case .integer(let v): w.integer(v)
        case .unsigned(let m): w.integer(unsignedBigEndian: m)
        case .bitString(let u, let b): w.bitString(b, unusedBits: u)
        case .octetString(let b): w.octetString(b)
        case .null: w.null()
        case .oid(let s): w.oid(OID(dotted: s)!)
        case .utf8(let s): w.utf8String(s)
        case .printable(let s): w.printableString(s)
        case .ia5(let s): w.ia5String(s)
        case .utcTime(let t): w.utcTime(t)
        case .generalizedTime(let t): w.generalizedTime(t)
        case .implicitPrimitive(let n, let c): w.implicitPrimitive(n, content: c)
        case .sequence(let c): w.sequence { w in for x in c { write(x, &w) } }
        case .set(let c): w.set { w in for x in c { write(x, &w) } }
        case .setOf(let c): w.setOf { w in for x in c { write(x, &w) } }
        case .taggedSetOf(let n, let c): w.setOf(tag: .context(n, constructed: true)) { w in for x in c { write(x, &w) } }
        case .explicit(let n, let x): w.explicit(n) { write(x, &$0) }
        case .implicitConstructed(let n, let c): w.implicitConstructed(n) { w in for x in c { write(x, &w) } }
        case .octetWrap(let c): w.octetStringWrapping { w in for x in c { write(x, &w) } }
        case .bitWrap(let c): w.bitStringWrapping { w in for x in c { write(x, &w) } }
        }
    }

    // MARK: reference encoder (X.690, written independently of DERWriter)

    static func refLength(_ n: Int) -> [UInt8] {
        if n < 128 { return [UInt8(n)] }
        var octets: [UInt8] = []
        var v = n
        while v > 0 {
            octets.insert(UInt8(v & 0xFF), at: 0)
            v >>= 8
        }
        return [0x80 | UInt8(octets.count)] + octets
    }

    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { [tag] + refLength(content.count) + content }

    /// Minimal two's complement: all eight octets, then drop redundant sign octets.
    static func refInteger(_ v: Int) -> [UInt8] {
        var octets = (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) }
        while octets.count > 1
            && ((octets[0] == 0x00 && octets[1] < 0x80) || (octets[0] == 0xFF && octets[1] >= 0x80)) {
            octets.removeFirst()
        }
        return octets
    }

    static func refBase128(_ v: UInt64) -> [UInt8] {
        var out: [UInt8] = [UInt8(v & 0x7F)]
        var rest = v >> 7
        while rest > 0 {
            out.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
            rest >>= 7
        }
        return out
    }

    static func refOID(_ dotted: String) -> [UInt8] {
        let arcs = dotted.split(separator: ".").map { UInt64($0)! }
        var out = refBase128(arcs[0] * 40 + arcs[1])
        for a in arcs.dropFirst(2) { out += refBase128(a) }
        return out
    }

    static func digits(_ v: Int, _ width: Int) -> [UInt8] {
        var out: [UInt8] = []
        var x = v
        for _ in 0..<width {
            out.insert(0x30 + UInt8(x % 10), at: 0)
            x /= 10
        }
        return out
    }

    static func refTime(_ t: DERTime, yearDigits: Int) -> [UInt8] {
        digits(yearDigits == 2 ? t.year % 100 : t.year, yearDigits) + digits(t.month, 2) + digits(t.day, 2)
            + digits(t.hour, 2) + digits(t.minute, 2) + digits(t.second, 2) + [0x5A]
    }

    /// X.690 11.6 order, written out again here: octet strings, shorter padded with zeros.
    static func refLess(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            if x != y { return x < y }
        }
        return false
    }

    static func reference(_ node: Node) -> [UInt8] {
        switch node {
        case .boolean(let b): return [0x01, 0x01, b ? 0xFF : 0x00]
        case .integer(let v): return tlv(0x02, refInteger(v))
        case .unsigned(let m):
            var octets = Array(m.drop { $0 == 0 })
            if octets.isEmpty || octets[0] >= 0x80 { octets.insert(0, at: 0) }
            return tlv(0x02, octets)
        case .bitString(let u, let b): return tlv(0x03, [u] + b)
        case .octetString(let b): return tlv(0x04, b)
        case .null: return [0x05, 0x00]
        case .oid(let s): return tlv(0x06, refOID(s))
        case .utf8(let s): return tlv(0x0C, Array(s.utf8))
        case .printable(let s): return tlv(0x13, Array(s.utf8))
        case .ia5(let s): return tlv(0x16, Array(s.utf8))
        case .utcTime(let t): return tlv(0x17, refTime(t, yearDigits: 2))
        case .generalizedTime(let t): return tlv(0x18, refTime(t, yearDigits: 4))
        case .implicitPrimitive(let n, let c): return tlv(0x80 | n, c)
        case .sequence(let c): return tlv(0x30, c.flatMap(reference))
        case .set(let c): return tlv(0x31, c.flatMap(reference))
        case .setOf(let c): return tlv(0x31, c.map(reference).sorted(by: refLess).flatMap { $0 })
        case .taggedSetOf(let n, let c): return tlv(0xA0 | n, c.map(reference).sorted(by: refLess).flatMap { $0 })
        case .explicit(let n, let x): return tlv(0xA0 | n, reference(x))
        case .implicitConstructed(let n, let c): return tlv(0xA0 | n, c.flatMap(reference))
        case .octetWrap(let c): return tlv(0x04, c.flatMap(reference))
        case .bitWrap(let c): return tlv(0x03, [0] + c.flatMap(reference))
        }
    }

    // MARK: parsing back with DERReader

    /// Whether `element` is the encoding of `node`, using the reader's checked decoders.
    static func matches(_ node: Node, _ element: DERElement) -> Bool {
        do {
            return try matchesOrThrows(node, element)
        } catch {
            return false
        }
    }

    static func matchesOrThrows(_ node: Node, _ e: DERElement) throws(DERError) -> Bool {
        switch node {
        case .boolean(let b): return try e.boolean() == b
        case .integer(let v): return try e.integer() == v
        case .unsigned(let m):
            let stripped = Array(m.drop { $0 == 0 })
            return try Array(e.unsignedIntegerMagnitude()) == (stripped.isEmpty ? [0] : stripped)
        case .bitString(let u, let b):
            let (unused, bytes) = try e.bitString()
            return unused == u && Array(bytes) == b
        case .octetString(let b): return try Array(e.octetString()) == b
        case .null:
            try e.null()
            return true
        case .oid(let s):
            let oid = try e.oid()
            return oid.description == s && e.isOID(OID(dotted: s)!)
        case .utf8(let s): return try e.tag == .utf8String ? e.string() == s : false
        case .printable(let s): return try e.tag == .printableString ? e.string() == s : false
        case .ia5(let s): return try e.tag == .ia5String ? e.string() == s : false
        case .utcTime(let t): return try e.tag == .utcTime ? e.time() == t : false
        case .generalizedTime(let t): return try e.tag == .generalizedTime ? e.time() == t : false
        case .implicitPrimitive(let n, let c):
            return e.tag == .context(n, constructed: false) && Array(e.content) == c
        case .sequence(let c):
            return try e.tag == .sequence ? childrenMatchInOrder(c, e.children()) : false
        case .set(let c):
            return try e.tag == .set ? childrenMatchInOrder(c, e.children()) : false
        case .setOf(let c):
            return try e.tag == .set ? childrenMatchAsSetOf(c, e.children()) : false
        case .taggedSetOf(let n, let c):
            return try e.tag == .context(n, constructed: true) ? childrenMatchAsSetOf(c, e.children()) : false
        case .explicit(let n, let x):
            return try e.tag == .context(n, constructed: true) ? childrenMatchInOrder([x], e.children()) : false
        case .implicitConstructed(let n, let c):
            return try e.tag == .context(n, constructed: true) ? childrenMatchInOrder(c, e.children()) : false
        case .octetWrap(let c):
            return try e.tag == .octetString ? childrenMatchInOrder(c, DERReader(e.content)) : false
        case .bitWrap(let c):
            guard e.tag == .bitString, e.content.first == 0 else { return false }
            return try childrenMatchInOrder(c, DERReader(e.content.dropFirst()))
        }
    }

    static func childrenMatchInOrder(_ nodes: [Node], _ reader: DERReader) throws(DERError) -> Bool {
        var r = reader
        for n in nodes {
            guard let e = try r.next(), matches(n, e) else { return false }
        }
        return r.isAtEnd
    }

    static func childrenMatchAsSetOf(_ nodes: [Node], _ reader: DERReader) throws(DERError) -> Bool {
        var r = reader
        var pending = nodes
        var previous: [UInt8]? = nil
        while let e = try r.next() {
            let encoded = Array(e.encoded)
            if let p = previous, refLess(encoded, p) { return false }  // not in DER order
            previous = encoded
            guard let k = pending.firstIndex(where: { matches($0, e) }) else { return false }
            pending.remove(at: k)
        }
        return pending.isEmpty
    }

    // MARK: the tests

    struct Stats {
        var nodes = 0
        var maxDepth = 0
        var setOfs = 0
        var bytes = 0
    }

    static func collect(_ node: Node, depth: Int, into stats: inout Stats) {
        stats.nodes += 1
        stats.maxDepth = max(stats.maxDepth, depth)
        let children: [Node]
        switch node {
        case .sequence(let c), .set(let c), .implicitConstructed(_, let c), .octetWrap(let c), .bitWrap(let c):
            children = c
        case .setOf(let c), .taggedSetOf(_, let c):
            stats.setOfs += 1
            children = c
        case .explicit(_, let x): children = [x]
        default: children = []
        }
        for c in children { collect(c, depth: depth + 1, into: &stats) }
    }

    func runTrees(seed: UInt64, count: Int, stats: inout Stats) -> Int {
        var gen = Generator(rng: SplitMix64(seed: seed))
        var w = DERWriter()
        var failures = 0
        for index in 0..<count {
            let tree = gen.node(depth: 0)
            Self.collect(tree, depth: 0, into: &stats)
            w.removeAll()
            Self.write(tree, &w)
            let bytes = w.bytes
            stats.bytes += bytes.count
            let expected = Self.reference(tree)
            if bytes != expected {
                failures += 1
                if failures <= 3 {
                    XCTFail("seed \(seed) tree \(index): writer output differs from reference for \(tree)")
                }
                continue
            }
            do {
                let element = try DERReader.single(bytes)
                XCTAssertEqual(element.encoded.count, bytes.count)
                if !(try Self.matchesOrThrows(tree, element)) {
                    failures += 1
                    if failures <= 3 { XCTFail("seed \(seed) tree \(index): parsed tree differs: \(tree)") }
                }
            } catch {
                failures += 1
                if failures <= 3 { XCTFail("seed \(seed) tree \(index): reader error \(error) for \(tree)") }
            }
        }
        XCTAssertEqual(failures, 0, "seed \(seed)")
        return gen.bigContents
    }

    func testRandomTreesRoundTrip() {
        var big = 0
        var stats = Stats()
        for seed: UInt64 in [1, 2, 3] {
            big += runTrees(seed: seed, count: 1000, stats: &stats)
        }
        print("round trip: 3000 trees, \(stats.nodes) nodes, \(stats.setOfs) SET OFs, max depth \(stats.maxDepth), \(stats.bytes) bytes, \(big) contents > 65536")
        // The run must actually cover what it claims: deep trees, SET OFs, contents over 65536 octets.
        XCTAssertGreaterThan(big, 0)
        XCTAssertEqual(stats.maxDepth, 5)
        XCTAssertGreaterThan(stats.setOfs, 100)
        XCTAssertGreaterThan(stats.nodes, 10_000)
    }

    func testReferenceEncoderAgreesWithGoldenVectors() {
        // The reference encoder used above is itself checked against hand-written bytes.
        XCTAssertEqual(Self.reference(.integer(-129)), hex("02 02 FF 7F"))
        XCTAssertEqual(Self.reference(.integer(128)), hex("02 02 00 80"))
        XCTAssertEqual(Self.reference(.integer(Int.min)), hex("02 08 80 00 00 00 00 00 00 00"))
        XCTAssertEqual(Self.reference(.unsigned([0, 0x80])), hex("02 02 00 80"))
        XCTAssertEqual(Self.reference(.unsigned([])), hex("02 01 00"))
        XCTAssertEqual(Self.reference(.oid("2.999.3")), hex("06 03 88 37 03"))
        XCTAssertEqual(Self.reference(.utcTime(DERTime(year: 2049, month: 12, day: 31, hour: 23, minute: 59, second: 59))),
                       hex("17 0D") + ascii("491231235959Z"))
        XCTAssertEqual(Self.reference(.setOf([.integer(2), .integer(1)])), hex("31 06 02 01 01 02 01 02"))
        XCTAssertEqual(Self.refLength(65536), hex("83 01 00 00"))
        XCTAssertEqual(Self.refLength(255), hex("81 FF"))
        let big = Self.reference(.sequence([.octetString([UInt8](repeating: 0, count: 65530)), .null]))
        XCTAssertEqual(Array(big.prefix(9)), hex("30 83 01 00 00 04 82 FF FA"))
    }

    func testMatcherDetectsDifferences() throws {
        // The comparison must be able to fail, or the round trip proves nothing.
        // The SET OF is written out of order (NULL before BOOLEAN) and comes out sorted.
        let tree: Node = .sequence([.integer(1), .setOf([.null, .boolean(true)]), .utf8("x")])
        var w = DERWriter()
        Self.write(tree, &w)
        let element = try DERReader.single(w.bytes)
        XCTAssertTrue(Self.matches(tree, element))
        XCTAssertFalse(Self.matches(.sequence([.integer(2), .setOf([.boolean(true), .null]), .utf8("x")]), element))
        XCTAssertFalse(Self.matches(.sequence([.integer(1), .setOf([.boolean(false), .null]), .utf8("x")]), element))
        XCTAssertFalse(Self.matches(.sequence([.integer(1), .setOf([.boolean(true), .null])]), element))
        XCTAssertFalse(Self.matches(.sequence([.integer(1), .set([.null, .boolean(true)]), .utf8("x")]), element))
        XCTAssertTrue(Self.matches(.sequence([.integer(1), .set([.boolean(true), .null]), .utf8("x")]), element))
        XCTAssertFalse(Self.matches(.sequence([.integer(1), .setOf([.boolean(true), .null]), .printable("x")]), element))
        // A SET OF in the wrong order is not accepted as DER.
        let unsorted = try DERReader.single(hex("31 06 02 01 02 02 01 01"))
        XCTAssertFalse(Self.matches(.setOf([.integer(1), .integer(2)]), unsorted))
        XCTAssertTrue(Self.matches(.set([.integer(2), .integer(1)]), unsorted))
    }

    func testDeterministicGenerator() {
        var a = SplitMix64(seed: 42)
        var b = SplitMix64(seed: 42)
        let xs = (0..<8).map { _ in a.next() }
        XCTAssertEqual(xs, (0..<8).map { _ in b.next() })
        // First outputs of SplitMix64 seeded with 0 (reference values of the published algorithm).
        var z = SplitMix64(seed: 0)
        XCTAssertEqual(z.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(z.next(), 0x6E78_9E6A_A1B9_65F4)
    }
}
