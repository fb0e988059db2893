"""The Channels project's ASGI application: Django for HTTP (/hello/), the chat consumer at /ws/chat/."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchchat.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_application = get_asgi_application()  # sets Django up before the consumers are imported

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from benchchat.consumers import ChatConsumer  # noqa: E402

application = ProtocolTypeRouter({
    "http": django_application,
    "websocket": URLRouter([path("ws/chat/", ChatConsumer.as_asgi())]),
})
