#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "csystem.h"

int csystem_pipe2_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
int csystem_accept4_cloexec(int fd) { return accept4(fd, NULL, NULL, SOCK_CLOEXEC); }
int csystem_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
int csystem_wifexited(int status) { return WIFEXITED(status); }
int csystem_wexitstatus(int status) { return WEXITSTATUS(status); }
int csystem_wifsignaled(int status) { return WIFSIGNALED(status); }
int csystem_wtermsig(int status) { return WTERMSIG(status); }
