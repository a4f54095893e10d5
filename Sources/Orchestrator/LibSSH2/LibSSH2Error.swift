internal import CLibSSH2

/// A failed libssh2 call: the function, its return code and libssh2's own explanation.
///
/// Internal: it only ever reaches users as the `cause` of a ``ConnectionError`` or an ``AgentStreamError``.
struct LibSSH2Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// The libssh2 function that failed, for example `libssh2_session_handshake`.
    var function: String
    /// The `LIBSSH2_ERROR_*` code (negative), or a code this layer made up (see the static members).
    var code: Int32
    /// The text of `libssh2_session_last_error`, or this layer's explanation when libssh2 had none.
    var message: String

    /// The wait before the call could complete passed the caller's deadline.
    static let timedOutCode = LIBSSH2_ERROR_TIMEOUT
    /// The task waiting for the call was cancelled.
    static let cancelledCode: Int32 = -1000
    /// The session was disconnected, or left unusable by an earlier abandoned write.
    static let sessionClosedCode: Int32 = -1001

    var isTimeout: Bool { code == Self.timedOutCode }
    var isCancellation: Bool { code == Self.cancelledCode }

    /// True when the error means the transport underneath is gone (the peer closed, reset or vanished).
    var isConnectionLoss: Bool {
        switch code {
        case LIBSSH2_ERROR_SOCKET_DISCONNECT, LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_SOCKET_SEND,
            LIBSSH2_ERROR_SOCKET_TIMEOUT, LIBSSH2_ERROR_BAD_SOCKET, LIBSSH2_ERROR_BANNER_RECV,
            LIBSSH2_ERROR_BANNER_SEND, Self.sessionClosedCode:
            true
        default:
            false
        }
    }

    /// The symbolic name of the code, for example `LIBSSH2_ERROR_SOCKET_DISCONNECT`.
    var codeName: String { Self.names[code] ?? "error \(code)" }

    var description: String {
        let text = message.isEmpty ? "" : ": \(message)"
        return "\(function) failed with \(codeName) (\(code))\(text)"
    }

    private static let names: [Int32: String] = [
        LIBSSH2_ERROR_SOCKET_NONE: "LIBSSH2_ERROR_SOCKET_NONE",
        LIBSSH2_ERROR_BANNER_RECV: "LIBSSH2_ERROR_BANNER_RECV",
        LIBSSH2_ERROR_BANNER_SEND: "LIBSSH2_ERROR_BANNER_SEND",
        LIBSSH2_ERROR_INVALID_MAC: "LIBSSH2_ERROR_INVALID_MAC",
        LIBSSH2_ERROR_KEX_FAILURE: "LIBSSH2_ERROR_KEX_FAILURE",
        LIBSSH2_ERROR_ALLOC: "LIBSSH2_ERROR_ALLOC",
        LIBSSH2_ERROR_SOCKET_SEND: "LIBSSH2_ERROR_SOCKET_SEND",
        LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE: "LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE",
        LIBSSH2_ERROR_TIMEOUT: "LIBSSH2_ERROR_TIMEOUT",
        LIBSSH2_ERROR_HOSTKEY_INIT: "LIBSSH2_ERROR_HOSTKEY_INIT",
        LIBSSH2_ERROR_HOSTKEY_SIGN: "LIBSSH2_ERROR_HOSTKEY_SIGN",
        LIBSSH2_ERROR_DECRYPT: "LIBSSH2_ERROR_DECRYPT",
        LIBSSH2_ERROR_SOCKET_DISCONNECT: "LIBSSH2_ERROR_SOCKET_DISCONNECT",
        LIBSSH2_ERROR_PROTO: "LIBSSH2_ERROR_PROTO",
        LIBSSH2_ERROR_PASSWORD_EXPIRED: "LIBSSH2_ERROR_PASSWORD_EXPIRED",
        LIBSSH2_ERROR_FILE: "LIBSSH2_ERROR_FILE",
        LIBSSH2_ERROR_METHOD_NONE: "LIBSSH2_ERROR_METHOD_NONE",
        LIBSSH2_ERROR_AUTHENTICATION_FAILED: "LIBSSH2_ERROR_AUTHENTICATION_FAILED",
        LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED: "LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED",
        LIBSSH2_ERROR_CHANNEL_OUTOFORDER: "LIBSSH2_ERROR_CHANNEL_OUTOFORDER",
        LIBSSH2_ERROR_CHANNEL_FAILURE: "LIBSSH2_ERROR_CHANNEL_FAILURE",
        LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED: "LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED",
        LIBSSH2_ERROR_CHANNEL_UNKNOWN: "LIBSSH2_ERROR_CHANNEL_UNKNOWN",
        LIBSSH2_ERROR_CHANNEL_WINDOW_EXCEEDED: "LIBSSH2_ERROR_CHANNEL_WINDOW_EXCEEDED",
        LIBSSH2_ERROR_CHANNEL_PACKET_EXCEEDED: "LIBSSH2_ERROR_CHANNEL_PACKET_EXCEEDED",
        LIBSSH2_ERROR_CHANNEL_CLOSED: "LIBSSH2_ERROR_CHANNEL_CLOSED",
        LIBSSH2_ERROR_CHANNEL_EOF_SENT: "LIBSSH2_ERROR_CHANNEL_EOF_SENT",
        LIBSSH2_ERROR_SOCKET_TIMEOUT: "LIBSSH2_ERROR_SOCKET_TIMEOUT",
        LIBSSH2_ERROR_REQUEST_DENIED: "LIBSSH2_ERROR_REQUEST_DENIED",
        LIBSSH2_ERROR_METHOD_NOT_SUPPORTED: "LIBSSH2_ERROR_METHOD_NOT_SUPPORTED",
        LIBSSH2_ERROR_INVAL: "LIBSSH2_ERROR_INVAL",
        LIBSSH2_ERROR_PUBLICKEY_PROTOCOL: "LIBSSH2_ERROR_PUBLICKEY_PROTOCOL",
        LIBSSH2_ERROR_EAGAIN: "LIBSSH2_ERROR_EAGAIN",
        LIBSSH2_ERROR_BUFFER_TOO_SMALL: "LIBSSH2_ERROR_BUFFER_TOO_SMALL",
        LIBSSH2_ERROR_BAD_USE: "LIBSSH2_ERROR_BAD_USE",
        LIBSSH2_ERROR_AGENT_PROTOCOL: "LIBSSH2_ERROR_AGENT_PROTOCOL",
        LIBSSH2_ERROR_SOCKET_RECV: "LIBSSH2_ERROR_SOCKET_RECV",
        LIBSSH2_ERROR_BAD_SOCKET: "LIBSSH2_ERROR_BAD_SOCKET",
        LIBSSH2_ERROR_KNOWN_HOSTS: "LIBSSH2_ERROR_KNOWN_HOSTS",
        LIBSSH2_ERROR_KEYFILE_AUTH_FAILED: "LIBSSH2_ERROR_KEYFILE_AUTH_FAILED",
        cancelledCode: "cancelled",
        sessionClosedCode: "session closed",
    ]
}
