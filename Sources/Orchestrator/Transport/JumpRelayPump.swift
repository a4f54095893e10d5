#if canImport(Glibc)
    import Glibc
#endif

/// The byte pumping of a ``JumpRelay``, one non-blocking step at a time: socket → channel, channel → socket,
/// end of file passed on in both directions. libssh2's rule is kept: a call that would block on sending (a
/// channel write, EOF, or a read's window adjustment) is repeated, with the same bytes, before anything else is
/// sent or read on the session.
struct JumpRelayPump {
    let channel: LibSSH2Channel
    let socket: Int32
    private var toChannel: [UInt8] = []
    private var toChannelOffset = 0
    private var toSocket: [UInt8] = []
    private var toSocketOffset = 0
    private var socketEnded = false
    private var channelEnded = false
    private var socketShutDown = false
    /// The last channel read would block on sending the window adjustment it makes: libssh2 holds that packet
    /// half-sent, so the read must be repeated before a channel write (a write in between fails with
    /// LIBSSH2_ERROR_BAD_USE, or waits forever for a window the far side is never told about).
    private var readBlockedOutbound = false
    /// The socket is read into this one buffer: a fresh zeroed 32 KiB per step was paid even when nothing came.
    private var readBuffer = [UInt8](repeating: 0, count: 32768)

    init(channel: LibSSH2Channel, socket: Int32) {
        self.channel = channel
        self.socket = socket
    }

    /// Both directions have ended and everything was passed on.
    var isFinished: Bool { socketEnded && channelEnded && channel.hasSentEOF && socketShutDown }

    /// What to wait for on the socket when no step made progress.
    var socketEvents: Int16 {
        var events: Int16 = 0
        if toChannel.isEmpty, !socketEnded { events |= Int16(POLLIN) }
        if toSocketOffset < toSocket.count { events |= Int16(POLLOUT) }
        return events
    }

    /// One round in both directions.
    /// - Returns: Whether anything moved.
    /// - Throws: `LibSSH2Error` when the channel or the socket fails.
    mutating func step() throws(LibSSH2Error) -> Bool {
        var progressed = false
        if !readBlockedOutbound {
            progressed = try socketToChannel()
            // A write (or EOF) that would block is repeated alone at the next step.
            if channel.session.isBlockedOutbound { return progressed }
        }
        progressed = try channelToSocket() || progressed
        readBlockedOutbound = channel.session.isBlockedOutbound
        return progressed
    }

    private mutating func socketToChannel() throws(LibSSH2Error) -> Bool {
        var progressed = false
        if toChannel.isEmpty, !socketEnded {
            let got = read(socket, &readBuffer, readBuffer.count)
            if got > 0 {
                toChannel = Array(readBuffer[0..<got])
                toChannelOffset = 0
                progressed = true
            } else if got == 0 || (errno != EAGAIN && errno != EINTR) {
                socketEnded = true  // the next hop's session closed its end (or it broke: the same to us)
                progressed = true
            }
        }
        if toChannelOffset < toChannel.count {
            if let taken = try channel.writeSome(toChannel, from: toChannelOffset) {
                toChannelOffset += taken
                progressed = progressed || taken > 0
                if toChannelOffset == toChannel.count {
                    toChannel = []
                    toChannelOffset = 0
                }
            }
        }
        if socketEnded, toChannel.isEmpty, !channel.hasSentEOF {
            progressed = try channel.attemptSendEOF() || progressed
        }
        return progressed
    }

    private mutating func channelToSocket() throws(LibSSH2Error) -> Bool {
        var progressed = false
        if toSocketOffset >= toSocket.count, !channelEnded {
            toSocket = []
            toSocketOffset = 0
            switch try channel.readAvailable(stream: 0, into: &toSocket, maximum: 32768) {
            case .data: progressed = true
            case .wouldBlock: break
            case .endOfFile:
                channelEnded = true
                progressed = true
            }
        }
        if toSocketOffset < toSocket.count {
            let sent = toSocket[toSocketOffset...].withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
            if sent > 0 {
                toSocketOffset += sent
                progressed = true
            } else if sent < 0, errno != EAGAIN, errno != EINTR {
                // The next session is gone; what it has not read no longer matters.
                toSocket = []
                toSocketOffset = 0
                socketEnded = true
            }
        }
        if channelEnded, toSocketOffset >= toSocket.count, !socketShutDown {
            shutdown(socket, Int32(SHUT_WR))
            socketShutDown = true
            progressed = true
        }
        return progressed
    }
}
