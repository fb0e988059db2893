"""A chat room: every client of /ws/chat/ROOM/ joins the group of ROOM and sees every message sent there."""
from channels.generic.websocket import AsyncWebsocketConsumer


class ChatConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.group = 'chat_' + self.scope['url_route']['kwargs']['room']
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(self.group, {'type': 'chat.message', 'text': text_data})

    async def chat_message(self, event):
        await self.send(text_data=event['text'])
