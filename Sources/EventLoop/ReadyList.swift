/// Work that begins on the loop's next iteration, after I/O: a completion handler appends what
/// should run next instead of running it (so a failure that happens synchronously cannot recurse
/// into the next unit of work, however many follow). One `Idle` runs each turn, started only while
/// the list is not empty. Elements appended during a turn wait for the next one. Loop thread only.
/// Inlinable: each user runs it specialized for its element type (generic, a turn cost ~1,700
/// instructions of metadata and witness calls, a few hundred per keep-alive operation).
public final class ReadyList<Element> {
    // Exclusivity unchecked (see `Loop`): loop thread only; `append` and `runTurn` modify `pending`
    // only in place (an append, a swap) and never while a handler runs; `turn` is iterated from a copy.
    @exclusivity(unchecked) @usableFromInline var pending: [Element] = []
    @exclusivity(unchecked) @usableFromInline var turn: [Element] = []
    @usableFromInline let idle: Idle
    /// Runs once per element per turn.
    public var handler: (Element) -> Void
    /// Runs after a turn that left the list empty.
    public var drained: () -> Void = {}

    @inlinable public init(loop: Loop, handler: @escaping (Element) -> Void) throws(UVError) {
        self.handler = handler
        idle = try Idle(loop: loop) {}
        idle.handler = { [weak self] in self?.runTurn() }
    }

    /// `element` runs on the next turn. False once the list is closed (nothing runs any more).
    @discardableResult
    @inlinable public func append(_ element: Element) -> Bool {
        guard !idle.isClosing else { return false }
        pending.append(element)
        if pending.count == 1 {
            // uv_idle_start fails only on a closing handle, ruled out above.
            do { try idle.start() } catch { preconditionFailure("ready list: \(error)") }
        }
        return true
    }

    @inlinable public var isEmpty: Bool { pending.isEmpty }

    /// Stops running turns and closes the idle handle (idempotent).
    public func close() { idle.close() }

    @inlinable func runTurn() {
        swap(&pending, &turn)
        for element in turn { handler(element) }
        turn.removeAll(keepingCapacity: true)
        if pending.isEmpty {
            idle.stop()
            drained()
        }
    }
}
