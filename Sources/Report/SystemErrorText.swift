#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An errno value as a user reads it: the system's text, lower-cased, and the symbolic name —
/// "no space left on device (ENOSPC)", "file too large (EFBIG)", "input/output error (EIO)".
public enum SystemErrorText {
    public static func describe(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        let lowered = text.prefix(1).lowercased() + text.dropFirst()
        return name(code).map { "\(lowered) (\($0))" } ?? "\(lowered) (errno \(code))"
    }

    /// The symbolic names of the errors a results folder meets; nil for others.
    public static func name(_ code: Int32) -> String? {
        switch code {
        case ENOSPC: "ENOSPC"
        case EFBIG: "EFBIG"
        case EIO: "EIO"
        case EDQUOT: "EDQUOT"
        case EROFS: "EROFS"
        case EACCES: "EACCES"
        case EPERM: "EPERM"
        case ENOENT: "ENOENT"
        case ENOTDIR: "ENOTDIR"
        case EISDIR: "EISDIR"
        case EEXIST: "EEXIST"
        case EMFILE: "EMFILE"
        case ENFILE: "ENFILE"
        case ENAMETOOLONG: "ENAMETOOLONG"
        case EINTR: "EINTR"
        default: nil
        }
    }
}
