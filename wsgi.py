"""WSGI entry point: `flask --app wsgi …`, gunicorn `wsgi:app`."""

from server import create_app

app = create_app()
