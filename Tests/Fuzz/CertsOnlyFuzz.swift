import PKI

/// libFuzzer target: the certs-only PKCS#7 (CMS SignedData without signers) reader, and the
/// search for the issued certificate by public key.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCertsOnly(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let message = try? CertsOnly(der: bytes) else { return 0 }
    _ = try? message.issued(matching: Array(bytes.prefix(91)))
    return 0
}
