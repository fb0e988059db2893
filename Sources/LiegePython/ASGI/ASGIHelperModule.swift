/// The Python half of the ASGI bridge, compiled once into the module `_liege_asgi`: one asyncio loop
/// on the worker's main thread runs every request and WebSocket of the worker as a task. The event
/// loop in Swift owns the sockets; `native` (an `ASGINative` object) is how this code reaches it:
/// `fetch()` takes a batch of events when the wake-up descriptor turns readable, `receive`/`send`
/// and friends never block, and a `poke` event wakes a task that was told to wait.
enum ASGIHelperModule {
    static let name = "_liege_asgi"

    static let source = #"""
import asyncio as _asyncio
import sys as _sys
import traceback as _traceback
from urllib.parse import unquote as _unquote

def new_loop(kind):
    """The worker's event loop: uvloop when asked for (or `auto` and importable), asyncio otherwise."""
    if kind in ('auto', 'uvloop'):
        try:
            import uvloop
        except ImportError:
            if kind == 'uvloop':
                raise
        else:
            return uvloop.new_event_loop()
    return _asyncio.new_event_loop()


def _path(raw):
    text = raw.decode('latin-1')
    if '%' in text:
        return _unquote(text)
    return text


class _Connection:
    # complete: the HTTP response ended, or its last part was offered; released: the bridge took that
    # last part and forgot the request (no `done` unless the app raises later). Both stay False for a
    # WebSocket. task: the asyncio task running the app, while the connection is in server.connections.
    # status and headers: the HTTP response start, kept until its first body part (unused by a WebSocket;
    # here so that HTTPCycle needs no __init__ of its own, one Python call less per request).
    __slots__ = ('server', 'native', 'cid', 'scope', 'receivers', 'senders', 'gone', 'complete', 'released', 'task',
                 'status', 'headers')

    def __init__(self, server, cid, scope):
        self.server = server
        self.native = server.native
        self.cid = cid
        self.scope = scope
        self.receivers = None
        self.senders = None
        self.gone = False
        self.complete = False
        self.released = False
        self.task = None
        self.status = None
        self.headers = None

    def poke(self):
        for waiters in (self.receivers, self.senders):
            if waiters:
                for future in waiters:
                    if not future.done():
                        future.set_result(None)
                waiters.clear()

    async def _wait_receive(self):
        future = self.server.loop.create_future()
        if self.receivers is None:
            self.receivers = [future]
        else:
            self.receivers.append(future)
        await future

    async def _wait_writable(self):
        native = self.native
        while not native.writable(self.cid):
            future = self.server.loop.create_future()
            if self.senders is None:
                self.senders = [future]
            else:
                self.senders.append(future)
            await future

    async def run(self):
        """Runs the app for this connection; its end (or exception) is reported to the server."""
        server = self.server
        try:
            result = await server.app(self.scope, self.receive, self.send)
        except BaseException as error:
            self._failed(''.join(_traceback.format_exception(error)))
            self._done()
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            return
        if result is not None:
            self.native.log('ASGI callable returned a value (%r) instead of None' % (result,))
        if not self.released:
            self.native.done(self.cid, None)
        # _done(), inlined for the common end.
        self.gone = True
        server.connections.pop(self.cid, None)
        if self.receivers or self.senders:
            self.poke()

    def _failed(self, text):
        self.native.done(self.cid, text)

    def _done(self):
        self.gone = True
        self.server.connections.pop(self.cid, None)
        if self.receivers or self.senders:
            self.poke()


class HTTPCycle(_Connection):
    __slots__ = ()

    async def receive(self):
        native = self.native
        while True:
            if self.gone or self.complete:
                return {'type': 'http.disconnect'}
            got = native.receive(self.cid)
            if got is None:
                await self._wait_receive()
                continue
            if got.__class__ is tuple:
                return {'type': 'http.request', 'body': got[0], 'more_body': got[1]}
            self.gone = True
            return {'type': 'http.disconnect'}

