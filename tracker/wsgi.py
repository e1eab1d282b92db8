"""WSGI entry point: `gunicorn tracker.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the app, its models and settings) lives as long as the process:
# frozen out of the collector's reach, a full collection no longer walks it on some request, which
# made about one first visit in twenty 80 ms slower (bench/pages.py).
gc.freeze()
