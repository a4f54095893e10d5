#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>
#include "csupport.h"

int testbed_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

short testbed_posix_spawn_setsid(void) { return POSIX_SPAWN_SETSID; }
