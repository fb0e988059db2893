#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <time.h>
#include "csystem.h"

int csystem_pipe2_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
int csystem_accept4_cloexec(int fd) { return accept4(fd, NULL, NULL, SOCK_CLOEXEC); }
int csystem_accept4_cloexec_peer(int fd, void *address, unsigned int *length) {
    return accept4(fd, (struct sockaddr *)address, (socklen_t *)length, SOCK_CLOEXEC);
}
int csystem_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
int csystem_memfd_cloexec(const char *name) { return memfd_create(name, MFD_CLOEXEC); }
int csystem_wifexited(int status) { return WIFEXITED(status); }
int csystem_wexitstatus(int status) { return WEXITSTATUS(status); }
int csystem_wifsignaled(int status) { return WIFSIGNALED(status); }
int csystem_wtermsig(int status) { return WTERMSIG(status); }
int csystem_set_thread_name(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }

int csystem_accept4_nonblock_peer(int fd, void *address, unsigned int *length) {
    return accept4(fd, (struct sockaddr *)address, (socklen_t *)length, SOCK_CLOEXEC | SOCK_NONBLOCK);
}
int csystem_eventfd(void) { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }
int csystem_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }
int csystem_epoll_ctl(int epfd, int op, int fd, unsigned int events, unsigned long long token) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = token;
    return epoll_ctl(epfd, op, fd, &event);
}
int csystem_epoll_wait(int epfd, unsigned long long *tokens, unsigned int *events, int max, int timeout) {
    struct epoll_event batch[256];
    if (max > 256) max = 256;
    int count = epoll_wait(epfd, batch, max, timeout);
    for (int i = 0; i < count; i++) {
        tokens[i] = batch[i].data.u64;
        events[i] = batch[i].events;
    }
    return count;
}

int csystem_futex_wait(unsigned int *word, unsigned int expected, int timeout_ms) {
    struct timespec timeout;
    struct timespec *limit = NULL;
    if (timeout_ms >= 0) {
        timeout.tv_sec = timeout_ms / 1000;
        timeout.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
        limit = &timeout;
    }
    long result = syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, limit, NULL, 0);
    if (result == -1 && errno == EAGAIN) return 0;
    return (int)result;
}
int csystem_futex_wake(unsigned int *word, int count) {
    return (int)syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
}

int csystem_atomic_cas_u32(unsigned int *word, unsigned int expected, unsigned int desired) {
    return __atomic_compare_exchange_n(word, &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
unsigned int csystem_atomic_exchange_u32(unsigned int *word, unsigned int value) {
    return __atomic_exchange_n(word, value, __ATOMIC_SEQ_CST);
}
unsigned int csystem_atomic_load_u32(unsigned int *word) { return __atomic_load_n(word, __ATOMIC_SEQ_CST); }
void csystem_atomic_store_u32(unsigned int *word, unsigned int value) { __atomic_store_n(word, value, __ATOMIC_SEQ_CST); }
