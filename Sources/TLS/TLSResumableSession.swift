import COpenSSL

/// A session a client may resume (TLS 1.2 session id or ticket, TLS 1.3 ticket): owns one
/// reference to an `SSL_SESSION`. Immutable; may be handed to a later connection on any thread.
public final class TLSResumableSession: @unchecked Sendable {
    let session: OpaquePointer

    /// Takes ownership of one reference.
    init(taking session: OpaquePointer) { self.session = session }

    deinit { SSL_SESSION_free(session) }

    /// Whether OpenSSL would offer it (not expired, resumable).
    public var isResumable: Bool { SSL_SESSION_is_resumable(session) == 1 }
}
