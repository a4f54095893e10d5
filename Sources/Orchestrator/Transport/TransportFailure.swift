/// Why a transport could not deliver a connected socket. Internal; ``SSHSession`` turns it into a
/// ``ConnectionError`` with the node's name, address and a hint.
struct TransportFailure: Error, Sendable {
    enum Kind: Sendable {
        case failed
        case timedOut
        case cancelled
    }

    var kind: Kind
    var message: String
    var cause: String?

    init(_ kind: Kind, _ message: String, cause: String? = nil) {
        self.kind = kind
        self.message = message
        self.cause = cause
    }
}
