/// The monotonic timestamps (ns, `uv_hrtime`) one operation collects on its way; 0 means "did not happen".
/// A plain value filled in by the engine and handed to `OperationMetrics.record` once the operation ends.
public struct OperationPhaseStamps: Sendable, Equatable {
    /// Intended start from the open-model schedule (a pass's first operation); 0: the operation had
    /// none (closed model, later steps of a pass) — latency then counts from `startNs` and no start
    /// lag is recorded.
    public var scheduledNs: UInt64
    /// When the engine actually began the operation.
    public var startNs: UInt64
    /// TCP connect began (0 on a reused connection).
    public var connectStartNs: UInt64
    /// TCP connected (0 on a reused connection).
    public var connectedNs: UInt64
    /// TLS handshake finished (0 on a reused connection).
    public var tlsDoneNs: UInt64
    /// CSR signing began after the handshake (channel binding only).
    public var signStartNs: UInt64
    /// CSR signing finished (channel binding only).
    public var signDoneNs: UInt64
    /// Last request byte flushed.
    public var writtenNs: UInt64
    /// First response byte read.
    public var firstByteNs: UInt64
    /// Operation ended: response complete, or the failure was detected (timeout, connect or TLS error).
    public var completeNs: UInt64

    public init(
        scheduledNs: UInt64 = 0, startNs: UInt64 = 0,
        connectStartNs: UInt64 = 0, connectedNs: UInt64 = 0, tlsDoneNs: UInt64 = 0,
        signStartNs: UInt64 = 0, signDoneNs: UInt64 = 0,
        writtenNs: UInt64 = 0, firstByteNs: UInt64 = 0, completeNs: UInt64 = 0
    ) {
        self.scheduledNs = scheduledNs
        self.startNs = startNs
        self.connectStartNs = connectStartNs
        self.connectedNs = connectedNs
        self.tlsDoneNs = tlsDoneNs
        self.signStartNs = signStartNs
        self.signDoneNs = signDoneNs
        self.writtenNs = writtenNs
        self.firstByteNs = firstByteNs
        self.completeNs = completeNs
    }

    /// Duration of `phase` in ns, or nil when the phase did not happen (e.g. connect/tls on a reused connection).
    @inlinable
    public func durationNs(_ phase: Phase) -> UInt64? {
        switch phase {
        case .connect: Self.span(connectStartNs, connectedNs)
        case .tls: Self.span(connectedNs, tlsDoneNs)
        case .signing: Self.span(signStartNs, signDoneNs)
        case .requestWritten: Self.span(requestReadyNs, writtenNs)
        case .firstByte: Self.span(writtenNs, firstByteNs)
        case .complete: Self.span(firstByteNs, completeNs)
        case .total: correctedTotalNs
        }
    }

    /// Intended start → end: the coordinated-omission-corrected latency.
    @inlinable
    public var correctedTotalNs: UInt64? {
        Self.span(scheduledNs != 0 ? scheduledNs : startNs, completeNs)
    }

    /// Actual start → end: the uncorrected latency, kept beside the corrected one.
    @inlinable
    public var uncorrectedTotalNs: UInt64? { Self.span(startNs, completeNs) }

    /// How far the actual start lagged the intended one (open-model schedule lag); nil without an intended start.
    @inlinable
    public var startLagNs: UInt64? {
        guard scheduledNs != 0 else { return nil }
        return Self.span(scheduledNs, startNs)
    }

    /// When the request could start being written: after signing, else after TLS, else at the start.
    @inlinable
    var requestReadyNs: UInt64 {
        signDoneNs != 0 ? signDoneNs : (tlsDoneNs != 0 ? tlsDoneNs : startNs)
    }

    @inlinable
    static func span(_ fromNs: UInt64, _ toNs: UInt64) -> UInt64? {
        guard fromNs != 0, toNs != 0 else { return nil }
        return toNs >= fromNs ? toNs - fromNs : 0
    }
}
