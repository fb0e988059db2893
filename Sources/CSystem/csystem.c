#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
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
