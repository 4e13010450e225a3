import HTTP

/// libFuzzer target: the HTTP/1.1 request parser, fed the input whole and then split at a point
/// the first byte chooses (an incremental parser must agree with itself), reused after each request.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = HTTPLimits(headerBytes: 4096, headerCount: 32, bodyBytes: 8192)
    var whole = HTTPRequestParser(limits: limits)
    let first = parseAll(&whole, bytes[...])
    guard let split = bytes.first.map({ Int($0) % (bytes.count + 1) }) else { return 0 }
    var parts = HTTPRequestParser(limits: limits)
    var step = parts.feed(bytes[..<split])
    if case .needsInput = step { step = parts.feed(bytes[split...]) }
    if case .complete = first, case .needsInput = step { fatalError("split input did not complete") }
    return 0
}

/// Parses request after request (pipelining) until the input ends or fails.
private func parseAll(_ parser: inout HTTPRequestParser, _ input: ArraySlice<UInt8>) -> HTTPParseStep {
    var rest = input
    var firstStep = HTTPParseStep.needsInput
    var n = 0
    while true {
        let step = parser.feed(rest)
        if n == 0 { firstStep = step }
        n += 1
        guard case .complete(let consumed) = step else { return firstStep }
        _ = (parser.method, parser.target, parser.headers.value(named: "content-type"), parser.body.count, parser.keepAlive)
        precondition(consumed <= rest.count)
        rest = rest.dropFirst(consumed)
        parser.reset()
        if rest.isEmpty || n > 64 { return firstStep }
    }
}
