import Metrics

extension TLSFacts {
    /// The console line of a run's (or a merge's) TLS facts: `tls: 1000 handshake(s) TLSv1.3 1000,
    /// 0 resumed, 0 HelloRetryRequest(s); 1000 connection(s) open at the stop`.
    var consoleLine: String {
        "tls: \(handshakes) handshake(s) \(versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")), "
            + "\(resumed) resumed, \(helloRetryRequests) HelloRetryRequest(s)"
            + (openAtStop.map { "; \($0) connection(s) open at the stop" } ?? "")
    }
}
