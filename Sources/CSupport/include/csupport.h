#ifndef TESTBED_CSUPPORT_H
#define TESTBED_CSUPPORT_H
#include <spawn.h>
// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module does not define, and system
// calls glibc has no wrapper for (Swift cannot call the variadic syscall(2)).

/// pipe2(fds, O_CLOEXEC): a pipe whose ends are never inherited by a spawned child by accident.
int testbed_pipe_cloexec(int fds[2]);

/// The value of POSIX_SPAWN_SETSID for posix_spawnattr_setflags.
short testbed_posix_spawn_setsid(void);

/// mkostemp(template_path, O_CLOEXEC): a new file that is close-on-exec from the start.
int testbed_mkstemp_cloexec(char *template_path);

/// pidfd_open(pid, 0) (Linux 5.3): a descriptor that refers to the process itself, not to its number.
/// Returns -1 with errno set (ENOSYS on older kernels, ESRCH when there is no such process).
int testbed_pidfd_open(int pid);

/// pidfd_send_signal(pidfd, signal, NULL, 0) (Linux 5.1): signals the process the descriptor refers to, or fails
/// with ESRCH when it has ended, even if its number now belongs to another process.
int testbed_pidfd_send_signal(int pidfd, int signal);

/// posix_spawn_file_actions_addclosefrom_np(actions, from) (glibc 2.34): the child closes every descriptor from
/// `from` up, so it inherits nothing but what the actions set up (a lock a caller holds, say).
int testbed_spawn_close_from(posix_spawn_file_actions_t *actions, int from);

/// socket(domain, type, protocol) created inside the network namespace open at namespace_fd (a
/// /run/netns/NAME file), on a short-lived thread of its own. -1 and errno on failure.
int testbed_socket_in_netns(int namespace_fd, int domain, int type, int protocol);

#endif
