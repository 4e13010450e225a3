import COpenSSL

/// The TLS protocol versions estbench negotiates.
public enum TLSVersion: String, Sendable, CaseIterable {
    case tls12 = "TLSv1.2"
    case tls13 = "TLSv1.3"

    var protocolVersion: Int32 { self == .tls12 ? TLS1_2_VERSION : TLS1_3_VERSION }
}
