"""A plain ASGI 3 app (no framework) that shows what the server gives it: scope, body chunks, disconnects,
lifespan state, streaming with delays, WebSocket echo."""
import asyncio
import hashlib
import json
import os
import time

started = {'lifespan': False}
progress = {'flood_sent': 0, 'read': 0}


async def app(scope, receive, send):
    kind = scope['type']
    if kind == 'lifespan':
        while True:
            message = await receive()
            if message['type'] == 'lifespan.startup':
                if os.environ.get('ASGI_STARTUP_FAIL'):
                    await send({'type': 'lifespan.startup.failed', 'message': os.environ['ASGI_STARTUP_FAIL']})
                    return
                scope['state']['greeting'] = 'hello from lifespan'
                started['lifespan'] = True
                await send({'type': 'lifespan.startup.complete'})
            elif message['type'] == 'lifespan.shutdown':
                path = os.environ.get('ASGI_SHUTDOWN_FILE')
                if path:
                    with open(path, 'w') as f:
                        f.write('shutdown %d\n' % os.getpid())
                await send({'type': 'lifespan.shutdown.complete'})
                return
    if kind == 'websocket':
        await websocket(scope, receive, send)
        return
    path = scope['path']
    root = scope.get('root_path', '')
    if root and path.startswith(root):
        path = path[len(root):]   # routes are relative to the mount point, as frameworks do
    if path.startswith('/scope'):
        body = json.dumps({
            'type': scope['type'], 'asgi': scope['asgi'], 'http_version': scope['http_version'],
            'method': scope['method'], 'scheme': scope['scheme'], 'path': scope['path'],
            'raw_path': scope['raw_path'].decode('latin-1'), 'query_string': scope['query_string'].decode('latin-1'),
            'root_path': scope['root_path'],
            'headers': [[k.decode('latin-1'), v.decode('latin-1')] for k, v in scope['headers']],
            'client': list(scope['client']) if scope['client'] else None,
            'server': list(scope['server']) if scope['server'] else None,
            'state': scope.get('state', {}), 'pid': os.getpid(),
        }).encode()
        await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'application/json')]})
        await send({'type': 'http.response.body', 'body': body})
        return
    if path == '/echo':
        chunks = []
        total = 0
        digest = hashlib.sha256()
        while True:
            message = await receive()
            if message['type'] == 'http.disconnect':
                return
            chunks.append(len(message['body']))
            total += len(message['body'])
            digest.update(message['body'])
            if not message.get('more_body'):
                break
        reply = json.dumps({'total': total, 'chunks': len(chunks), 'sha256': digest.hexdigest()}).encode()
        await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'application/json')]})
        await send({'type': 'http.response.body', 'body': reply})
        return
    if path == '/stream':
        await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'text/plain')]})
        for i in range(3):
            await send({'type': 'http.response.body', 'body': b'part %d\n' % i, 'more_body': True})
            await asyncio.sleep(0.3)
        await send({'type': 'http.response.body', 'body': b''})
        return
    if path == '/gated':
        # The first block, then nothing until the file named by the query string exists.
        gate = scope['query_string'].decode()
        await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'text/plain')]})
        await send({'type': 'http.response.body', 'body': b'before the gate\n', 'more_body': True})
        for _ in range(600):
            if os.path.exists(gate):
                break
            await asyncio.sleep(0.05)
        await send({'type': 'http.response.body', 'body': b'after the gate\n'})
        return
    if path == '/flood':
        # N blocks of 64 KiB; /progress tells how many bytes the app's send() calls have returned for.
        blocks = int(scope['query_string'] or b'1')
        progress['flood_sent'] = 0
        await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-length', b'%d' % (blocks * 65536))]})
        block = b'f' * 65536
        for i in range(blocks):
            await send({'type': 'http.response.body', 'body': block, 'more_body': i < blocks - 1})
            progress['flood_sent'] += len(block)
        return
    if path == '/progress':
        await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'application/json')]})
        await send({'type': 'http.response.body', 'body': json.dumps(progress).encode()})
        return
    if path == '/gated-read':
        # Reads the first part of the body, then nothing until the file named by the query string exists.
        gate = scope['query_string'].decode()
        digest = hashlib.sha256()
        progress['read'] = 0
        first = True
        while True:
            message = await receive()
            if message['type'] == 'http.disconnect':
                return
            digest.update(message['body'])
            progress['read'] += len(message['body'])
            if first:
                first = False
                while not os.path.exists(gate):
                    await asyncio.sleep(0.05)
            if not message.get('more_body'):
                break
        await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'application/json')]})
        await send({'type': 'http.response.body',
                    'body': json.dumps({'total': progress['read'], 'sha256': digest.hexdigest()}).encode()})
        return
    if path == '/wait-disconnect':
        await send({'type': 'http.response.start', 'status': 200, 'headers': []})
        await send({'type': 'http.response.body', 'body': b'waiting\n', 'more_body': True})
        message = await receive()
        while message['type'] != 'http.disconnect':
            message = await receive()
        marker = os.environ.get('ASGI_DISCONNECT_FILE')
        if marker:
            with open(marker, 'w') as f:
                f.write('disconnected\n')
        return
    if path == '/raise-mid-stream':
        await send({'type': 'http.response.start', 'status': 200, 'headers': []})
        await send({'type': 'http.response.body', 'body': b'the start\n', 'more_body': True})
        raise RuntimeError('boom in the middle of a stream')
    if path == '/bad-header':
        await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'x-evil', b'a\r\nSet-Cookie: x=1')]})
        await send({'type': 'http.response.body', 'body': b'must not be sent\n'})
        return
    if path == '/raise':
        raise RuntimeError('boom from the ASGI app')
    if path == '/no-response':
        return
    if path == '/slow':
        await asyncio.sleep(float(scope['query_string'] or b'1'))
    if path == '/block':
        # A synchronous call inside a coroutine: the whole event loop stops for its duration.
        time.sleep(float(scope['query_string'] or b'1'))
    await send({'type': 'http.response.start', 'status': 200,
                'headers': [(b'content-type', b'text/plain'), (b'x-app', b'asgi-raw')]})
    await send({'type': 'http.response.body', 'body': b'Hello, ASGI!\n'})


