/// One device as a fleet keeps it: its key, the CSR it enrolls and re-enrolls with, and the
/// certificate it was issued (nil: it never got one, and enrolls first when loaded).
public struct FleetDevice: Sendable {
    public let index: Int
    public let key: PrivateKey
    public let csr: [UInt8]
    public let certificate: [UInt8]?

    public init(index: Int, key: PrivateKey, csr: [UInt8], certificate: [UInt8]?) {
        self.index = index
        self.key = key
        self.csr = csr
        self.certificate = certificate
    }
}
