#ifndef CSYSTEM_H
#define CSYSTEM_H
/* What Swift's Glibc module does not import (it is built without _GNU_SOURCE), as plain functions. */
#include <spawn.h>

int csystem_pipe2_cloexec(int fds[2]);
int csystem_accept4_cloexec(int fd);
int csystem_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);
int csystem_wifexited(int status);
int csystem_wexitstatus(int status);
int csystem_wifsignaled(int status);
int csystem_wtermsig(int status);

#endif
