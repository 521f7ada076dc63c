"""Hazard search at scale (issue 19): list pages with a text search `q`, the full-text index
against the substring scan it replaced, 16 clients at once, in one run.

Each client (a thread with its own signed-in test client, the real app in-process) asks the list
page of the whole company for each query in turn: common and rare two-character words, a lone
character, numbers and mixed Chinese and Latin text (tests/perf/seed_scale.py draws its titles
from the same words). First one client alone (each request's own cost), then 16 at once, each
reading its answer for `--think` seconds before the next search, as people at desks and phones
do. Prints p50/p95 per query and overall for both ways, and the ratio.

    DATABASE_URL=sqlite:////tmp/scale.db .venv/bin/python -m tests.perf.bench_search [--rounds 5] [--smoke]
"""

import argparse
import logging
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.parse import quote

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from server import create_app
from server.extensions import db
from server.models.loop.hazards import Hazard
from server.services.loop import hazards, search
from server.services.platform.authz import hazard_scope_parts
from server.services.platform.pagination import keyset_union
from tests.perf.seed_scale import PASSWORD

CLIENTS = 16
QUERIES = (
    "接地",  # in three of the things and one fault: the commonest word
    "盖板",
    "锈蚀",
    "10kV",
    "锈",  # one character: a prefix of the pieces
    "变压器油位渗油",  # a title, word by word
    "灭火器 超期未检",
    "10kV开关站",  # mixed text
)


def substring(query):
    """The old way: a case-insensitive substring of the number, title or description."""
    return or_(
        Hazard.number.icontains(query, autoescape=True),
        Hazard.title.icontains(query, autoescape=True),
        Hazard.description.icontains(query, autoescape=True),
    )


def list_by_substring(actor, args, limit=50, cursor=None):
    """The list as it searched before the index: each part of the scope read by the hazard's id,
    each row tested for the substring."""
    queries = [
        hazards.hazard_query(actor, {**args, "q": None}, part)
        .where(substring(args["q"]))
        .options(selectinload(Hazard.zone))
        for part in hazard_scope_parts(actor)
    ]
    rows, next_cursor = keyset_union(queries, Hazard.id, limit, cursor)
    return hazards.describe_hazards(actor, rows), next_cursor


@contextmanager
def searching_by_substring():
    saved, hazards.list_hazards = hazards.list_hazards, list_by_substring
    try:
        yield
    finally:
        hazards.list_hazards = saved


def percentile(times, share):
    times = sorted(times)
    return times[min(len(times) - 1, int(len(times) * share))]


def run(app, queries, rounds, clients, think):
    """{query: [ms, …]} with `clients` clients each asking every query `rounds` times."""

    def client_session(offset):
        client = app.test_client()
        answer = client.post("/api/v1/auth/login", json={"username": "boss", "password": PASSWORD})
        assert answer.status_code == 200, answer.get_json()
        times = []
        for n in range(rounds * len(queries)):
            query = queries[(offset + n) % len(queries)]
            started = time.perf_counter()
            answer = client.get(f"/api/v1/hazards?limit=50&q={quote(query)}")
            times.append((query, (time.perf_counter() - started) * 1000))
            assert answer.status_code == 200, answer.get_data(as_text=True)[:200]
            time.sleep(think)  # a benchmark's pacing: the person reads the page
        return times

    by_query = {query: [] for query in queries}
    with ThreadPoolExecutor(clients) as pool:
        for times in pool.map(client_session, range(clients)):
            for query, ms in times:
                by_query[query].append(ms)
    return by_query


def report(title, queries, found, new, old):
    print(title)
    print(
        f"{'query':18} {'matches':>9} {'index p50':>10} {'p95 ms':>7} {'scan p50':>9} {'p95':>7} {'ratio':>6}"
    )
    rows = [(query, found[query], new[query], old[query]) for query in queries]
    every = ("all", None, [ms for t in new.values() for ms in t], [ms for t in old.values() for ms in t])
    for query, matches, new_times, old_times in [*rows, every]:
        new_p95, old_p95 = percentile(new_times, 0.95), percentile(old_times, 0.95)
        print(
            f"{query:18} {'' if matches is None else f'{matches:,}':>9}"
            f" {statistics.median(new_times):>10.1f} {new_p95:>7.1f}"
            f" {statistics.median(old_times):>9.1f} {old_p95:>7.1f} {old_p95 / new_p95:>5.1f}×"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="each client asks each query this often")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between one client's searches")
    parser.add_argument(
        "--smoke", action="store_true", help="one round, no pause (on seed_scale --smoke data)"
    )
    args = parser.parse_args(argv)
    rounds, think = (1, 0.0) if args.smoke else (args.rounds, args.think)
    logging.disable(logging.INFO)  # the access log's lines
    app = create_app()
    with app.app_context():
        total = db.session.scalar(select(db.func.count()).select_from(Hazard))
        number = db.session.scalar(select(Hazard.number).order_by(Hazard.id.desc()).limit(1))
        engine = db.engine.dialect.name
        queries = (*QUERIES, number, number[: len(number) - 2])  # one hazard; its first hundred
        found = {q: db.session.scalar(select(db.func.count()).where(search.matches(q))) for q in queries}
    run(app, queries[:1], 1, 1, 0)  # warm: connections, caches, the first request's imports
    print(f"{total:,} hazards, {engine}; a list page (50) of the whole company")
    alone = run(app, queries, rounds, 1, 0), None
    together = run(app, queries, rounds, CLIENTS, think), None
    with searching_by_substring():
        alone = alone[0], run(app, queries, 1, 1, 0)
        together = together[0], run(app, queries, 1, CLIENTS, think)
    report("one client:", queries, found, *alone)
    report(f"{CLIENTS} clients, {think:g} s between one's searches:", queries, found, *together)


if __name__ == "__main__":
    main()