    async def send(self, message):
        kind = message['type']
        if kind == 'http.response.body':
            status = self.status
            if status is None:
                raise RuntimeError("ASGI: 'http.response.body' sent before 'http.response.start'")
            if self.complete:
                raise RuntimeError("ASGI: 'http.response.body' sent after the response completed")
            more = message.get('more_body', False)
            if not more:
                self.complete = True
            result = self.native.send(self.cid, status, self.headers, message.get('body', b''), more)
            if not more:
                self.released = True
            self.headers = None
            server = self.server
            if not server.flush_pending:
                server.flush_pending = True
                server.loop.call_soon(server._flush)
            if not more and (self.receivers or self.senders):
                self.poke()
            if result is False:
                await self._wait_writable()
            return
        if kind == 'http.response.start':
            if self.status is not None:
                raise RuntimeError("ASGI: 'http.response.start' sent twice")
            status = message['status']
            if not isinstance(status, int):
                raise TypeError('ASGI: the response status must be an int, not %s' % type(status).__name__)
            self.status = status
            self.headers = message.get('headers', ())
            return
        raise RuntimeError('ASGI: unexpected message type %r on an HTTP connection' % (kind,))


class WebSocketCycle(_Connection):
    __slots__ = ('state',)
    # state: 0 connecting (connect not yet received), 1 handshake (connect received), 2 accepted, 3 closed

    def __init__(self, server, cid, scope):
        _Connection.__init__(self, server, cid, scope)
        self.state = 0

    async def receive(self):
        if self.state == 0:
            self.state = 1
            return {'type': 'websocket.connect'}
        native = self.native
        while True:
            got = native.receive(self.cid)
            if got is None:
                await self._wait_receive()
                continue
            if isinstance(got, str):
                return {'type': 'websocket.receive', 'text': got}
            if isinstance(got, bytes):
                return {'type': 'websocket.receive', 'bytes': got}
            self.state = 3
            return {'type': 'websocket.disconnect', 'code': got}

    async def send(self, message):
        kind = message['type']
        native = self.native
        if kind == 'websocket.send':
            if self.state != 2:
                raise RuntimeError("ASGI: 'websocket.send' before 'websocket.accept'" if self.state < 2
                                   else "ASGI: 'websocket.send' after the WebSocket closed")
            text = message.get('text')
            if text is not None:
                result = native.send_text(self.cid, text)
            else:
                data = message.get('bytes')
                if data is None:
                    raise RuntimeError("ASGI: 'websocket.send' needs 'text' or 'bytes'")
                result = native.send_bytes(self.cid, data)
            self.server.schedule_flush()
            if result is False:
                await self._wait_writable()
            return
        if kind == 'websocket.accept':
            if self.state >= 2:
                raise RuntimeError("ASGI: 'websocket.accept' sent twice or after close")
            native.accept(self.cid, message.get('subprotocol'), message.get('headers', ()))
            self.state = 2
            self.server.schedule_flush()
            return
        if kind == 'websocket.close':
            if self.state == 3:
                return
            native.close(self.cid, message.get('code', 1000), message.get('reason') or '')
            self.state = 3
            self.server.schedule_flush()
            return
        raise RuntimeError('ASGI: unexpected message type %r on a WebSocket' % (kind,))


class Lifespan:
    """The lifespan protocol: startup before the worker serves, shutdown after its last connection."""

    def __init__(self, server, mode):
        self.server = server
        self.mode = mode
        self.incoming = _asyncio.Queue()
        self.started = server.loop.create_future()
        self.ended = server.loop.create_future()
        self.failure = None
        self.unsupported = False
        self.startup_done = False
        self.task = None

    def start(self):
        self.task = self.server.loop.create_task(self.run())

    async def run(self):
        scope = {'type': 'lifespan', 'asgi': {'version': '3.0', 'spec_version': '2.0'}, 'state': self.server.state}
        try:
            await self.server.app(scope, self.receive, self.send)
        except BaseException as error:
            if not self.startup_done and self.mode == 'auto':
                self.unsupported = True
                self.server.native.log('ASGI lifespan is not supported by the app (%s: %s); serving without it'
                                       % (type(error).__name__, error))
            else:
                self.failure = ''.join(_traceback.format_exception(error))
        finally:
            if not self.started.done():
                if self.failure is None and not self.unsupported:
                    self.failure = 'the app returned before it completed the lifespan startup'
                    if self.mode == 'auto':
                        self.failure = None
                        self.unsupported = True
                self.started.set_result(None)
            if not self.ended.done():
                self.ended.set_result(None)

