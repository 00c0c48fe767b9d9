"""WSGI entry point for gunicorn: `gunicorn boh.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boh.settings")
application = get_wsgi_application()
