/* Header-only shim over Python.h. <sys/select.h> MUST come first: pyconfig.h
   defines _GNU_SOURCE, which otherwise gives fd_set a different member name than
   the Glibc/Dispatch modules have (a clean build then fails with a module clash). */
#include <sys/select.h>
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <string.h>

/* Swift cannot import macros that expand to expressions, C globals are not
   concurrency-safe in Swift 6, and variadic functions are unavailable: these
   static inline accessors cover what LiegePython needs (PLATFORM.md §2). */

/* Singletons. */
static inline PyObject *swpy_none(void) { return Py_None; }
static inline PyObject *swpy_true(void) { return Py_True; }
static inline PyObject *swpy_false(void) { return Py_False; }
static inline PyObject *swpy_newref_none(void) { Py_INCREF(Py_None); return Py_None; }
static inline PyObject *swpy_newref_bool(int value) {
    PyObject *o = value ? Py_True : Py_False; Py_INCREF(o); return o; }
static inline void swpy_incref(PyObject *o) { Py_INCREF(o); }
static inline void swpy_decref(PyObject *o) { Py_DECREF(o); }
static inline void swpy_xdecref(PyObject *o) { Py_XDECREF(o); }
static inline PyObject *swpy_newref(PyObject *o) { Py_INCREF(o); return o; }

/* Type checks. */
static inline int swpy_bytes_check(PyObject *o) { return PyBytes_Check(o); }
static inline int swpy_unicode_check(PyObject *o) { return PyUnicode_Check(o); }
static inline int swpy_tuple_check(PyObject *o) { return PyTuple_Check(o); }
static inline int swpy_list_check(PyObject *o) { return PyList_Check(o); }
static inline int swpy_list_check_exact(PyObject *o) { return PyList_CheckExact(o); }
static inline int swpy_tuple_check_exact(PyObject *o) { return PyTuple_CheckExact(o); }
static inline int swpy_is_none(PyObject *o) { return o == Py_None; }
static inline PyTypeObject *swpy_type(PyObject *o) { return Py_TYPE(o); }
static inline PyObject *swpy_type_object(PyObject *o) { return (PyObject *)Py_TYPE(o); }

/* Fast accessors (the caller has checked the type). */
static inline char *swpy_bytes_data(PyObject *o) { return PyBytes_AS_STRING(o); }
static inline Py_ssize_t swpy_bytes_size(PyObject *o) { return PyBytes_GET_SIZE(o); }
static inline PyObject *swpy_list_item(PyObject *o, Py_ssize_t i) { return PyList_GET_ITEM(o, i); }
static inline Py_ssize_t swpy_list_size(PyObject *o) { return PyList_GET_SIZE(o); }
static inline PyObject *swpy_tuple_item(PyObject *o, Py_ssize_t i) { return PyTuple_GET_ITEM(o, i); }
static inline Py_ssize_t swpy_tuple_size(PyObject *o) { return PyTuple_GET_SIZE(o); }
/* Steals `item`. */
static inline void swpy_tuple_set(PyObject *o, Py_ssize_t i, PyObject *item) { PyTuple_SET_ITEM(o, i, item); }

/* A str whose characters all fit in one byte (latin-1): its bytes, else NULL.
   `ascii` is set to 1 when every character is below 128. */
static inline const unsigned char *swpy_unicode_latin1(PyObject *o, Py_ssize_t *length, int *ascii) {
    if (PyUnicode_READY(o) != 0) { PyErr_Clear(); return NULL; }
    if (PyUnicode_KIND(o) != PyUnicode_1BYTE_KIND) return NULL;
    *length = PyUnicode_GET_LENGTH(o);
    *ascii = PyUnicode_IS_ASCII(o) ? 1 : 0;
    return PyUnicode_1BYTE_DATA(o);
}

/* PySequence_Fast results (a list or tuple), and other type checks. */
static inline Py_ssize_t swpy_fast_size(PyObject *o) { return PySequence_Fast_GET_SIZE(o); }
static inline PyObject *swpy_fast_item(PyObject *o, Py_ssize_t i) { return PySequence_Fast_GET_ITEM(o, i); }
static inline int swpy_long_check(PyObject *o) { return PyLong_Check(o); }

/* Exception types. */
static inline PyObject *swpy_exc_type_error(void) { return PyExc_TypeError; }
static inline PyObject *swpy_exc_value_error(void) { return PyExc_ValueError; }
static inline PyObject *swpy_exc_runtime_error(void) { return PyExc_RuntimeError; }
static inline PyObject *swpy_exc_os_error(void) { return PyExc_OSError; }
static inline PyObject *swpy_exc_assertion_error(void) { return PyExc_AssertionError; }
static inline PyObject *swpy_exc_stop_iteration(void) { return PyExc_StopIteration; }

/* Fixed-arity calls (the variadic API is unavailable in Swift). */
static inline PyObject *swpy_call2(PyObject *f, PyObject *a, PyObject *b) {
    PyObject *args[2] = { a, b };
    return PyObject_Vectorcall(f, args, 2, NULL);
}
static inline PyObject *swpy_call_method0(PyObject *o, PyObject *name) {
    return PyObject_CallMethodNoArgs(o, name);
}
static inline PyObject *swpy_call_method1(PyObject *o, PyObject *name, PyObject *arg) {
    return PyObject_CallMethodOneArg(o, name, arg);
}

/* getattr that does not raise AttributeError: 1 found, 0 missing, -1 error. */
static inline int swpy_lookup_attr(PyObject *o, PyObject *name, PyObject **result) {
#if PY_VERSION_HEX >= 0x030D0000
    return PyObject_GetOptionalAttr(o, name, result);
#else
    return _PyObject_LookupAttr(o, name, result);
#endif
}

/* Objects of Liege's own small types: a PyObject header and one pointer to
   the Swift request context (NULL once the request is over). */
typedef struct {
    PyObject_HEAD
    void *swift_context;
} swpy_holder;
static inline int swpy_holder_size(void) { return (int)sizeof(swpy_holder); }
static inline void *swpy_holder_context(PyObject *o) { return ((swpy_holder *)o)->swift_context; }
static inline void swpy_holder_set_context(PyObject *o, void *c) { ((swpy_holder *)o)->swift_context = c; }
static inline PyObject *swpy_holder_new(PyTypeObject *type, void *context) {
    PyObject *o = PyType_GenericAlloc(type, 0);
    if (o != NULL) ((swpy_holder *)o)->swift_context = context;
    return o;
}
static inline void swpy_holder_dealloc(PyObject *o) {
    PyTypeObject *type = Py_TYPE(o);
    PyObject_Free(o);
    Py_DECREF(type);
}

/* Flags and method kinds. */
static inline int swpy_meth_fastcall_keywords(void) { return METH_FASTCALL | METH_KEYWORDS; }
static inline int swpy_meth_fastcall(void) { return METH_FASTCALL; }
static inline int swpy_meth_noargs(void) { return METH_NOARGS; }
static inline int swpy_meth_o(void) { return METH_O; }
static inline int swpy_file_input(void) { return Py_file_input; }
static inline unsigned int swpy_type_flags(void) {
    return Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION; }

/* Small file helpers used before the interpreter exists (pyvenv.cfg). */
static inline int swpy_file_exists(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return 0;
    fclose(f);
    return 1;
}
static inline long swpy_read_file(const char *path, char *buffer, long capacity) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return -1;
    size_t n = fread(buffer, 1, (size_t)capacity, f);
    fclose(f);
    return (long)n;
}
