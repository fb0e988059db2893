"""The chat's ASGI entry point: Django views over HTTP, the chat consumer over WebSockets."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'chatsite.settings')
django_application = get_asgi_application()   # before importing anything that touches models

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from chatsite.consumers import ChatConsumer  # noqa: E402

application = ProtocolTypeRouter({
    'http': django_application,
    'websocket': URLRouter([
        path('ws/chat/<str:room>/', ChatConsumer.as_asgi()),
    ]),
})
