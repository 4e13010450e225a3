/// Factory (IDevID-like) certificates for a pool's devices, minted from a bootstrap CA on all cores
/// before the clock starts: each carries its device's public key and its CSR's subject and SAN,
/// signed with the CA key by our DER encoder (a `CertificateIssuer` per thread).
public enum FactoryCertificates {
    /// One certificate (DER) per CSR, in order. Fails with the first device whose CSR was refused,
    /// or when the key is not the CA certificate's.
    public static func mint(csrs: ArraySlice<ArraySlice<UInt8>>, caCertificate: [UInt8], caKey: PrivateKey, validityDays: Int,
                            threads: Int) throws(FactoryCertificateError) -> [[UInt8]] {
        let count = csrs.count
        guard count > 0 else { return [] }
        // The CA pair is checked once here, so a mismatch is named as such and not per device.
        do { _ = try CertificateIssuer(caCertificate: caCertificate, caKey: caKey, validityDays: validityDays) } catch {
            throw .authority(error)
        }
        let base = csrs.startIndex
        let threadCount = max(1, min(threads, count))
        let shares = WorkerThreads.run(count: threadCount) { t -> Result<[[UInt8]], FactoryCertificateError> in
            Result { () throws(FactoryCertificateError) -> [[UInt8]] in
                let range = share(of: count, thread: t, of: threadCount)
                let issuer: CertificateIssuer
                do throws(PKIError) { issuer = try CertificateIssuer(caCertificate: caCertificate, caKey: caKey, validityDays: validityDays) } catch {
                    throw .authority(error)
                }
                var out: [[UInt8]] = []
                out.reserveCapacity(range.count)
                for i in range {
                    do throws(IssuanceError) { out.append(Array(try issuer.issue(csr: csrs[base + i]).certificate)) } catch { throw .device(index: base + i, error) }
                }
                return out
            }
        }
        var certificates: [[UInt8]] = []
        certificates.reserveCapacity(count)
        for result in shares { certificates += try result.get() }
        return certificates
    }
}
