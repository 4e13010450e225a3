import Glibc

/// Files that hold secrets: written to a temporary file created with mode 0600 beside the target,
/// synced, then renamed into place — a failure leaves nothing half-written behind.
public final class PrivateFileWriter {
    public let path: String
    private let temporaryPath: String
    private var fd: Int32
    private var committed = false

    /// Errors name the path and the system's reason.
    public init(path: String) throws(PoolFileError) {
        self.path = path
        temporaryPath = path + ".tmp-\(getpid())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 { throw .cannotWrite(path: path, reason: PrivateFileWriter.errorText()) }
        // umask may only clear bits; make sure of 0600 whatever it is.
        if fchmod(fd, 0o600) != 0 {
            let reason = PrivateFileWriter.errorText()
            close(fd)
            unlink(temporaryPath)
            fd = -1
            committed = true  // nothing left to clean up in deinit
            throw .cannotWrite(path: path, reason: "cannot set mode 0600: \(reason)")
        }
    }

    deinit {
        if !committed {
            if fd >= 0 { close(fd) }
            unlink(temporaryPath)
        }
    }

    public func write(_ bytes: [UInt8]) throws(PoolFileError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(PoolFileError) in try write(raw) } }.get()
    }

    public func write(_ raw: UnsafeRawBufferPointer) throws(PoolFileError) {
        var offset = 0
        while offset < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(path: path, reason: PrivateFileWriter.errorText())
            }
            offset += n
        }
    }

    /// Syncs and renames into place.
    public func commit() throws(PoolFileError) {
        let synced = fsync(fd) == 0
        let syncError = synced ? "" : PrivateFileWriter.errorText()
        let closed = close(fd) == 0
        fd = -1
        if !synced || !closed {
            throw .cannotWrite(path: path, reason: synced ? PrivateFileWriter.errorText() : syncError)
        }
        if rename(temporaryPath, path) != 0 {
            throw .cannotWrite(path: path, reason: PrivateFileWriter.errorText())
        }
        committed = true
    }

    static func errorText() -> String { String(cString: strerror(errno)) }

    /// The whole content of a file.
    public static func readAll(path: String) throws(PoolFileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .cannotRead(path: path, reason: errorText()) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw .cannotRead(path: path, reason: errorText()) }
        if st.st_mode & S_IFMT == S_IFDIR { throw .cannotRead(path: path, reason: "is a directory") }
        var out = [UInt8](repeating: 0, count: Int(st.st_size))
        var offset = 0
        while offset < out.count {
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, reason: errorText())
            }
            if n == 0 { break }
            offset += n
        }
        if offset < out.count { out.removeSubrange(offset...) }
        return out
    }
}
