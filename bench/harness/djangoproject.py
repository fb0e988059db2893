"""The Django test project: `django-admin startproject benchsite` in .bench/django, DEBUG off,
ALLOWED_HOSTS for loopback, one trivial view at /hello/, migrated SQLite (admin login page)."""

import os
import subprocess

from context import VENV, WORK

VIEW = '''
from django.http import HttpResponse


def hello(request):
    return HttpResponse(b"Hello, World!", content_type="text/plain")
'''


def ensure_project():
    directory = os.path.join(WORK, "django")
    stamp = os.path.join(directory, ".ready")
    if os.path.exists(stamp):
        return directory
    os.makedirs(directory, exist_ok=True)
    admin = os.path.join(VENV, "bin", "django-admin")
    if not os.path.exists(os.path.join(directory, "manage.py")):
        subprocess.run([admin, "startproject", "benchsite", directory], check=True)
    settings = os.path.join(directory, "benchsite", "settings.py")
    with open(settings) as f:
        text = f.read()
    text = text.replace("DEBUG = True", "DEBUG = False")
    text = text.replace("ALLOWED_HOSTS = []", 'ALLOWED_HOSTS = ["127.0.0.1", "localhost"]')
    with open(settings, "w") as f:
        f.write(text)
    with open(os.path.join(directory, "benchsite", "views.py"), "w") as f:
        f.write(VIEW)
    urls = os.path.join(directory, "benchsite", "urls.py")
    with open(urls) as f:
        text = f.read()
    if "views.hello" not in text:
        text = text.replace("from django.urls import path", "from django.urls import path\n\nfrom . import views")
        text = text.replace("urlpatterns = [", 'urlpatterns = [\n    path("hello/", views.hello),')
        with open(urls, "w") as f:
            f.write(text)
    subprocess.run([os.path.join(VENV, "bin", "python"), "manage.py", "migrate", "-v", "0"], cwd=directory,
                   check=True)
    open(stamp, "w").close()
    return directory
