#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-descriptor limit (`RLIMIT_NOFILE`). Every connection is a descriptor and the
/// usual soft default (1024) is far below what a load test or a server under load holds, so both
/// sides raise the soft limit to the hard one at start.
public enum DescriptorLimit {
    /// Raises the soft limit to the hard limit (a no-op when it already is, or when the kernel
    /// refuses: the limit in force stays) and returns the soft limit in force afterwards.
    @discardableResult
    public static func raiseSoftToHard() -> Int {
        var limit = rlimit()
        guard getrlimit(resourceNOFILE, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            // Refused (e.g. a hard limit above the kernel's nr_open): the old soft limit stays valid.
            if setrlimit(resourceNOFILE, &raised) == 0 { limit = raised }
        }
        return clamp(limit.rlim_cur)
    }

    /// The soft limit in force.
    public static var current: Int {
        var limit = rlimit()
        guard getrlimit(resourceNOFILE, &limit) == 0 else { return 1024 }
        return clamp(limit.rlim_cur)
    }

    /// The hard limit: how far the soft one can be raised without privilege.
    public static var hard: Int {
        var limit = rlimit()
        guard getrlimit(resourceNOFILE, &limit) == 0 else { return current }
        return clamp(limit.rlim_max)
    }

    /// RLIM_INFINITY (all bits set) and anything past Int32 read as Int32.max.
    private static func clamp(_ value: rlim_t) -> Int {
        value > rlim_t(Int32.max) ? Int(Int32.max) : Int(value)
    }

    #if canImport(Glibc)
    private static let resourceNOFILE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceNOFILE = RLIMIT_NOFILE
    #endif
}
