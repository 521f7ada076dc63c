"""The real app for the kill tests, served by granian in a child process, with one pause point:
when FAULT_PAUSE_AT names a point, the request that reaches it writes FAULT_MARKER and sleeps, so
the test can SIGKILL the server exactly there. Nothing is replaced but the timing; each answer
also names the worker process that served it (X-Worker-Pid)."""

import os
import time
from pathlib import Path

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from server import create_app
from server.models import Hazard
from server.services import photos

POINT = os.environ.get("FAULT_PAUSE_AT", "")


def pause(point):
    if point == POINT:
        Path(os.environ["FAULT_MARKER"]).write_text(point)
        time.sleep(120)  # until SIGKILL


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


os.replace = _paused_replace
photos.create_once = _paused_create_once
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
