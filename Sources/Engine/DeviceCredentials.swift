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
    /// The fullcmc request body (the CSR in a signed Full PKI Request), made on first use.
    var fullCMCBody: [UInt8]?
    /// The CSR's subject (DER Name), to compare with what the CA issued.
    let requestedSubject: [UInt8]
    /// The device's own bootstrap identity (factory-minted or from a directory), presented until it
    /// holds `certificate`; nil: the run's shared one, if any.
    var bootstrap: (chain: [[UInt8]], key: PrivateKey)?
    /// The device's own `Authorization` field line (per-device Basic credentials); empty: none or shared.
    var authorization: [UInt8] = []

    /// Fails when the pool's CSR does not parse (a damaged pool file).
    init(index: Int, key: PrivateKey, csr: ArraySlice<UInt8>) throws {
        self.index = index
        self.key = key
        csrBody = ESTBody.encode(csr)
        requestedSubject = Array(try CSRView(der: csr).subject)
    }
}
