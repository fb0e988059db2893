/* Header-only shim over Python.h. <sys/select.h> MUST come first: pyconfig.h
   defines _GNU_SOURCE, which otherwise gives fd_set a different member name than
   the Glibc/Dispatch modules have (a clean build then fails with a module clash). */
#include <sys/select.h>
#define PY_SSIZE_T_CLEAN
#include <Python.h>
