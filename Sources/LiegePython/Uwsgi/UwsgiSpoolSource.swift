/// The spooler half of the `uwsgi` module: `spool()` queues a task as a file in a spooler directory (in
/// uWSGI's format, so tasks left by uWSGI run too: a 4-byte uwsgi header, 16-bit length-prefixed keys and
/// values, then the body), written beside its final name and renamed into place so a spooler never sees
/// half of it; `_spooler_main` is the loop of a spooler process.
enum UwsgiSpoolSource {
    static let source = #"""


_spool_counter = [0]
_TASK_PREFIX = 'uwsgi_spoolfile_on_'


def _spool_directory(requested):
    configured = _facts['spoolers']
    if not configured:
        raise ValueError('unable to spool job: no spooler is configured (spooler = DIR)')
    if requested is None:
        return configured[0]
    wanted = _os.path.abspath(_text(requested))
    for directory in configured:
        if _os.path.abspath(directory) == wanted:
            return directory
    raise ValueError('unable to spool job: %r is not a spooler directory (spoolers: %s)' % (_text(requested), ', '.join(configured)))


def _spool_value(value):
    if isinstance(value, (bytes, str, bytearray, memoryview)):
        return _bytes(value, 'value')
    return str(value).encode('utf-8')


def spool(*args, **kwargs):
    if args:
        if len(args) != 1 or not isinstance(args[0], dict):
            raise ValueError('The argument of spooler callable must be a dictionary')
        message = dict(args[0])
    else:
        message = dict(kwargs)
    body = None
    for name in ('body', b'body'):
        if name in message:
            body = _spool_value(message.pop(name))
    packet = bytearray()
    fields = {}
    for key, value in message.items():
        key = _bytes(key)
        value = _spool_value(value)
        if len(key) > 0xffff or len(value) > 0xffff:
            raise ValueError('spooler values are limited to 64 KiB each: put bigger data in "body"')
        fields[key] = value
        packet += len(key).to_bytes(2, 'little') + key + len(value).to_bytes(2, 'little') + value
    if len(packet) > 0xffff:
        raise ValueError('the spooler arguments are limited to 64 KiB in all: put bigger data in "body"')
    directory = _spool_directory(fields.get(b'spooler'))
    if b'priority' in fields:
        directory = _os.path.join(directory, _text(fields[b'priority']))
        _os.makedirs(directory, exist_ok=True)
    _spool_counter[0] += 1
    now = _time.time()
    import random
    name = '%s%s_%d_%d_%d_%d_%06d' % (_TASK_PREFIX, _text(hostname), _os.getpid(), _spool_counter[0],
                                     random.randrange(1 << 30), int(now), int(now % 1 * 1000000))
    final = _os.path.join(directory, name)
    partial = _os.path.join(directory, '.' + name + '.part')
    with open(_os.open(partial, _os.O_WRONLY | _os.O_CREAT | _os.O_EXCL, 0o600), 'wb') as task:
        task.write(bytes((17,)) + len(packet).to_bytes(2, 'little') + bytes((0,)) + bytes(packet) + (body or b''))
    if b'at' in fields:
        at = int(float(_text(fields[b'at'])))
        _os.utime(partial, (at, at))
    _os.rename(partial, final)
    return final.encode()


send_to_spooler = spool


def _parse_task(data):
    if len(data) < 4:
        raise ValueError('shorter than its header')
    size = int.from_bytes(data[1:3], 'little')
    if 4 + size > len(data):
        raise ValueError('its header announces %d bytes, it has %d' % (size, len(data) - 4))
    task = {}
    position, end = 4, 4 + size
    while position < end:
        if position + 2 > end:
            raise ValueError('a key length is cut short')
        length = int.from_bytes(data[position:position + 2], 'little')
        key = bytes(data[position + 2:position + 2 + length])
        position += 2 + length
        if position + 2 > end:
            raise ValueError('a value length is cut short')
        length = int.from_bytes(data[position:position + 2], 'little')
        task[key] = bytes(data[position + 2:position + 2 + length])
        position += 2 + length
        if position > end:
            raise ValueError('a value is cut short')
    return task, bytes(data[end:])


def _task_names(directory):
    try:
        names = sorted(_os.listdir(directory))
    except OSError as error:
        _sys.stderr.write('[spooler] cannot read %s: %s\n' % (directory, error))
        return []
    tasks = []
    priorities = sorted((name for name in names if name.isdigit() and _os.path.isdir(_os.path.join(directory, name))), key=int)
    for priority in priorities:
        tasks += _task_names(_os.path.join(directory, priority))
    return tasks + [_os.path.join(directory, name) for name in names if name.startswith(_TASK_PREFIX)]


class _Spooler:
    def __init__(self, directory, frequency, chdir, quiet, max_tasks, harakiri):
        self.directory = directory
        self.frequency = frequency
        # A task that asked for a retry (or raised) waits for the next periodic scan, whatever wakes us.
        self.retry_at = {}
        self.chdir = chdir
        self.quiet = quiet
        self.max_tasks = max_tasks
        self.harakiri = harakiri
        self.tasks = 0
        self.warned = False
        self.prefix = '[spooler %s pid: %d]' % (directory, _os.getpid())

