import Foundation

/// The estbench process's memory, as the kernel sees it.
public enum ProcessMemory {
    /// Peak resident set size so far, bytes (`getrusage`).
    public static var peakRSSBytes: UInt64 {
        var usage = rusage()
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return UInt64(max(0, usage.ru_maxrss)) * 1024
    }

    /// Resident set size now, bytes (`/proc/self/statm`, in pages; 0 where it cannot be read).
    public static var currentRSSBytes: UInt64 {
        // Not Linux, or /proc not mounted: the figure is unknown and reported as 0, the run goes on.
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = UInt64(fields[1]) else { return 0 }
        return pages * UInt64(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Gives the allocator's free pages back to the kernel (glibc's `malloc_trim`, looked up at run
    /// time: other C libraries have none, and then this does nothing).
    static func trimHeap() {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        typealias MallocTrim = @convention(c) (Int) -> Int32
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
    }
}

/// When to give freed heap back after a burst of TLS handshakes. A handshake in flight holds about
/// 40 KiB of OpenSSL state that an established connection does not (handshake buffer, record
/// buffers, key shares); after 10,000 devices connect at once the allocator keeps those pages, and
/// the tool's resident size would stay at the storm's peak for the rest of the run. Once the
/// handshake count has grown by `burst` or more and then stood still for a tick, trim once.
struct HeapTrimPolicy {
    let burst: Int
    private var atLastTrim = 0
    private var atLastTick = 0

    init(burst: Int = 512) { self.burst = burst }

    /// Called once per tick with the handshakes completed so far: true when the heap should be trimmed now.
    mutating func tick(handshakes: Int) -> Bool {
        defer { atLastTick = handshakes }
        guard handshakes == atLastTick, handshakes - atLastTrim >= burst else { return false }
        atLastTrim = handshakes
        return true
    }
}
