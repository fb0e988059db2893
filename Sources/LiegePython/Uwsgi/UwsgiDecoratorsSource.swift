/// `uwsgidecorators` for apps written for uWSGI, over the `uwsgi` module: `postfork`, `spool`,
/// `spoolforever`, `spoolraw`, `timer`, `mstimer`, `rbtimer`, `cron`, `signal`, `lock`, `thread`. Used when
/// the app's path has no `uwsgidecorators` of its own (uWSGI's, installed with pip, works over the same
/// module). Mules, farms, RPC and file monitors are not there: Liege has none of them.
enum UwsgiDecoratorsSource {
    static let source = #"""
import pickle as _pickle
import threading as _threading
from functools import partial as _partial

import uwsgi

spooler_functions = {}
postfork_chain = []


def get_free_signal():
    for number in range(256):
        if not uwsgi.signal_registered(number):
            return number
    raise Exception('No free uwsgi signal available')


def _text(value):
    return value.decode('utf-8') if isinstance(value, bytes) else value


def manage_spool_request(arguments):
    arguments = {_text(key): value for key, value in arguments.items()}
    if 'args' in arguments:
        for key in ('args', 'kwargs'):
            arguments[key] = _pickle.loads(arguments.pop(key))
    arguments = {key: (_text(value) if key not in ('args', 'kwargs') else value) for key, value in arguments.items()}
    function = spooler_functions[arguments['ud_spool_func']]
    if 'args' in arguments:
        result = function(*arguments['args'], **arguments['kwargs'])
    else:
        result = function(arguments)
    return int(arguments.get('ud_spool_ret', result))


def postfork_chain_hook():
    for function in postfork_chain:
        function()


uwsgi.spooler = manage_spool_request
uwsgi.post_fork_hook = postfork_chain_hook


class postfork(object):
    """@postfork, or @postfork(N) for worker N only: run before the worker serves (after its fork)."""

    def __init__(self, f):
        if callable(f):
            self.wid, self.f = 0, f
        else:
            self.wid, self.f = f, None
        postfork_chain.append(self)

    def __call__(self, *args, **kwargs):
        if self.f is None:
            self.f = args[0]
            return self
        if self.wid > 0 and self.wid != uwsgi.worker_id():
            return None
        return self.f()


class _spoolraw(object):
    default_return = None

    def __init__(self, f, pass_arguments):
        if 'spooler' not in uwsgi.opt:
            raise Exception('you have to enable the uWSGI spooler to use @%s decorator' % self.__class__.__name__.lstrip('_'))
        self.f = f
        self.pass_arguments = pass_arguments
        spooler_functions[f.__name__] = f
        f.spool = self.__call__
        self.base_dict = {'ud_spool_func': f.__name__}

    def __call__(self, *args, **kwargs):
        arguments = dict(self.base_dict)
        if self.default_return is not None:
            arguments['ud_spool_ret'] = str(self.default_return)
        if self.pass_arguments:
            for key in ('message_dict', 'spooler', 'priority', 'at', 'body'):
                if key in kwargs:
                    arguments[key] = kwargs.pop(key)
            arguments['args'] = _pickle.dumps(args)
            arguments['kwargs'] = _pickle.dumps(kwargs)
        else:
            if args:
                arguments.update(args[0])
            arguments.update(kwargs)
        return uwsgi.spool({key.encode() if isinstance(key, str) else key:
                            value.encode() if isinstance(value, str) else value for key, value in arguments.items()})

    def spool(self, *args, **kwargs):
        return self(*args, **kwargs)


class _spool(_spoolraw):
    default_return = uwsgi.SPOOL_OK


class _spoolforever(_spoolraw):
    default_return = uwsgi.SPOOL_RETRY


def _spool_decorator(kind, f, pass_arguments):
    if f is None:
        return _partial(kind, pass_arguments=pass_arguments)
    return kind(f, pass_arguments)


def spoolraw(f=None, pass_arguments=False):
    return _spool_decorator(_spoolraw, f, pass_arguments)


def spool(f=None, pass_arguments=False):
    return _spool_decorator(_spool, f, pass_arguments)


def spoolforever(f=None, pass_arguments=False):
    return _spool_decorator(_spoolforever, f, pass_arguments)


class signal(object):
    def __init__(self, num, **kwargs):
        self.num = num
        self.target = kwargs.get('target', '')

    def __call__(self, f):
        uwsgi.register_signal(self.num, self.target, f)
        return f


class _scheduled(object):
    def __init__(self, kwargs):
        self.num = kwargs.get('signum', get_free_signal())
        self.target = kwargs.get('target', '')

    def __call__(self, f):
        uwsgi.register_signal(self.num, self.target, f)
        self.schedule()
        return f


class timer(_scheduled):
    """@timer(seconds, target=..., signum=...): f(signum) every `seconds`."""

    def __init__(self, secs, **kwargs):
        _scheduled.__init__(self, kwargs)
        self.secs = secs

    def schedule(self):
        uwsgi.add_timer(self.num, self.secs)


class rbtimer(timer):
    def schedule(self):
        uwsgi.add_rb_timer(self.num, self.secs)


class mstimer(_scheduled):
    def __init__(self, msecs, **kwargs):
        _scheduled.__init__(self, kwargs)
        self.msecs = msecs

    def schedule(self):
        uwsgi.add_ms_timer(self.num, self.msecs)


class cron(_scheduled):
    """@cron(minute, hour, day, month, weekday): -1 any, -N every N."""

    def __init__(self, minute, hour, day, month, dayweek, **kwargs):
        _scheduled.__init__(self, kwargs)
        self.fields = (minute, hour, day, month, dayweek)

    def schedule(self):
        uwsgi.add_cron(self.num, *self.fields)


class lock(object):
    """Runs the function holding uWSGI lock 0 (never in the spooler, as in uWSGI)."""

    def __init__(self, f):
        self.f = f

    def __call__(self, *args, **kwargs):
        if uwsgi.i_am_the_spooler():
            return None
        uwsgi.lock()
        try:
            return self.f(*args, **kwargs)
        finally:
            uwsgi.unlock()


class thread(object):
    def __init__(self, f):
        self.f = f

    def __call__(self, *args):
        runner = _threading.Thread(target=self.f, args=args, daemon=True)
        runner.start()
        return self.f
"""#
}
