import CSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Socket calls: the local socket pair under a proxy command, the TCP socket under an SSH session.
extension SystemCall {
    /// A close-on-exec stream socket pair.
    static func socketPair() throws(SystemError) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw .last("socketpair")
        }
        return (fds[0], fds[1])
    }

    /// A new non-blocking, close-on-exec stream socket for `info`'s family and protocol.
    /// - Parameter namespace: A descriptor of a network namespace file to make the socket in (on a short-lived
    ///   thread that enters it), or -1 for this process's own namespace.
    static func streamSocket(for info: addrinfo, inNamespace namespace: Int32 = -1) throws(SystemError) -> Int32 {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let fd =
            namespace >= 0
            ? testbed_socket_in_netns(namespace, info.ai_family, type, info.ai_protocol)
            : socket(info.ai_family, type, info.ai_protocol)
        guard fd >= 0 else { throw .last("socket") }
        return fd
    }

    /// Starts connecting a non-blocking socket to `info`'s address.
    /// - Returns: True when connected at once, false when the connection is in progress (wait for `POLLOUT`,
    ///   then ask ``pendingError(_:)``).
    /// - Throws: `SystemError` (`connect`).
    static func connect(_ fd: Int32, to info: addrinfo) throws(SystemError) -> Bool {
        if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) == 0 { return true }
        if errno == EINPROGRESS || errno == EINTR { return false }
        throw .last("connect")
    }

    /// The outcome of a finished non-blocking connect: 0, or the `errno` it failed with (`SO_ERROR`).
    static func pendingError(_ fd: Int32) throws(SystemError) -> Int32 {
        var socketError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length) == 0 else { throw .last("getsockopt") }
        return socketError
    }

    /// Turns Nagle's algorithm off (`TCP_NODELAY`).
    static func setNoDelay(_ fd: Int32) throws(SystemError) {
        var one: Int32 = 1
        guard setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .last("setsockopt", "TCP_NODELAY")
        }
    }
}
