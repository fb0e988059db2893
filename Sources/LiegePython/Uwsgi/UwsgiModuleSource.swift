/// The `uwsgi` module apps import, written in Python and compiled on its first import in a Liege process
/// (a worker, the preloader or a spooler). `_native` (a `UwsgiNative` object) reaches the shared caches,
/// the locks, the scoreboard and the current request; `_facts` holds what does not change (UwsgiFacts).
/// Names, arguments and return values follow uWSGI's module (None where uWSGI answers None).
enum UwsgiModuleSource {
    static let source = #"""
import os as _os
import signal as _signal
import sys as _sys
import time as _time

# Every option as set, values as bytes (as uWSGI gives them); a repeated option is a list of them.
opt = {}
for _key, _value in _facts['options']:
    _value = _value.encode('utf-8')
    if _key not in opt:
        opt[_key] = _value
    elif isinstance(opt[_key], list):
        opt[_key].append(_value)
    else:
        opt[_key] = [opt[_key], _value]
del _key, _value
numproc = _facts['numproc']
cores = _facts['cores']
buffer_size = _facts['buffer_size']
started_on = _facts['started_on']
hostname = _facts['hostname']
version = _facts['version']
version_info = _facts['version_info']
if _facts['spoolers']:
    spoolers = tuple(directory.encode() for directory in _facts['spoolers'])
has_threads = 1
loop = None
unbit = None
magic_table = {}

SPOOL_RETRY = -1
SPOOL_OK = -2
SPOOL_IGNORE = 0

# Set by the app: the spooler calls `spooler(task)`; workers call `post_fork_hook()` before they serve.
spooler = None
post_fork_hook = None
mule_msg_hook = None

_role = _facts['role']
_master_pid = _facts['masterpid']


def worker_id():
    return _native.worker_id()


def mule_id():
    return 0


def masterpid():
    return _master_pid


def i_am_the_spooler():
    return True if _role == 'spooler' else None


def reload():
    """Graceful reload of this app, as SIGHUP to its master does."""
    try:
        _os.kill(_master_pid, _signal.SIGHUP)
    except OSError:
        return None
    return True


def stop():
    try:
        _os.kill(_master_pid, _signal.SIGQUIT)
    except OSError:
        return None
    return True


def total_requests():
    return _native.total_requests()


def request_id():
    return _native.request_id()


def micros():
    return int(_time.time() * 1000000)


def log(message):
    line = str(message)
    if not line.endswith('\n'):
        line += '\n'
    _os.write(2, line.encode('utf-8', 'replace'))
    return True


def set_logvar(key, value):
    _native.set_logvar(_text(key), _text(value))


def get_logvar(key):
    return _native.get_logvar(_text(key))


def _no_locks_in_spooler():
    if _role == 'spooler':
        raise ValueError('The spooler cannot lock/unlock resources')


def lock(num=0):
    _no_locks_in_spooler()
    _native.lock(num)


def unlock(num=0):
    _no_locks_in_spooler()
    _native.unlock(num)


def is_locked(num=0):
    _no_locks_in_spooler()
    return _native.is_locked(num)


def install_mule_msg_hook(function):
    # Liege has no mules: the hook is kept and never called.
    global mule_msg_hook
    mule_msg_hook = function


def _bytes(value, what='key'):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode('utf-8')
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError('%s must be bytes or str, not %s' % (what, type(value).__name__))


def _text(value):
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    return str(value)


def _cache_name(cache):
    return None if cache is None else _text(cache)


_CACHE_GET, _CACHE_SET, _CACHE_UPDATE, _CACHE_DEL, _CACHE_EXISTS, _CACHE_CLEAR, _CACHE_KEYS = range(7)
_CACHE_INC, _CACHE_DEC, _CACHE_MUL, _CACHE_DIV, _CACHE_NUM = range(7, 12)


def cache_get(key, cache=None):
    return _native.cache(_CACHE_GET, _cache_name(cache), _bytes(key), None, 0)


def cache_exists(key, cache=None):
    return _native.cache(_CACHE_EXISTS, _cache_name(cache), _bytes(key), None, 0)


def cache_set(key, value, expires=0, cache=None):
    return _native.cache(_CACHE_SET, _cache_name(cache), _bytes(key), _bytes(value, 'value'), int(expires))


def cache_update(key, value, expires=0, cache=None):
    return _native.cache(_CACHE_UPDATE, _cache_name(cache), _bytes(key), _bytes(value, 'value'), int(expires))


def cache_del(key, cache=None):
    return _native.cache(_CACHE_DEL, _cache_name(cache), _bytes(key), None, 0)


def cache_clear(cache=None):
    return _native.cache(_CACHE_CLEAR, _cache_name(cache), None, None, 0)


def cache_keys(cache=None):
    return _native.cache(_CACHE_KEYS, _cache_name(cache), None, None, 0)


def _cache_math(operation, key, value, expires, cache):
    return _native.cache(operation, _cache_name(cache), _bytes(key), int(value).to_bytes(8, _sys.byteorder, signed=True),
                         int(expires))


def cache_inc(key, value=1, expires=0, cache=None):
    return _cache_math(_CACHE_INC, key, value, expires, cache)


def cache_dec(key, value=1, expires=0, cache=None):
    return _cache_math(_CACHE_DEC, key, value, expires, cache)


def cache_mul(key, value=2, expires=0, cache=None):
    return _cache_math(_CACHE_MUL, key, value, expires, cache)


def cache_div(key, value=2, expires=0, cache=None):
    return _cache_math(_CACHE_DIV, key, value, expires, cache)


def cache_num(key, cache=None):
    return _native.cache(_CACHE_NUM, _cache_name(cache), _bytes(key), None, 0)

"""#
}
