"""Hazard search at scale (issue 19): list pages with a text search `q`, the full-text index
against the substring scan it replaced, 16 clients at once, in one run.

Both ways are served as in production, by granian with its workers (bench_api.serve), one after
the other on the same data: this tree's app, then the same app with the list searching by
substring (tests/perf/substring_wsgi.py). Each client is a keep-alive connection of the seeded
company supervisor (the whole company's hazards in scope) asking the list page for each query in
turn: common and rare two-character words, a lone character, numbers and mixed Chinese and Latin
text (tests/perf/seed_scale.py draws its titles from the same words). First one client alone
(each request's own cost), then 16 at once, each reading its answer for `--think` seconds before
the next search (half to one and a half times it, drawn; not all at once), as people at desks
and phones do. The page is the phone's (`--page`, 20, what
pwa/src/views/loop/hazard-list.js asks). Prints p50/p95 per query and overall, and the ratio.

    DATABASE_URL=sqlite:////tmp/scale.db .venv/bin/python -m tests.perf.bench_search
        [--rounds 5] [--page 20] [--port 5098] [--smoke]
"""

import argparse
import asyncio
import random
import statistics
import time
from urllib.parse import quote

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from server import create_app
from server.extensions import db
from server.models.loop.hazards import Hazard
from server.services.loop import hazards, search
from server.services.platform.authz import hazard_scope_parts
from server.services.platform.pagination import keyset_union
from tests.perf.bench_api import serve
from tests.perf.load import Client, sign_in

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


def percentile(times, share):
    times = sorted(times)
    return times[min(len(times) - 1, int(len(times) * share))]


async def run(port, queries, rounds, clients, think, page):
    """{query: [ms, …]} with `clients` connections each asking every query `rounds` times. One
    sign-in, its session on every connection (a person's tabs): sign-in limits stay out of it."""
    connections = await sign_in(port, ["boss"])
    for _ in range(clients - 1):
        connection = Client(port)
        await connection.open()
        connection.cookie, connection.csrf = connections[0].cookie, connections[0].csrf
        connections.append(connection)
    by_query, timed_out = {query: [] for query in queries}, [0]

    async def client_session(offset, connection):
        # People do not search in step: each client starts within its first pause and reads each
        # answer for a time drawn around `think` (half to one and a half). In step, all 16 asked
        # at the same instant every second and the last waited for the other 15.
        pause = random.Random(offset).uniform
        await asyncio.sleep(pause(0, think))
        for n in range(rounds * len(queries)):
            query = queries[(offset + n) % len(queries)]
            started = time.perf_counter()
            status, body = await connection.request("GET", f"/api/v1/hazards?limit={page}&q={quote(query)}")
            by_query[query].append((time.perf_counter() - started) * 1000)
            # A 503 is a search the database stopped at its statement_timeout (5 s): counted at
            # the time it took, and told (the old way's scans at 1,000,000 on PostgreSQL).
            assert status in (200, 503), body[:200]
            timed_out[0] += status == 503
            await asyncio.sleep(pause(think / 2, think * 3 / 2))  # the person reads the page

    await asyncio.gather(*(client_session(i, c) for i, c in enumerate(connections)))
    for connection in connections:
        connection.writer.close()
    if timed_out[0]:
        asked = rounds * len(queries) * clients
        print(f"{timed_out[0]} of {asked} searches by {clients} client(s) timed out (503)")
    return by_query


async def both_ways(args, queries, rounds, think):
    """{'index' | 'scan': (alone, together)}: each way served in turn on the same port."""
    out = {}
    for way, target in (("index", "wsgi:app"), ("scan", "tests.perf.substring_wsgi:app")):
        with serve("granian", args.port, target):
            await run(args.port, queries[:1], 1, 1, 0, args.page)  # warm: connections, caches
            # The old way's common words take seconds each: one round of it is enough to see.
            ways_rounds = rounds if way == "index" else 1
            alone = await run(args.port, queries, ways_rounds, 1, 0, args.page)
            together = await run(args.port, queries, ways_rounds, CLIENTS, think, args.page)
            out[way] = alone, together
    return out


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
    parser.add_argument("--page", type=int, default=20, help="hazards a list page asks for (the phone's)")
    parser.add_argument("--port", type=int, default=5098)
    parser.add_argument(
        "--smoke", action="store_true", help="one round, no pause (on seed_scale --smoke data)"
    )
    args = parser.parse_args(argv)
    rounds, think = (1, 0.0) if args.smoke else (args.rounds, args.think)
    app = create_app()
    with app.app_context():
        total = db.session.scalar(select(db.func.count()).select_from(Hazard))
        number = db.session.scalar(select(Hazard.number).order_by(Hazard.id.desc()).limit(1))
        engine = db.engine.dialect.name
        queries = (*QUERIES, number, number[: len(number) - 2])  # one hazard; its first hundred
        found = {q: db.session.scalar(select(db.func.count()).where(search.matches(q))) for q in queries}
        db.engine.dispose()
    ways = asyncio.run(both_ways(args, queries, rounds, think))
    print(f"{total:,} hazards, {engine}, granian; a list page ({args.page}) of the whole company")
    report("one client:", queries, found, ways["index"][0], ways["scan"][0])
    together = f"{CLIENTS} clients, {think:g} s between one's searches:"
    report(together, queries, found, ways["index"][1], ways["scan"][1])


if __name__ == "__main__":
    main()
