"""Settings of the Channels bench project: no database, no middleware the chat needs, the in-memory
channel layer (it lives in one process, so the Channels row runs every server with one process)."""

SECRET_KEY = "bench-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["channels"]
MIDDLEWARE = []
ROOT_URLCONF = "benchchat.urls"
DATABASES = {}
USE_TZ = True
ASGI_APPLICATION = "benchchat.asgi.application"
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
