"""A small Starlette app: plain and JSON routes, a path parameter, lifespan state read by a route, a
background task that runs after its response, and a WebSocket echo."""
import asyncio
import contextlib
import os

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route, WebSocketRoute


@contextlib.asynccontextmanager
async def lifespan(app):
    yield {'greeting': 'started by lifespan in %d' % os.getpid()}


async def home(request):
    return PlainTextResponse('Hello from Starlette pid=%d\n' % os.getpid())


async def user(request):
    return JSONResponse({'user_id': request.path_params['user_id'], 'sort': request.query_params.get('sort')})


async def state(request):
    return JSONResponse({'greeting': request.state.greeting, 'pid': os.getpid()})


async def background(request):
    """Answers at once, then writes the file named by `?file=` half a second later."""
    async def write_later(path):
        await asyncio.sleep(0.5)
        with open(path, 'w') as f:
            f.write('background done %d\n' % os.getpid())
    return PlainTextResponse('accepted\n', background=BackgroundTask(write_later, request.query_params['file']))


async def echo(websocket):
    await websocket.accept()
    while True:
        message = await websocket.receive()
        if message['type'] == 'websocket.disconnect':
            return
        if message.get('text') is not None:
            await websocket.send_text(message['text'])
        else:
            await websocket.send_bytes(message['bytes'])


app = Starlette(routes=[
    Route('/', home),
    Route('/users/{user_id:int}', user),
    Route('/state', state),
    Route('/background', background),
    WebSocketRoute('/ws', echo),
], lifespan=lifespan)
