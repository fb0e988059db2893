#ifndef CSYSTEM_H
#define CSYSTEM_H
/* What Swift's Glibc module does not import (it is built without _GNU_SOURCE), as plain functions. */
#include <spawn.h>

int csystem_pipe2_cloexec(int fds[2]);
int csystem_accept4_cloexec(int fd);
/* accept4(fd, addr, len, SOCK_CLOEXEC): the peer address (a struct sockaddr) is filled in.
   Untyped so this header does not include <sys/socket.h> (a clean build then clashes with Glibc's module). */
int csystem_accept4_cloexec_peer(int fd, void *address, unsigned int *length);
int csystem_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);
/* memfd_create(name, MFD_CLOEXEC) */
int csystem_memfd_cloexec(const char *name);
int csystem_wifexited(int status);
int csystem_wexitstatus(int status);
int csystem_wifsignaled(int status);
int csystem_wtermsig(int status);
/* prctl(PR_SET_NAME): the 15-byte `comm` name shown by `ps -o comm` and top. */
int csystem_set_thread_name(const char *name);
/* POSIX_SPAWN_SETSID (a GNU extension): the child starts a new session (daemonize). */
int csystem_spawn_setsid_flag(void);
/* syslog(3) for `logger = syslog:IDENT,FACILITY` (syslog itself is variadic, which Swift cannot call). */
void csystem_openlog(const char *ident, int facility);
void csystem_syslog(int priority, const char *message);
/* `call:FUNCTION [ARG]` hooks: calls a function of this process found with dlsym(RTLD_DEFAULT), with one
   string argument (NULL when none); -1 when no such symbol. */
int csystem_call_symbol(const char *name, const char *argument);

#endif
