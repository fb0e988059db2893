"""A plain ASGI 3 app (no framework) that shows what the server gives it: scope, body chunks, disconnects,
lifespan state, streaming with delays, WebSocket echo."""
import asyncio
import json
import os

started = {'lifespan': False}


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
    if path == '/scope':
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
        while True:
            message = await receive()
            if message['type'] == 'http.disconnect':
                return
            chunks.append(len(message['body']))
            total += len(message['body'])
            if not message.get('more_body'):
                break
        reply = json.dumps({'total': total, 'chunks': len(chunks)}).encode()
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
    if path == '/raise':
        raise RuntimeError('boom from the ASGI app')
    if path == '/no-response':
        return
    if path == '/slow':
        await asyncio.sleep(float(scope['query_string'] or b'1'))
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
    while True:
        message = await receive()
        if message['type'] == 'websocket.disconnect':
            marker = os.environ.get('ASGI_DISCONNECT_FILE')
            if marker:
                with open(marker, 'a') as f:
                    f.write('ws disconnect %s\n' % message.get('code'))
            return
        if message.get('text') is not None:
            if message['text'] == 'close':
                await send({'type': 'websocket.close', 'code': 4001, 'reason': 'asked to'})
                return
            await send({'type': 'websocket.send', 'text': message['text']})
        else:
            await send({'type': 'websocket.send', 'bytes': message['bytes']})
