"""WSGI entry point: `gunicorn -k gevent -w 1 wsgi:app` (see README, Production)."""

from asan_queue import create_app
from config import Config

app = create_app(Config)
