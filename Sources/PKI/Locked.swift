#if canImport(Glibc)
import Glibc
#endif

/// A value shared between threads behind a pthread mutex — estbench's one lock. Not
/// `Synchronization.Mutex`: on Linux it locks with raw futex calls that ThreadSanitizer cannot see,
/// so every access under it reads as a data race and `--sanitize=thread` cannot tell real races
/// from it. Owns its heap-allocated `pthread_mutex_t`, freed in `deinit`.
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init(_ value: Value) {
        self.value = value
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // A default mutex on memory we own: pthread_mutex_init cannot fail here (EINVAL needs bad attributes).
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, the lock held.
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
