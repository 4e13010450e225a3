/// An EST operation by its RFC 7030 name, as a profile names it; local to Workload so the module
/// stands alone (the engine maps it onto its own operation type).
public enum WorkloadOperation: String, CaseIterable, Sendable, Codable, Hashable {
    case cacerts, simpleenroll, simplereenroll, fullcmc, serverkeygen, csrattrs

    /// Operations that leave the device holding a certificate it can later renew.
    public var issuesCertificate: Bool {
        switch self {
        case .simpleenroll, .simplereenroll, .fullcmc, .serverkeygen: return true
        case .cacerts, .csrattrs: return false
        }
    }
}
