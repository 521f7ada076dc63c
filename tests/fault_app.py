"""The real app for the kill and slow-client tests, served by granian in a child process, with
pause points: when FAULT_PAUSE_AT (or a request's X-Fault-Pause header) names a point, the request
that reaches it writes FAULT_MARKER and waits until the test deletes the marker, or SIGKILLs the
server exactly there. Nothing is replaced but the timing; each answer also names the worker
process that served it (X-Worker-Pid)."""

import os
import time
from pathlib import Path

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from server import create_app
from server.models.loop.hazards import Hazard
from server.services.accounts import users
from server.services.field import photos

POINT = os.environ.get("FAULT_PAUSE_AT", "")


def pause(point):
    asked = point == POINT or request.headers.get("X-Fault-Pause") == point
    if not asked or g.get("paused"):
        return
    g.paused = True  # once a request
    marker = Path(os.environ["FAULT_MARKER"])
    marker.write_text(point)
    deadline = time.monotonic() + 120
    while marker.exists() and time.monotonic() < deadline:  # until released, or SIGKILLed
        time.sleep(0.02)


def _hazard_written(session):
    """The request's outermost transaction holds a new hazard (the savepoint that create_once
    releases fires the same commit events, and must not count)."""
    return has_request_context() and g.get("hazard_flushed", False) and not session.in_nested_transaction()


def _note_hazard(session, _context):
    if has_request_context() and request.path == "/api/v1/hazards":
        g.hazard_flushed = g.get("hazard_flushed", False) or any(isinstance(o, Hazard) for o in session.new)


_replace = os.replace


def _paused_replace(source, target):
    pause("photo_tmp_written")  # the tmp file is written and fsynced, not yet in place
    return _replace(source, target)


_create_once = photos.create_once


def _paused_create_once(*args, **kwargs):
    pause("photo_files_stored")  # both renditions in place, no row yet
    return _create_once(*args, **kwargs)


_prepare_photo = photos.prepare_photo


def _paused_prepare_photo(data):
    pause("photo_decoding")  # the photo is being decoded: before the request's first query
    return _prepare_photo(data)


_import_rows = users.import_rows


def _paused_import_rows(*args):
    pause("import_hashed")  # every imported password is hashed, the first query comes next
    return _import_rows(*args)


os.replace = _paused_replace
photos.create_once = _paused_create_once
photos.prepare_photo = _paused_prepare_photo
users.import_rows = _paused_import_rows
event.listen(Session, "before_flush", lambda session, context, _instances: _note_hazard(session, context))
event.listen(Session, "before_commit", lambda session: _hazard_written(session) and pause("hazard_flushed"))
event.listen(Session, "after_commit", lambda session: _hazard_written(session) and pause("hazard_committed"))

app = create_app()
_serve = app.wsgi_app


def _naming_the_worker(environ, start_response):
    """Each answer names the worker process it came from (tests of several processes)."""

    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info)

    return _serve(environ, start)


app.wsgi_app = _naming_the_worker
