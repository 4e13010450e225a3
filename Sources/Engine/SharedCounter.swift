import Synchronization

/// One atomic counter, in a class so a fixed array of them can be shared between threads.
final class SharedCounter: Sendable {
    let count = Atomic<Int>(0)
}
