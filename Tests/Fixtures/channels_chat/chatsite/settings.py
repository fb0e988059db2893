"""Settings of the Channels chat fixture: no database, an in-memory channel layer (one worker process)."""
SECRET_KEY = 'liege-tests-only'
DEBUG = False
ALLOWED_HOSTS = ['localhost', '127.0.0.1']
INSTALLED_APPS = ['channels']
MIDDLEWARE = ['django.middleware.common.CommonMiddleware']   # checks ALLOWED_HOSTS
ROOT_URLCONF = 'chatsite.urls'
DATABASES = {}
USE_TZ = True
TIME_ZONE = 'UTC'   # Django sets the process's TZ from it (its default is America/Chicago)
ASGI_APPLICATION = 'chatsite.asgi.application'
CHANNEL_LAYERS = {'default': {'BACKEND': 'channels.layers.InMemoryChannelLayer'}}
