internal import CLibSSH2

/// The long-lived agent channel: an exec channel used as a duplex byte stream.
///
/// Standard error is drained into ``LibSSH2Channel/standardErrorTail`` on every read, so a chatty agent cannot
/// fill the channel window and stall, and its last words can be shown when the stream ends or fails.
extension LibSSH2Channel: AgentStream {
    func write(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(AgentStreamError) {
        do {
            try writeAll(bytes, until: deadline)
        } catch {
            throw streamError(error, while: "writing to the agent")
        }
    }

    func read(maximum: Int, until deadline: ContinuousClock.Instant) throws(AgentStreamError) -> [UInt8] {
        var buffer: [UInt8] = []
        do {
            while true {
                try drainStandardError()
                switch try readAvailable(stream: 0, into: &buffer, maximum: max(1, maximum)) {
                case .data: return buffer
                case .endOfFile: return []
                case .wouldBlock: try session.waitSocket(for: "libssh2_channel_read_ex", until: deadline)
                }
            }
        } catch {
            throw streamError(error, while: "reading from the agent")
        }
    }

    func close() {
        guard session.isOpen, !hasClosed else { return }
        let deadline = ContinuousClock.now + .seconds(2)
        do {
            try sendEOF(until: deadline)
            try close(until: deadline)
        } catch {
            session.logger.debug("closing the agent channel failed", metadata: ["error": "\(error)"])
        }
    }

    /// Translates a libssh2 failure for the stream's owner, adding the agent's last standard error.
    private func streamError(_ error: LibSSH2Error, while action: String) -> AgentStreamError {
        let kind: AgentStreamError.Kind
        if error.isTimeout {
            kind = .timedOut
        } else if error.isCancellation {
            kind = .cancelled
        } else if error.isConnectionLoss || Self.meansPeerStoppedReading(error) {
            kind = .closed
        } else {
            kind = .failed
        }
        var detail = "\(action): \(error)"
        let tail = String(decoding: standardErrorTail.suffix(2048), as: UTF8.self)
        if !tail.isEmpty { detail += "; the agent's standard error ends with: \(tail)" }
        return AgentStreamError(kind, detail)
    }
}
