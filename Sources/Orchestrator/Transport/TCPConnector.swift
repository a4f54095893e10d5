import CSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Opens the TCP connection under an SSH session: name resolution, a non-blocking connect bounded by the
/// deadline (each resolved address in turn), and `TCP_NODELAY`, without which libssh2's small request/reply
/// exchanges stall on delayed ACKs (Nagle's algorithm).
enum TCPConnector {
    /// Connects to `host:port`.
    /// - Parameter networkNamespace: A network namespace file (`/run/netns/NAME`) to make the socket in, so
    ///   `host:port` is reached as a process in that namespace would reach it; nil for this process's own.
    /// - Returns: A connected, non-blocking, close-on-exec socket; the caller owns it.
    /// - Throws: `TransportFailure` when the name does not resolve, no address accepts, the deadline passes
    ///   or the task is cancelled. The message lists each address tried and why it failed.
    static func connect(
        host: String, port: Int, until deadline: ContinuousClock.Instant, networkNamespace: String? = nil
    ) throws(TransportFailure) -> Int32 {
        var namespace: Int32 = -1
        if let networkNamespace {
            do {
                namespace = try SystemCall.open(networkNamespace, O_RDONLY)
            } catch {
                throw TransportFailure(
                    .failed,
                    "cannot open the network namespace \(networkNamespace): " + String(cString: strerror(error.errno)))
            }
        }
        defer { SystemCall.close(namespace) }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            let reason = rc == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(rc))
            throw TransportFailure(.failed, "cannot resolve host '\(host)': \(reason)")
        }
        defer { freeaddrinfo(list) }
        var failures: [String] = []
        var current: UnsafeMutablePointer<addrinfo>? = first
        while let info = current {
            current = info.pointee.ai_next
            let address = numericAddress(info.pointee.ai_addr, length: info.pointee.ai_addrlen)
            do {
                return try connect(info.pointee, until: deadline, namespace: namespace)
            } catch let failure where failure.kind != .failed {
                throw TransportFailure(failure.kind, "\(failure.message) (\(address))")
            } catch {
                failures.append("\(address): \(error.message)")
            }
        }
        throw TransportFailure(.failed, "cannot connect to \(host) port \(port): " + failures.joined(separator: "; "))
    }

    /// Connects to one resolved address.
    private static func connect(_ info: addrinfo, until deadline: ContinuousClock.Instant, namespace: Int32)
        throws(TransportFailure) -> Int32
    {
        let fd: Int32
        do {
            fd = try SystemCall.streamSocket(for: info, inNamespace: namespace)
        } catch {
            throw TransportFailure(.failed, error.reason)
        }
        var keep = false
        defer { if !keep { SystemCall.close(fd) } }
        let connected: Bool
        do {
            connected = try SystemCall.connect(fd, to: info)
        } catch {
            throw TransportFailure(.failed, String(cString: strerror(error.errno)))
        }
        if !connected {
            try waitWritable(fd, until: deadline)
            let socketError: Int32
            do {
                socketError = try SystemCall.pendingError(fd)
            } catch {
                throw TransportFailure(.failed, error.reason)
            }
            guard socketError == 0 else { throw TransportFailure(.failed, String(cString: strerror(socketError))) }
        }
        do {
            try SystemCall.setNoDelay(fd)
        } catch {
            throw TransportFailure(.failed, "setsockopt TCP_NODELAY: " + String(cString: strerror(error.errno)))
        }
        keep = true
        return fd
    }

    /// Waits for the connect to finish, noticing cancellation and the deadline.
    private static func waitWritable(_ fd: Int32, until deadline: ContinuousClock.Instant) throws(TransportFailure) {
        let outcome: SystemCall.WaitOutcome
        do {
            outcome = try SystemCall.wait(fd, events: Int16(POLLOUT), until: deadline)
        } catch {
            throw TransportFailure(.failed, error.reason)
        }
        switch outcome {
        case .ready: return
        case .cancelled: throw TransportFailure(.cancelled, "cancelled while connecting")
        case .timedOut: throw TransportFailure(.timedOut, "the TCP connection was not established in time")
        }
    }

    /// The numeric form of a socket address, for example `127.0.0.1` or `::1`.
    private static func numericAddress(_ address: UnsafeMutablePointer<sockaddr>?, length: socklen_t) -> String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard let address, getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0
        else { return "?" }
        let bytes = host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
