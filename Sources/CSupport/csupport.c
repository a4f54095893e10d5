#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "csupport.h"

// Older libc headers lack the numbers; these are the generic ones, shared by every architecture but alpha
// (whose numbers are 110 higher).
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int testbed_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

short testbed_posix_spawn_setsid(void) { return POSIX_SPAWN_SETSID; }

int testbed_mkstemp_cloexec(char *template_path) { return mkostemp(template_path, O_CLOEXEC); }

int testbed_pidfd_open(int pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int testbed_pidfd_send_signal(int pidfd, int signal) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, signal, NULL, 0);
}

int testbed_spawn_close_from(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
