import DER
import EventLoop

/// Devices a run enrolled, kept for a later run (a renewal wave months on): each device's key, CSR
/// and issued certificate, and the CA chain they were issued under. Written by `run --save-fleet`
/// (mode 0600: it holds private keys), read by `devices.fleet` and `fleet inspect`.
///
/// The file is text: a `estbench fleet 1` line, a `chain` section of PEM certificates, then per
/// device a `device <i>` line followed by its PEM PRIVATE KEY (PKCS#8), CERTIFICATE REQUEST and,
/// when it has one, CERTIFICATE — readable with openssl tools.
public struct Fleet: Sendable {
    public var devices: [FleetDevice]
    /// The CA certificates (DER) the devices' certificates chain to, issuing CA first.
    public var chain: [[UInt8]]

    static let magic = "estbench fleet 1"

    public init(devices: [FleetDevice], chain: [[UInt8]]) {
        self.devices = devices
        self.chain = chain
    }

    /// Writes the fleet atomically, mode 0600.
    public func write(path: String) throws(FleetError) {
        let file: PrivateFileWriter
        do { file = try PrivateFileWriter(path: path) } catch { throw .cannotWrite(path: path, reason: "\(error)") }
        var text = Fleet.magic + "\nchain\n"
        for certificate in chain { text += PEM.encode(certificate, label: "CERTIFICATE") }
        do {
            for device in devices {
                text += "device \(device.index)\n"
                text += PEM.encode(try device.key.pkcs8(), label: "PRIVATE KEY")
                text += PEM.encode(device.csr, label: "CERTIFICATE REQUEST")
                if let certificate = device.certificate { text += PEM.encode(certificate, label: "CERTIFICATE") }
                if text.utf8.count > 1 << 20 {
                    try file.write(Array(text.utf8))
                    text = ""
                }
            }
            try file.write(Array(text.utf8))
            try file.commit()
        } catch let error as PoolFileError {
            throw .cannotWrite(path: path, reason: "\(error)")
        } catch {
            throw .cannotWrite(path: path, reason: "a device key cannot be encoded: \(error)")
        }
    }

    /// Reads a fleet file; keys are decoded on all cores and each checked against its CSR.
    public static func load(path: String, threads: Int = WorkerThreads.coreCount) throws(FleetError) -> Fleet {
        let bytes: [UInt8]
        do { bytes = try PrivateFileWriter.readAll(path: path) } catch { throw .cannotRead(path: path, reason: "\(error)") }
        let text = String(decoding: bytes, as: UTF8.self)
        var sections: [(header: Substring, body: [Substring])] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        guard lines.first.map({ $0.trimmingTrailingCR() == magic }) == true else {
            throw .malformed(path: path, reason: "the first line is not \"\(magic)\"; not an estbench fleet file (made by run --save-fleet)")
        }
        lines = lines.dropFirst()
        for line in lines {
            let l = line.trimmingTrailingCR()
            if l == "chain" || l.hasPrefix("device ") {
                sections.append((l, []))
            } else if !sections.isEmpty {
                sections[sections.count - 1].body.append(l)
            } else if !l.isEmpty {
                throw .malformed(path: path, reason: "text before the chain section: \"\(l.prefix(40))\"")
            }
        }
        var chain: [[UInt8]] = []
        var raw: [(index: Int, key: [UInt8], csr: [UInt8], certificate: [UInt8]?)] = []
        for section in sections {
            let body = section.body.joined(separator: "\n")
            if section.header == "chain" {
                do { chain = try PEM.decodeAll(body, label: "CERTIFICATE") } catch { throw .malformed(path: path, reason: "chain: \(error)") }
                continue
            }
            guard let index = Int(section.header.dropFirst("device ".count)), index >= 0 else {
                throw .malformed(path: path, reason: "\"\(section.header)\": expected \"device <index>\"")
            }
            do {
                let keys = try PEM.decodeAll(body, label: "PRIVATE KEY")
                let csrs = try PEM.decodeAll(body, label: "CERTIFICATE REQUEST")
                let certificates = try PEM.decodeAll(body, label: "CERTIFICATE")
                guard keys.count == 1, csrs.count == 1, certificates.count <= 1 else {
                    throw FleetError.malformed(path: path, reason: "device \(index): expected one PRIVATE KEY, one CERTIFICATE REQUEST and at most one CERTIFICATE; "
                                               + "found \(keys.count), \(csrs.count) and \(certificates.count)")
                }
                raw.append((index, keys[0], csrs[0], certificates.first))
            } catch let error as FleetError {
                throw error
            } catch {
                throw .malformed(path: path, reason: "device \(index): \(error)")
            }
        }
        let count = raw.count
        let threadCount = max(1, min(threads, count))
        let entries = raw
        let shares = WorkerThreads.run(count: threadCount) { t -> Result<[FleetDevice], FleetError> in
            Result { () throws(FleetError) -> [FleetDevice] in
                var out: [FleetDevice] = []
                for i in share(of: count, thread: t, of: threadCount) {
                    let entry = entries[i]
                    let key: PrivateKey
                    do throws(PKIError) { key = try PrivateKey.load(der: entry.key) } catch {
                        throw .malformed(path: path, reason: "device \(entry.index): the key does not load: \(error)")
                    }
                    let matches: Bool
                    do throws(DERError) {
                        matches = DERElement.bytesEqual(try CSRView(der: entry.csr[...]).publicKeyInfo, key.publicKeyInfo[...])
                    } catch {
                        throw .malformed(path: path, reason: "device \(entry.index): the CSR is not valid DER: \(error)")
                    }
                    guard matches else { throw .malformed(path: path, reason: "device \(entry.index): the key is not the CSR's") }
                    out.append(FleetDevice(index: entry.index, key: key, csr: entry.csr, certificate: entry.certificate))
                }
                return out
            }
        }
        var devices: [FleetDevice] = []
        devices.reserveCapacity(count)
        for result in shares { devices += try result.get() }
        return Fleet(devices: devices, chain: chain)
    }

    /// The fleet as a device pool (device i of a run is the fleet's i-th device), with certificates.
    public func pool(loadNs: UInt64 = 0) throws(FleetError) -> CSRPool {
        let keyType = devices.first?.key.type ?? .p256
        let template: CSRTemplate
        do { template = try CSRTemplate(commonName: "fleet-{i}") } catch { throw .malformed(path: "", reason: "\(error)") }
        return CSRPool(header: PoolFile.Header(keyType: keyType, sharedKey: false, count: devices.count, template: template),
                       csrs: devices.map { $0.csr[...] }, keys: devices.map(\.key), loadNs: loadNs, certificates: devices.map(\.certificate))
    }
}

extension Substring {
    /// The line without a CR left by CRLF line ends.
    fileprivate func trimmingTrailingCR() -> Substring { hasSuffix("\r") ? dropLast() : self }
}
