#ifndef TESTBED_CSUPPORT_H
#define TESTBED_CSUPPORT_H
// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module does not define.

/// pipe2(fds, O_CLOEXEC): a pipe whose ends are never inherited by a spawned child by accident.
int testbed_pipe_cloexec(int fds[2]);

/// The value of POSIX_SPAWN_SETSID for posix_spawnattr_setflags.
short testbed_posix_spawn_setsid(void);

/// socket(domain, type, protocol) created inside the network namespace open at namespace_fd (a
/// /run/netns/NAME file), on a short-lived thread of its own. -1 and errno on failure.
int testbed_socket_in_netns(int namespace_fd, int domain, int type, int protocol);

#endif
