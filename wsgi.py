"""WSGI entry point: `flask --app wsgi …`, granian and gunicorn `wsgi:app`."""

from server import create_app

app = create_app()
