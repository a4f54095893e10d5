#ifndef TESTBED_CSUPPORT_H
#define TESTBED_CSUPPORT_H
// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module does not define.

/// pipe2(fds, O_CLOEXEC): a pipe whose ends are never inherited by a spawned child by accident.
int testbed_pipe_cloexec(int fds[2]);

/// The value of POSIX_SPAWN_SETSID for posix_spawnattr_setflags.
short testbed_posix_spawn_setsid(void);

#endif
