#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
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
#include <dlfcn.h>
#include <syslog.h>
#include <string.h>
#include <stdlib.h>
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

/* The middle process is a vfork child: it shares the caller's memory (no page tables copied, nothing to
   tear down when it exits) while the caller is suspended, forks the real child (a copy-on-write image of
   the caller, as a direct fork() would give) and _exits. glibc's fork() in it only takes and releases its
   own locks (memory shared with the suspended caller: left as they were) and gives the new child its own
   tid. Kept out of line so the caller's frame holds nothing a vfork child could disturb. */
static __attribute__((noinline)) pid_t fork_through_vfork_child(volatile int *child_out) {
    pid_t middle = vfork();
    if (middle == 0) {
        pid_t child = fork();
        if (child == 0) return 0;
        *child_out = child > 0 ? child : -errno;
        _exit(0);
    }
    return middle;
}

int csystem_fork_detached(int *middle_out) {
    volatile int child = -EIO;
    pid_t middle = fork_through_vfork_child(&child);
    if (middle == 0) return 0;   /* the new process */
    if (middle < 0) return -errno;
    *middle_out = middle;
    return child;
}

int csystem_set_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

int csystem_socketpair_seqpacket(int fds[2]) { return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds); }

#define CSYSTEM_MAX_FDS 8

long csystem_send_with_fds(int socket, const void *bytes, unsigned long length, const int *fds, int count) {
    if (count < 0 || count > CSYSTEM_MAX_FDS) { errno = EINVAL; return -1; }
    struct iovec vector = { .iov_base = (void *)bytes, .iov_len = length };
    union { char buffer[CMSG_SPACE(sizeof(int) * CSYSTEM_MAX_FDS)]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = { .msg_iov = &vector, .msg_iovlen = 1 };
    if (count > 0) {
        message.msg_control = control.buffer;
        message.msg_controllen = CMSG_SPACE(sizeof(int) * count);
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int) * count);
        memcpy(CMSG_DATA(header), fds, sizeof(int) * count);
    }
    ssize_t sent;
    do { sent = sendmsg(socket, &message, MSG_NOSIGNAL); } while (sent < 0 && errno == EINTR);
    return sent;
}

long csystem_receive_with_fds(int socket, void *bytes, unsigned long length, int *fds, int capacity, int *count) {
    struct iovec vector = { .iov_base = bytes, .iov_len = length };
    union { char buffer[CMSG_SPACE(sizeof(int) * CSYSTEM_MAX_FDS)]; struct cmsghdr align; } control;
    struct msghdr message = { .msg_iov = &vector, .msg_iovlen = 1,
                              .msg_control = control.buffer, .msg_controllen = sizeof control.buffer };
    *count = 0;
    ssize_t got;
    do { got = recvmsg(socket, &message, MSG_CMSG_CLOEXEC); } while (got < 0 && errno == EINTR);
    if (got < 0) return got;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
        int received = (int)((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        int *data = (int *)CMSG_DATA(header);
        for (int index = 0; index < received; index++) {
            if (*count < capacity) fds[(*count)++] = data[index]; else close(data[index]);
        }
    }
    return got;
}

int csystem_spawn_setsid_flag(void) { return POSIX_SPAWN_SETSID; }

void csystem_openlog(const char *ident, int facility) {
    /* openlog keeps the pointer: the copy lives as long as the process. */
    openlog(strdup(ident), LOG_PID | LOG_NDELAY, facility);
}

void csystem_syslog(int priority, const char *message) { syslog(priority, "%s", message); }

int csystem_call_symbol(const char *name, const char *argument) {
    void *symbol = dlsym(RTLD_DEFAULT, name);
    if (symbol == NULL) return -1;
    ((void (*)(const char *))symbol)(argument);
    return 0;
}

int csystem_open_tmpfile(const char *directory) {
    int fd = open(directory, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
    /* A file system without O_TMPFILE: a named file, removed at once. */
    size_t length = strlen(directory);
    char *name = malloc(length + 20);
    if (name == NULL) { errno = ENOMEM; return -1; }
    memcpy(name, directory, length);
    strcpy(name + length, "/liege-body-XXXXXX");
    fd = mkostemp(name, O_CLOEXEC);
    if (fd >= 0) unlink(name);
    free(name);
    return fd;
}
