import EST
import PKI

/// What one virtual device owns: its key and CSR (from the pool, made before the clock starts) and
/// the certificate it was last issued (for re-enrollment as its TLS client certificate).
final class DeviceCredentials {
    let index: Int
    let key: PrivateKey
    /// The CSR body as sent: base64 of the DER, 64 columns, final newline.
    let csrBody: [UInt8]
    var certificate: [UInt8]?
    /// The CSR's subject (DER Name), to compare with what the CA issued.
    let requestedSubject: [UInt8]

    init(index: Int, key: PrivateKey, csr: ArraySlice<UInt8>) {
        self.index = index
        self.key = key
        csrBody = ESTBody.encode(csr)
        requestedSubject = (try? CSRView(der: csr)).map { Array($0.subject) } ?? []
    }
}
