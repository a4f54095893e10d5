import CSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Opens the TCP connection under an SSH session: name resolution, a non-blocking connect bounded by the
/// deadline (each resolved address in turn), and `TCP_NODELAY`, without which libssh2's small request/reply
/// exchanges stall for about 40 ms each on delayed ACKs.
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
            namespace = open(networkNamespace, O_RDONLY | O_CLOEXEC)
            guard namespace >= 0 else {
                throw TransportFailure(
                    .failed,
                    "cannot open the network namespace \(networkNamespace): " + String(cString: strerror(errno)))
            }
        }
        defer { if namespace >= 0 { close(namespace) } }
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
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let fd =
            namespace >= 0
            ? testbed_socket_in_netns(namespace, info.ai_family, type, info.ai_protocol)
            : socket(info.ai_family, type, info.ai_protocol)
        guard fd >= 0 else { throw TransportFailure(.failed, "socket: " + String(cString: strerror(errno))) }
        var keep = false
        defer { if !keep { close(fd) } }
        if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { throw TransportFailure(.failed, String(cString: strerror(errno))) }
            try waitWritable(fd, until: deadline)
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length) == 0 else {
                throw TransportFailure(.failed, "getsockopt: " + String(cString: strerror(errno)))
            }
            guard socketError == 0 else { throw TransportFailure(.failed, String(cString: strerror(socketError))) }
        }
        var one: Int32 = 1
        guard setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw TransportFailure(.failed, "setsockopt TCP_NODELAY: " + String(cString: strerror(errno)))
        }
        keep = true
        return fd
    }

    /// Waits in slices of at most 200 ms for the connect to finish, checking cancellation and the deadline.
    private static func waitWritable(_ fd: Int32, until deadline: ContinuousClock.Instant) throws(TransportFailure) {
        while true {
            if Task.isCancelled { throw TransportFailure(.cancelled, "cancelled while connecting") }
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero {
                throw TransportFailure(.timedOut, "the TCP connection was not established in time")
            }
            let slice = min(remaining, .milliseconds(200))
            let milliseconds = Int32(
                max(1, slice.components.seconds * 1000 + slice.components.attoseconds / 1_000_000_000_000_000))
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let rc = poll(&descriptor, 1, milliseconds)
            if rc > 0 { return }
            if rc < 0 && errno != EINTR { throw TransportFailure(.failed, "poll: " + String(cString: strerror(errno))) }
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
