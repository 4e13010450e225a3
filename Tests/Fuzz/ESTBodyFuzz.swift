import EST
import PKI

/// libFuzzer target: the EST body codec (RFC 8951 lenient base64: 64/76 columns, LF/CRLF, NULs)
/// and the certs-only body it usually carries; what decodes must re-encode and decode the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzESTBody(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let der = try? ESTBody.decode(bytes) {
        precondition((try? ESTBody.decode(ESTBody.encode(der))) == der, "base64 round trip")
    }
    _ = try? CertsOnly.decoding(estBody: bytes)
    return 0
}
