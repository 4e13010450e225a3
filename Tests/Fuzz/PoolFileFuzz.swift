import PKI

/// libFuzzer target: the pool-file reader (header, CSR template, entries).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPoolFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    _ = try? PoolFile.parse(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