    async def receive(self):
        return await self.incoming.get()

    async def send(self, message):
        kind = message['type']
        if kind == 'lifespan.startup.complete':
            self.startup_done = True
            if not self.started.done():
                self.started.set_result(None)
        elif kind == 'lifespan.startup.failed':
            self.startup_done = True
            self.failure = message.get('message') or 'lifespan startup failed'
            if not self.started.done():
                self.started.set_result(None)
        elif kind == 'lifespan.shutdown.complete':
            if not self.ended.done():
                self.ended.set_result(None)
        elif kind == 'lifespan.shutdown.failed':
            self.server.native.log('ASGI lifespan shutdown failed: %s' % (message.get('message') or ''))
            if not self.ended.done():
                self.ended.set_result(None)
        else:
            raise RuntimeError('ASGI: unexpected lifespan message type %r' % (kind,))

    async def startup(self):
        self.start()
        await self.incoming.put({'type': 'lifespan.startup'})
        await self.started
        return self.failure

    async def shutdown(self):
        if self.unsupported or self.ended.done():
            return
        await self.incoming.put({'type': 'lifespan.shutdown'})
        await self.ended


class Server:
    def __init__(self, native, app, fd, loop_kind, lifespan, root_path):
        self.native = native
        self.app = app
        self.fd = fd
        self.root_path = root_path
        self.connections = {}
        self.state = {}
        native.configure(self.state, root_path, _path)
        self.loop = new_loop(loop_kind)
        _asyncio.set_event_loop(self.loop)
        self.lifespan = Lifespan(self, lifespan) if lifespan != 'off' else None
        self.flush_pending = False
        self.stopped = None

    def startup(self):
        """Runs the lifespan startup; the app's failure message, or None when the worker may serve."""
        if self.lifespan is None:
            return None
        failure = self.loop.run_until_complete(self.lifespan.startup())
        if failure is not None:
            return failure
        return None

    def run(self):
        self.stopped = self.loop.create_future()
        self.loop.add_reader(self.fd, self.on_events)
        self.on_events()
        try:
            self.loop.run_until_complete(self.stopped)
            self.loop.remove_reader(self.fd)
            for connection in list(self.connections.values()):
                connection.gone = True
                connection.poke()
            # Every connection is closed; apps still running (background work after a response) finish
            # before the lifespan shutdown, as long as the master's reload-mercy lets them.
            running = [connection.task for connection in list(self.connections.values())
                       if connection.task is not None and not connection.task.done()]
            if running:
                self.loop.run_until_complete(_asyncio.wait(running))
            if self.lifespan is not None:
                try:
                    self.loop.run_until_complete(_asyncio.wait_for(self.lifespan.shutdown(), 30))
                except Exception as error:
                    self.native.log('ASGI lifespan shutdown: %s: %s' % (type(error).__name__, error))
            self._cancel_tasks()
        finally:
            self.native.flush()

    def _cancel_tasks(self):
        tasks = [task for task in _asyncio.all_tasks(self.loop) if not task.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            self.loop.run_until_complete(_asyncio.gather(*tasks, return_exceptions=True))
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())

    def schedule_flush(self):
        if not self.flush_pending:
            self.flush_pending = True
            self.loop.call_soon(self._flush)

    def _flush(self):
        self.flush_pending = False
        self.native.flush()

    def on_events(self):
        connections = self.connections
        create_task = self.loop.create_task
        for event in self.native.fetch():
            kind = event[0]
            if kind == 0:
                cid = event[1]
                cycle = HTTPCycle(self, cid, event[2])
                connections[cid] = cycle
                cycle.task = create_task(cycle.run())
            elif kind == 1:
                connection = connections.get(event[1])
                if connection is not None:
                    connection.poke()
            elif kind == 2:
                cid = event[1]
                cycle = WebSocketCycle(self, cid, event[2])
                connections[cid] = cycle
                cycle.task = create_task(cycle.run())
            elif kind == 3:
                if not self.stopped.done():
                    self.stopped.set_result(None)
        self.schedule_flush()
"""#
}
