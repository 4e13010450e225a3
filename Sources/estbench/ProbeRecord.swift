/// One request of `estbench probe`: its phase timestamps (ns, `uv_hrtime`), outcome and what TLS negotiated.
struct ProbeRecord {
    let index: Int
    var startNs: UInt64 = 0
    var connectStartNs: UInt64 = 0
    var connectedNs: UInt64 = 0
    var handshakeDoneNs: UInt64 = 0
    var writtenNs: UInt64 = 0
    var firstByteNs: UInt64 = 0
    var completeNs: UInt64 = 0
    var newConnection = false
    var status: Int?
    var bodyBytes = 0
    var error: String?
    var tlsVersion = ""
    var cipher = ""
    var group = ""
    var resumed = false
    var helloRetryRequest = false

    init(index: Int) { self.index = index }

    var connectNs: UInt64? { newConnection && connectedNs > 0 ? connectedNs - connectStartNs : nil }
    var tlsNs: UInt64? { newConnection && handshakeDoneNs > 0 ? handshakeDoneNs - connectedNs : nil }
    /// Request written to first response byte: the server's time plus the network.
    var firstByteNs_: UInt64? { firstByteNs > 0 && writtenNs > 0 ? firstByteNs - writtenNs : nil }
    /// First byte to last byte of the response.
    var transferNs: UInt64? { completeNs > 0 && firstByteNs > 0 ? completeNs - firstByteNs : nil }
    var totalNs: UInt64? { completeNs > 0 ? completeNs - startNs : nil }

    static func ms(_ ns: UInt64?) -> String {
        guard let ns else { return "-" }
        return Format.fixed(Double(ns) / 1e6, 2) + " ms"
    }

    var line: String {
        let head = Format.padded("#\(index + 1)", 6) + Format.padded(status.map(String.init) ?? "ERR", 5)
        if let error, status == nil {
            return head + error
        }
        var s = head
        s += "connect " + Format.padded(Self.ms(connectNs), 10, right: true)
        s += "  tls " + Format.padded(Self.ms(tlsNs), 10, right: true)
        s += "  first byte " + Format.padded(Self.ms(firstByteNs_), 10, right: true)
        s += "  complete " + Format.padded(Self.ms(transferNs), 10, right: true)
        s += "  total " + Format.padded(Self.ms(totalNs), 10, right: true)
        s += "  \(tlsVersion) \(cipher) \(group)"
        s += newConnection ? (resumed ? " resumed" : " new") : " reused"
        if helloRetryRequest { s += " HRR" }
        s += "  \(bodyBytes) B"
        if let error { s += "  (\(error))" }
        return s
    }
}
