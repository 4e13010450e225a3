import COpenSSL
import DER
import Glibc

/// A CA as a directory: `root.pem` + `root.key`, optionally `intermediate.pem` + `intermediate.key`,
/// `server.pem` + `server.key`. Certificates are PEM (mode 0644); keys are unencrypted PKCS#8 PEM,
/// created with mode 0600. Every file is written beside its place and renamed into it.
extension CertificateAuthority {
    static let rootFiles = (certificate: "root.pem", key: "root.key")
    static let intermediateFiles = (certificate: "intermediate.pem", key: "intermediate.key")
    static let serverFiles = (certificate: "server.pem", key: "server.key")

    /// Writes the CA into `directory` (created with mode 0700 when missing).
    public func save(to directory: String) throws(CertificateAuthorityError) {
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw .cannotWrite(path: directory, reason: String(cString: strerror(errno)))
        }
        func path(_ name: String) -> String { directory + "/" + name }
        try CertificateAuthority.write(certificate: root, key: rootKey, paths: CertificateAuthority.rootFiles, in: path)
        if let intermediate {
            try CertificateAuthority.write(certificate: intermediate, key: issuingKey,
                                           paths: CertificateAuthority.intermediateFiles, in: path)
        } else {
            // A root-only CA must not load back with an intermediate left by an earlier save.
            for name in [CertificateAuthority.intermediateFiles.certificate, CertificateAuthority.intermediateFiles.key]
            where unlink(path(name)) != 0 && errno != ENOENT {
                throw .cannotWrite(path: path(name), reason: String(cString: strerror(errno)))
            }
        }
        try CertificateAuthority.write(certificate: serverCertificate, key: serverKey, paths: CertificateAuthority.serverFiles, in: path)
    }

    /// Reads a CA saved by `save(to:)`, checking that every key is private to its owner (no group or
    /// other bits) and matches its certificate.
    public static func load(from directory: String) throws(CertificateAuthorityError) -> CertificateAuthority {
        func path(_ name: String) -> String { directory + "/" + name }
        let (root, rootKey) = try readPair(rootFiles, in: path)
        let (server, serverKey) = try readPair(serverFiles, in: path)
        let certificatePath = path(intermediateFiles.certificate), keyPath = path(intermediateFiles.key)
        var intermediate: [UInt8]?
        var issuingKey = rootKey
        switch (access(certificatePath, F_OK) == 0, access(keyPath, F_OK) == 0) {
        case (true, true):
            let pair = try readPair(intermediateFiles, in: path)
            intermediate = pair.certificate
            issuingKey = pair.key
        case (true, false): throw .incompletePair(present: certificatePath, missing: keyPath)
        case (false, true): throw .incompletePair(present: keyPath, missing: certificatePath)
        case (false, false): break
        }
        return CertificateAuthority(root: root, rootKey: rootKey, intermediate: intermediate, issuingKey: issuingKey,
                                    serverCertificate: server, serverKey: serverKey)
    }

    private static func write(certificate: [UInt8], key: PrivateKey, paths: (certificate: String, key: String),
                              in path: (String) -> String) throws(CertificateAuthorityError) {
        var der: [UInt8]
        do { der = try key.pkcs8() } catch { throw .keyExport(error) }
        defer { der.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        var pem = Array("-----BEGIN PRIVATE KEY-----\n".utf8) + Base64.encode(der) + Array("-----END PRIVATE KEY-----\n".utf8)
        defer { pem.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        try writeFile(path(paths.key), pem, mode: 0o600)
        try writeFile(path(paths.certificate), Array(PEM.encode(certificate, label: "CERTIFICATE").utf8), mode: 0o644)
    }

    /// Written 0600 from the start (`PrivateFileWriter`), then opened up to `mode` for certificates.
    private static func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(CertificateAuthorityError) {
        do {
            let file = try PrivateFileWriter(path: path)
            try file.write(bytes)
            try file.commit()
        } catch {
            switch error {
            case .cannotWrite(_, let reason): throw .cannotWrite(path: path, reason: reason)
            default: throw .cannotWrite(path: path, reason: "\(error)")
            }
        }
        if mode != 0o600 && chmod(path, mode) != 0 {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    private static func readPair(_ paths: (certificate: String, key: String),
                                 in path: (String) -> String) throws(CertificateAuthorityError) -> (certificate: [UInt8], key: PrivateKey) {
        let certificatePath = path(paths.certificate), keyPath = path(paths.key)
        let text: [UInt8]
        do { text = try PrivateFileWriter.readAll(path: certificatePath) } catch {
            switch error {
            case .cannotRead(_, let reason): throw .cannotRead(path: certificatePath, reason: reason)
            default: throw .cannotRead(path: certificatePath, reason: "\(error)")
            }
        }
        guard let der = (try? PEM.decodeAll(String(decoding: text, as: UTF8.self), label: "CERTIFICATE"))?.first else {
            throw .noCertificate(path: certificatePath)
        }
        let view: CertificateView
        do { view = try CertificateView(der: der[...]) } catch { throw .malformedCertificate(path: certificatePath, error) }
        var status = stat()
        if stat(keyPath, &status) == 0 && status.st_mode & 0o077 != 0 {
            throw .keyExposed(path: keyPath, mode: UInt32(status.st_mode & 0o777))
        }
        let key: PrivateKey
        do { key = try PrivateKey.load(pemFile: keyPath) } catch { throw .unreadableKey(path: keyPath, error) }
        guard DERElement.bytesEqual(view.publicKeyInfo, key.publicKeyInfo[...]) else {
            throw .keyMismatch(keyPath: keyPath, certificatePath: certificatePath)
        }
        return (der, key)
    }
}