    def say(self, text):
        if not self.quiet:
            _sys.stderr.write('%s %s\n' % (self.prefix, text))

    def scan(self):
        """Runs every task that is due; returns when the next future one (`at`) is due, or None."""
        upcoming = None
        names = _task_names(self.directory)
        present = set(names)
        self.retry_at = {path: at for path, at in self.retry_at.items() if path in present}
        for path in names:
            if self.retry_at.get(path, 0) > _time.time():
                continue
            due = self.run(path)
            if due is not None:
                upcoming = due if upcoming is None else min(upcoming, due)
            if self.max_tasks and self.tasks >= self.max_tasks:
                break
        for at in self.retry_at.values():
            upcoming = at if upcoming is None else min(upcoming, at)
        return upcoming

    def run(self, path):
        import fcntl
        try:
            fd = _os.open(path, _os.O_RDONLY)
        except OSError:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                # uWSGI's writers hold a POSIX lock on a task while they write it.
                fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return None
            status = _os.fstat(fd)
            if status.st_nlink == 0:
                return None
            if status.st_mtime > _time.time():
                return status.st_mtime
            with open(fd, 'rb', closefd=False) as stream:
                data = stream.read()
            try:
                task, body = _parse_task(data)
            except ValueError as problem:
                # A file still being written by a writer that does not rename into place: look again later.
                if _time.time() - status.st_mtime < 60:
                    return status.st_mtime + 60
                _sys.stderr.write('%s invalid task %s (%s): removed\n' % (self.prefix, path, problem))
                _os.unlink(path)
                return None
            self.execute(path, task, body)
        finally:
            _os.close(fd)
        return None

    def execute(self, path, task, body):
        handler = spooler
        if handler is None:
            if not self.warned:
                _sys.stderr.write('%s no spooler function: set uwsgi.spooler (or use uwsgidecorators.spool) in the app '
                                  'or a spooler-import module; tasks stay queued\n' % self.prefix)
                self.warned = True
            return
        name = _os.path.basename(path)
        arguments = {'spooler_task_name': name.encode()}
        arguments.update(task)
        if body:
            arguments['body'] = body
        self.say('managing request %s ...' % name)
        _os.chdir(self.chdir or self.directory)
        started = _time.time()
        if self.harakiri:
            _signal.alarm(self.harakiri)
        try:
            result = handler(arguments)
        except BaseException:
            import traceback
            _sys.stderr.write('%s task %s raised (it stays queued):\n' % (self.prefix, name))
            traceback.print_exc()
            result = SPOOL_RETRY
        finally:
            if self.harakiri:
                _signal.alarm(0)
        if not isinstance(result, int) or isinstance(result, bool):
            result = SPOOL_RETRY
        if result != SPOOL_OK:
            self.retry_at[path] = _time.time() + self.frequency
        if result == SPOOL_IGNORE:
            return
        self.tasks += 1
        if result == SPOOL_OK:
            self.say('done with task %s after %d seconds' % (name, int(_time.time() - started)))
            try:
                _os.unlink(path)
            except FileNotFoundError:
                pass


def _spooler_run(directory, frequency, chdir, quiet, max_tasks, harakiri, imports):
    """A spooler process, after the app's import: each `spooler-import` (a module, or a file when it has a
    "/" or ends in .py; a failure is logged), the uwsgi timers meant for spoolers, then the loop."""
    import _liege
    for name in imports:
        try:
            if '/' in name or name.endswith('.py'):
                _liege.load_file(name)
            else:
                _liege.import_module(name)
        except BaseException:
            import traceback
            _sys.stderr.write('[spooler] spooler-import %s failed:\n' % name)
            traceback.print_exc()
    _start_serving()
    _spooler_main(directory, frequency, chdir, quiet, max_tasks, harakiri)


def _spooler_main(directory, frequency, chdir, quiet, max_tasks, harakiri):
    worker = _Spooler(directory, frequency, chdir, quiet, max_tasks, harakiri)
    while True:
        upcoming = worker.scan()
        if max_tasks and worker.tasks >= max_tasks:
            _sys.stderr.write('%s maximum number of tasks reached (%d): recycling\n' % (worker.prefix, max_tasks))
            return
        timeout = float(frequency)
        if upcoming is not None:
            timeout = min(timeout, max(0.0, upcoming - _time.time()) + 0.05)
        if _native.spool_wait(int(timeout * 1000)):
            return
"""#
}
