"""A small FastAPI app: a JSON endpoint with a path parameter and a query, a POST with a pydantic body,
and a StreamingResponse that yields with small sleeps."""
import asyncio
import os

from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

app = FastAPI()


class Item(BaseModel):
    name: str
    price: float
    tags: list[str] = []


@app.get('/items/{item_id}')
async def read_item(item_id: int, q: str | None = None):
    return {'item_id': item_id, 'q': q, 'pid': os.getpid()}


@app.post('/items', status_code=201)
async def create_item(item: Item):
    return {'name': item.name, 'price_cents': round(item.price * 100), 'tags': item.tags}


@app.get('/stream')
async def stream(count: int = 4):
    async def lines():
        for i in range(count):
            yield 'line %d\n' % i
            await asyncio.sleep(0.05)
    return StreamingResponse(lines(), media_type='text/plain')
