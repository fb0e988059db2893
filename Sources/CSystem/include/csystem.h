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
/* An unnamed read-write file in `directory` (O_TMPFILE; else mkostemp then unlink), close-on-exec; -1 (errno). */
int csystem_open_tmpfile(const char *directory);
int csystem_wifexited(int status);
int csystem_wexitstatus(int status);
int csystem_wifsignaled(int status);
int csystem_wtermsig(int status);
/* Preloading (lazy-apps = false): a fork whose parent is a middle process that exits at once, so the kernel
   re-parents the new process to the nearest PR_SET_CHILD_SUBREAPER ancestor (the master), which reaps it.
   The middle is a vfork child (no copy of the address space): the caller resumes once it has exited.
   Returns 0 in the new process, its pid in the caller, -errno on failure; the caller reaps `*middle`. */
int csystem_fork_detached(int *middle);
/* prctl(PR_SET_CHILD_SUBREAPER, 1): orphaned descendants are re-parented to this process. */
int csystem_set_child_subreaper(void);
/* socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC): message boundaries kept. */
int csystem_socketpair_seqpacket(int fds[2]);
/* sendmsg of `length` bytes with `count` descriptors (SCM_RIGHTS) attached; bytes sent or -1 (errno). */
long csystem_send_with_fds(int socket, const void *bytes, unsigned long length, const int *fds, int count);
/* recvmsg of at most `length` bytes and `capacity` descriptors (MSG_CMSG_CLOEXEC); `*count` = descriptors
   received. Bytes received (0: peer gone) or -1 (errno). Descriptors beyond `capacity` are closed. */
long csystem_receive_with_fds(int socket, void *bytes, unsigned long length, int *fds, int capacity, int *count);
/* prctl(PR_SET_NAME): the 15-byte `comm` name shown by `ps -o comm` and top. */
int csystem_set_thread_name(const char *name);
/* accept4(fd, addr, len, SOCK_CLOEXEC | SOCK_NONBLOCK): for the worker's event loop. */
int csystem_accept4_nonblock_peer(int fd, void *address, unsigned int *length);
/* eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK) */
int csystem_eventfd(void);
/* epoll, with the (packed on x86-64) struct epoll_event kept on the C side. */
int csystem_epoll_create(void);
int csystem_epoll_ctl(int epfd, int op, int fd, unsigned int events, unsigned long long token);
/* Waits like epoll_wait; fills tokens[i] and events[i] for i < result. */
int csystem_epoll_wait(int epfd, unsigned long long *tokens, unsigned int *events, int max, int timeout);
/* futex(FUTEX_WAIT_PRIVATE / FUTEX_WAKE_PRIVATE) on a 32-bit word; timeout_ms < 0 waits forever.
   wait returns 0 when woken or when *word != expected, -1 with errno (ETIMEDOUT, EINTR) otherwise. */
int csystem_futex_wait(unsigned int *word, unsigned int expected, int timeout_ms);
int csystem_futex_wake(unsigned int *word, int count);
/* Sequentially consistent atomics on the futex word. */
int csystem_atomic_cas_u32(unsigned int *word, unsigned int expected, unsigned int desired);
unsigned int csystem_atomic_exchange_u32(unsigned int *word, unsigned int value);
unsigned int csystem_atomic_load_u32(unsigned int *word);
void csystem_atomic_store_u32(unsigned int *word, unsigned int value);
/* POSIX_SPAWN_SETSID (a GNU extension): the child starts a new session (daemonize). */
int csystem_spawn_setsid_flag(void);
/* syslog(3) for `logger = syslog:IDENT,FACILITY` (syslog itself is variadic, which Swift cannot call). */
void csystem_openlog(const char *ident, int facility);
void csystem_syslog(int priority, const char *message);
/* `call:FUNCTION [ARG]` hooks: calls a function of this process found with dlsym(RTLD_DEFAULT), with one
   string argument (NULL when none); -1 when no such symbol. */
int csystem_call_symbol(const char *name, const char *argument);

#endif
