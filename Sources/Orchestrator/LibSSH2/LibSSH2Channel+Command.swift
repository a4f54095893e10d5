internal import CLibSSH2

/// Running one command to completion on an exec channel.
extension LibSSH2Channel {
    /// Which side of the loop left a packet half-sent. libssh2 requires the very call that returned EAGAIN
    /// with outbound data pending to be repeated before any other call sends; otherwise it fails with
    /// `LIBSSH2_ERROR_BAD_USE`.
    private enum Side {
        case input
        case output
    }

    /// Feeds `input` to the command, reads standard output and standard error apart until end of file, closes
    /// the channel, waits for the close, and reports how the command ended.
    ///
    /// Writing, reading and waiting interleave in one loop, so a command that fills one stream while we write
    /// the other cannot deadlock. A command that exits without reading its input is not an error.
    /// - Throws: `LibSSH2Error` for a timeout, a cancellation or a lost connection.
    func runToCompletion(input: [UInt8], until deadline: ContinuousClock.Instant) throws(LibSSH2Error)
        -> ProcessOutput
    {
        var standardOutput: [UInt8] = []
        var standardError: [UInt8] = []
        var written = 0
        var isInputDone = false
        var isOutputDone = false
        var isErrorDone = false
        var mustRepeat: Side? = nil
        while !(isOutputDone && isErrorDone) {
            var progressed = false
            if !isInputDone && mustRepeat != .output {
                do {
                    var blocked = false
                    if written < input.count {
                        if let taken = try writeSome(input, from: written) {
                            written += taken
                            progressed = true
                        } else {
                            blocked = true
                        }
                    }
                    if written == input.count {
                        if try attemptSendEOF() {
                            isInputDone = true
                            progressed = true
                        } else {
                            blocked = true
                        }
                    }
                    mustRepeat = blocked && session.isBlockedOutbound ? .input : nil
                } catch  where Self.meansPeerStoppedReading(error) {
                    isInputDone = true  // the command exited or closed its stdin: like EPIPE on a local pipe
                    mustRepeat = nil
                }
            }
            if mustRepeat != .input {
                var blocked = false
                for stream in [Int32(0), SSH_EXTENDED_DATA_STDERR] {
                    let done = stream == 0 ? isOutputDone : isErrorDone
                    if done { continue }
                    let result =
                        stream == 0
                        ? try readAvailable(stream: stream, into: &standardOutput)
                        : try readAvailable(stream: stream, into: &standardError)
                    switch result {
                    case .data: progressed = true
                    case .endOfFile:
                        if stream == 0 { isOutputDone = true } else { isErrorDone = true }
                    case .wouldBlock: blocked = true
                    }
                }
                mustRepeat = blocked && session.isBlockedOutbound ? .output : nil
            }
            if !progressed && !(isOutputDone && isErrorDone) {
                try session.waitSocket(for: "libssh2_channel_read_ex", until: deadline)
            }
        }
        try close(until: deadline)
        return ProcessOutput(status: exitStatus(), stdout: standardOutput, stderr: standardError)
    }

    /// Whether a write error only means the remote side no longer takes input.
    static func meansPeerStoppedReading(_ error: LibSSH2Error) -> Bool {
        switch error.code {
        case LIBSSH2_ERROR_CHANNEL_CLOSED, LIBSSH2_ERROR_CHANNEL_EOF_SENT, LIBSSH2_ERROR_CHANNEL_FAILURE: true
        default: false
        }
    }
}
