from channels.generic.websocket import AsyncWebsocketConsumer

GROUP = "bench"


class ChatConsumer(AsyncWebsocketConsumer):
    """Every connection joins the group before it is accepted; a message from one client goes to the
    whole group, the sender included."""

    groups = [GROUP]

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(GROUP, {"type": "chat.message", "text": text_data or ""})

    async def chat_message(self, event):
        await self.send(text_data=event["text"])
