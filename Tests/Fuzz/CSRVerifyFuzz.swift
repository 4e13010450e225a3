import PKI

/// libFuzzer target: what the built-in server does with an enrollment's CSR: parse it (`CSRView`)
/// and verify its signature (`CSRVerifier`, OpenSSL underneath).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSRVerify(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let view = try? CSRView(der: bytes) else { return 0 }
    _ = try? verifier.verify(view)
    return 0
}

nonisolated(unsafe) private let verifier = try! CSRVerifier()
