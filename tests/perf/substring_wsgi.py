"""bench_search.py's old way as a server: the app with its list searching by substring, as before
the full-text index (granian's target `tests.perf.substring_wsgi:app`)."""

from server.services.loop import hazards
from tests.perf.bench_search import list_by_substring
from wsgi import app

hazards.list_hazards = list_by_substring

__all__ = ["app"]
