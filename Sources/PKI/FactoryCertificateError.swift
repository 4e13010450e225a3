/// Why factory certificates could not be minted: the CA pair is unusable, or one device's CSR was refused.
public enum FactoryCertificateError: Error, Sendable, CustomStringConvertible {
    case authority(PKIError)
    case device(index: Int, IssuanceError)

    public var description: String {
        switch self {
        case .authority(let e): return "the bootstrap CA cannot sign: \(e)"
        case .device(let i, let e): return "device \(i): its factory certificate could not be minted: \(e)"
        }
    }
}
