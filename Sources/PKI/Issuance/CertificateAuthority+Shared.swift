import Glibc

/// One CA directory shared by several processes started at once (several `estbench serve` on
/// different ports with one `--ca-dir`, so that clients trusting its cacerts.pem trust them all).
extension CertificateAuthority {
    /// The lock file inside a CA directory; it holds nothing.
    static let lockFile = ".lock"

    /// The CA saved in `directory`, or — when it holds none (no root.pem) — a new one made with
    /// `options` and saved there. The look and the save happen under an exclusive lock on
    /// DIRECTORY/.lock (`flock`), held until every file is in place: of processes started together
    /// on one new directory the first creates the CA and the others wait and load that one, never
    /// a half-written directory nor a CA of their own. `directory` is created (mode 0700) when
    /// missing; its parent must exist. A directory that already holds a complete CA is only read.
    public static func loadOrCreate(in directory: String, options: Options)
        throws(CertificateAuthorityError) -> (authority: CertificateAuthority, created: Bool) {
        // A complete CA (server.pem is the last file `save` writes) loads without the lock, so a
        // directory this process may only read still works.
        if access(directory + "/" + serverFiles.certificate, F_OK) == 0 {
            return (try load(from: directory), false)
        }
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw .cannotWrite(path: directory, reason: String(cString: strerror(errno)))
        }
        let lockPath = directory + "/" + lockFile
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 { throw .cannotWrite(path: lockPath, reason: String(cString: strerror(errno))) }
        defer { close(fd) }  // closing the only descriptor of this open file releases the lock
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw .cannotWrite(path: lockPath, reason: "cannot lock: " + String(cString: strerror(errno))) }
        }
        if access(directory + "/" + rootFiles.certificate, F_OK) == 0 {
            return (try load(from: directory), false)
        }
        let authority: CertificateAuthority
        do { authority = try CertificateAuthority(options: options) } catch { throw .cannotCreate(error) }
        try authority.save(to: directory)
        return (authority, true)
    }
}
