/// The `uwsgi` module's signal framework, as uWSGI's decorators use it: `register_signal` names a handler
/// and where it runs, `add_timer`/`add_cron` raise the signal on a schedule. Here each process that serves
/// (a worker after its fork, a spooler after its imports) runs its due handlers on one thread of its own;
/// a handler meant for "the first available worker" runs in the lowest-numbered worker that is serving.
enum UwsgiSignalsSource {
    static let source = #"""


_signal_handlers = {}
_signal_timers = []
_signal_crons = []
_signal_state = {'serving': False, 'thread': None, 'wake': None}


def _target_runs_here(target):
    if _role == 'spooler':
        if target == 'spoolers':
            return True
        return target == 'spooler' and _facts['spooler_id'] == 1
    if _role != 'worker':
        return False
    me = _native.worker_id()
    if target in ('workers', 'active-workers'):
        return True
    if target in ('', 'worker', 'worker0'):
        return _native.first_worker() == me
    if target.startswith('worker') and target[6:].isdigit():
        return int(target[6:]) == me
    return False


def register_signal(num, target, handler):
    num = int(num)
    if not 0 <= num <= 255:
        raise ValueError('signal numbers go from 0 to 255, not %d' % num)
    target = _text(target or '')
    if target.startswith(('mule', 'farm')):
        raise ValueError('signal target %r: Liege has no mules or farms (use "workers", "workerN" or "spooler")' % target)
    if not callable(handler):
        raise TypeError('the signal handler must be callable')
    _signal_handlers[num] = (target, handler)
    return True


def signal_registered(num):
    return True if int(num) in _signal_handlers else None


def add_timer(num, seconds):
    return _add_timer(num, float(seconds))


def add_ms_timer(num, milliseconds):
    return _add_timer(num, float(milliseconds) / 1000.0)


add_rb_timer = add_timer


def _add_timer(num, period):
    if period <= 0:
        raise ValueError('a timer needs a period above zero')
    _signal_timers.append([int(num), period, _time.monotonic() + period])
    _signal_poke()
    return True


def add_cron(num, minute, hour, day, month, week):
    _signal_crons.append((int(num), int(minute), int(hour), int(day), int(month), int(week)))
    _signal_poke()
    return True


def _cron_field(value, current):
    # uWSGI's meaning: -1 any, -N every N (current % N == 0), else equal.
    if value < 0:
        return current % -value == 0
    return value == current


def _cron_due(entry, moment):
    _, minute, hour, day, month, week = entry
    weekday = (moment.tm_wday + 1) % 7
    if week == 7:
        week = 0
    if not (_cron_field(minute, moment.tm_min) and _cron_field(hour, moment.tm_hour) and _cron_field(month, moment.tm_mon)):
        return False
    if day >= 0 and week >= 0:
        return moment.tm_mday == day or weekday == week
    return _cron_field(day, moment.tm_mday) and _cron_field(week, weekday)


def _signal_deliver(num):
    entry = _signal_handlers.get(num)
    if entry is None or not _target_runs_here(entry[0]):
        return
    try:
        entry[1](num)
    except BaseException:
        import traceback
        _sys.stderr.write('uwsgi signal %d: the handler raised\n' % num)
        traceback.print_exc()


def _signal_loop():
    wake = _signal_state['wake']
    last_minute = int(_time.time() // 60)
    while True:
        now = _time.monotonic()
        due = [timer for timer in _signal_timers if timer[2] <= now]
        for timer in due:
            timer[2] = timer[2] + timer[1] if timer[2] + timer[1] > now else now + timer[1]
            _signal_deliver(timer[0])
        minute = int(_time.time() // 60)
        if minute != last_minute:
            last_minute = minute
            moment = _time.localtime(minute * 60)
            for entry in list(_signal_crons):
                if _cron_due(entry, moment):
                    _signal_deliver(entry[0])
        delays = [timer[2] - _time.monotonic() for timer in _signal_timers]
        if _signal_crons:
            delays.append((minute + 1) * 60 - _time.time() + 0.01)
        wake.wait(max(0.0, min(delays)) if delays else None)
        wake.clear()


def _signal_poke():
    if not _signal_state['serving'] or not (_signal_timers or _signal_crons):
        return
    if _signal_state['thread'] is None:
        import threading
        _signal_state['wake'] = threading.Event()
        thread = threading.Thread(target=_signal_loop, name='uwsgi-signals', daemon=True)
        _signal_state['thread'] = thread
        thread.start()
    else:
        _signal_state['wake'].set()


def _start_serving():
    # A worker about to serve, or a spooler done with its imports: timers and crons start here (never in
    # the preloader, whose single thread is what it forks). A worker forked from the preloader got the
    # preloader's module: it is a worker now.
    global _role
    if _role == 'preloader':
        _role = 'worker'
    _signal_state['serving'] = True
    for timer in _signal_timers:
        timer[2] = _time.monotonic() + timer[1]
    _signal_poke()
"""#
}
