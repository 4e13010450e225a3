import HTTP

/// libFuzzer target: the HTTP/1.1 response parser (Content-Length, chunked, close-delimited,
/// interim responses), for a GET, POST or HEAD request as the first byte says; fed whole, then
/// split, then the end of the stream.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPResponse(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let method: HTTPMethod = [.get, .post, .head][Int(data[0]) % 3]
    let limits = HTTPLimits(headerBytes: 4096, headerCount: 32, bodyBytes: 16384)
    var whole = HTTPResponseParser(limits: limits, requestMethod: method)
    let first = whole.feed(bytes)
    if case .complete = first {
        _ = (whole.status, whole.reason, whole.headers.value(named: "content-type"), whole.body.count, whole.trailers.count)
    }
    let split = Int(data[0]) % (bytes.count + 1)
    var parts = HTTPResponseParser(limits: limits, requestMethod: method)
    var step = parts.feed(bytes[..<split])
    if case .needsInput = step { step = parts.feed(bytes[split...]) }
    if case .needsInput = step { _ = parts.finish() }
    return 0
}