async def websocket(scope, receive, send):
    message = await receive()
    assert message['type'] == 'websocket.connect'
    path = scope['path']
    if path == '/deny':
        await send({'type': 'websocket.close', 'code': 1008})
        return
    subprotocol = scope['subprotocols'][0] if scope['subprotocols'] else None
    await send({'type': 'websocket.accept', 'subprotocol': subprotocol, 'headers': [(b'x-ws', b'yes')]})
    if path == '/ws-scope':
        await send({'type': 'websocket.send', 'text': json.dumps({
            'type': scope['type'], 'scheme': scope['scheme'], 'path': scope['path'],
            'raw_path': scope['raw_path'].decode('latin-1'), 'query_string': scope['query_string'].decode('latin-1'),
            'root_path': scope['root_path'], 'http_version': scope['http_version'],
            'headers': [[k.decode('latin-1'), v.decode('latin-1')] for k, v in scope['headers']],
            'subprotocols': scope['subprotocols'], 'client': list(scope['client']) if scope['client'] else None,
            'server': list(scope['server']) if scope['server'] else None, 'state': scope.get('state', {}),
            'pid': os.getpid()})})
    while True:
        message = await receive()
        if message['type'] == 'websocket.disconnect':
            marker = os.environ.get('ASGI_DISCONNECT_FILE')
            if marker:
                with open(marker, 'a') as f:
                    f.write('ws disconnect %s\n' % message.get('code'))
            return
        if message.get('text') is not None:
            if message['text'] == 'raise':
                raise RuntimeError('boom in a WebSocket')
            if message['text'] == 'close':
                await send({'type': 'websocket.close', 'code': 4001, 'reason': 'asked to'})
                return
            await send({'type': 'websocket.send', 'text': message['text']})
        else:
            await send({'type': 'websocket.send', 'bytes': message['bytes']})
