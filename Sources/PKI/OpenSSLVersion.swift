import COpenSSL

/// The OpenSSL library this process runs with, for results and benchmark output.
public enum OpenSSLVersion {
    public static var text: String { String(cString: OpenSSL_version(OPENSSL_VERSION)) }
}
