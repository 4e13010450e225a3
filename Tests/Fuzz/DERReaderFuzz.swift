import DER

/// libFuzzer target: the DER reader, walking every element (into constructed ones, 16 levels
/// deep at most) and decoding each primitive as every type it could be.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDERReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? DERReader.single(bytes)
    walk(DERReader(bytes), depth: 0)
    return 0
}

private func walk(_ reader: DERReader, depth: Int) {
    var reader = reader
    while let element = try? reader.next() {
        precondition(element.encoded.count >= element.content.count)
        _ = try? element.boolean()
        _ = try? element.integer()
        _ = try? element.unsignedIntegerMagnitude()
        _ = try? element.bitString()
        _ = try? element.octetString()
        _ = try? element.oid().description
        _ = try? element.string()
        _ = try? element.time()
        if depth < 16, element.tag.rawValue & 0x20 != 0 { walk(element.children(), depth: depth + 1) }
    }
}
