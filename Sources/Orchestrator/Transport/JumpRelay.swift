internal import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One hop of a `ProxyJump` chain: it carries the next hop's SSH connection over a `direct-tcpip` channel of
/// this hop's session, in-process. The next session runs on one end of a `socketpair(2)`; a thread of the relay
/// pumps bytes between the other end and the channel, and sends this hop's keepalives.
///
/// After ``start(session:channel:hopName:sendsKeepalives:logger:)`` only the relay's thread touches the session
/// and the channel, until ``stop()`` has joined it. When the next session closes its end, the relay sends EOF on
/// the channel, waits for the far side's EOF, closes the channel and disconnects this hop; when this hop fails,
/// the relay closes its end, so the next session sees the connection lost, and ``failure`` says why.
final class JumpRelay: @unchecked Sendable {
    // @unchecked Sendable: `session`, `channel` and `socket` are used by the relay thread alone between start()
    // and the join in stop(); `isStopRequested` and `failureText` are synchronised.

    /// `jump host N (host:port)`, for messages.
    let hopName: String
    private let session: LibSSH2Session
    private let channel: LibSSH2Channel
    /// The relay's end of the socket pair.
    private let socket: Int32
    private let sendsKeepalives: Bool
    private let logger: Logger
    private let isStopRequested = Atomic<Bool>(false)
    private let failureText = Mutex<String?>(nil)
    private var thread: pthread_t?

    /// Takes the hop's session and channel and starts pumping.
    /// - Returns: The relay and the socket the next hop's session runs on (non-blocking, close-on-exec; the
    ///   caller owns it).
    /// - Throws: `TransportFailure` when the socket pair or the thread cannot be made.
    static func start(
        session: LibSSH2Session, channel: LibSSH2Channel, hopName: String, sendsKeepalives: Bool, logger: Logger
    ) throws(TransportFailure) -> (JumpRelay, Int32) {
        let relayEnd: Int32
        let sessionEnd: Int32
        do {
            (relayEnd, sessionEnd) = try SystemCall.socketPair()
            try SystemCall.setNonBlocking(relayEnd)
            try SystemCall.setNonBlocking(sessionEnd)
        } catch {
            throw TransportFailure(.failed, "cannot create the socket pair for \(hopName)", cause: "\(error)")
        }
        let relay = JumpRelay(
            session: session, channel: channel, socket: relayEnd, hopName: hopName, sendsKeepalives: sendsKeepalives,
            logger: logger)
        let context = Unmanaged.passRetained(relay).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                Unmanaged<JumpRelay>.fromOpaque(context).takeRetainedValue().run()
                return nil
            }, context)
        guard rc == 0 else {
            Unmanaged<JumpRelay>.fromOpaque(context).release()
            close(sessionEnd)
            throw TransportFailure(
                .failed, "cannot start the relay thread for \(hopName)", cause: String(cString: strerror(rc)))
        }
        relay.thread = thread
        return (relay, sessionEnd)
    }

    private init(
        session: LibSSH2Session, channel: LibSSH2Channel, socket: Int32, hopName: String, sendsKeepalives: Bool,
        logger: Logger
    ) {
        self.session = session
        self.channel = channel
        self.socket = socket
        self.hopName = hopName
        self.sendsKeepalives = sendsKeepalives
        self.logger = logger
    }

    /// Why the hop failed, or nil while it works (and after a clean end).
    var failure: String? { failureText.withLock { $0 } }

    /// Ends the relay and waits for its thread (which closes the channel and disconnects the hop, bounded to a
    /// second). Idempotent; call it from the thread that started the relay.
    func stop() {
        isStopRequested.store(true, ordering: .relaxed)
        guard let thread else { return }
        self.thread = nil
        pthread_join(thread, nil)
    }

    /// The relay thread's body.
    private func run() {
        var pump = JumpRelayPump(channel: channel, socket: socket)
        do {
            while !isStopRequested.load(ordering: .relaxed), !pump.isFinished {
                let progressed = try pump.step()
                if sendsKeepalives, !session.isBlockedOutbound {
                    try session.sendKeepalive(until: .now + .seconds(5))
                }
                if !progressed { try wait(pump) }
            }
        } catch {
            failureText.withLock { $0 = "\(hopName): \(error)" }
            logger.debug("jump relay failed", metadata: ["jump.hop": "\(hopName)", "error": "\(error)"])
        }
        close(socket)  // the next session sees end of file, or the connection lost
        try? channel.close(until: .now + .milliseconds(500))
        session.disconnect(until: .now + .milliseconds(500))
    }

    /// Waits up to 200 ms for either side to be ready in the directions the pump is waiting for.
    private func wait(_ pump: JumpRelayPump) throws(LibSSH2Error) {
        let directions = libssh2SessionDirections()
        var descriptors = [
            pollfd(fd: socket, events: pump.socketEvents, revents: 0),
            pollfd(fd: session.socket, events: directions, revents: 0),
        ]
        if poll(&descriptors, 2, 200) < 0, errno != EINTR {
            throw LibSSH2Error(function: "poll", code: -1, message: String(cString: strerror(errno)))
        }
    }

    private func libssh2SessionDirections() -> Int16 {
        session.isBlockedOutbound ? Int16(POLLIN | POLLOUT) : Int16(POLLIN)
    }
}
