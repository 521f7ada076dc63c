"""App nodes behind nginx for `bench_api.py --nodes`, started as the multi-node test starts them
(tests/live_server.py's Server, tests/cluster.py's Redis and Nginx with deploy/nginx/proxy.conf),
but serving wsgi:app, the production app without the test's pause points.

The nodes share the machine's cores: each gets cores ÷ nodes granian workers (at least one), so
one node and two nodes run the same number of worker processes on the same cores, and the 2/1
ratio shows what splitting into nodes costs or gains (nginx spreading, keep-alive per node,
shared state), not more hardware. Photos go to one local folder every node writes (a shared
volume, honest on one host; the S3 store costs what bench_photo_store.py measures, on every
node alike), rate limits to Redis, the data to the one PostgreSQL."""

import contextlib
import multiprocessing
import tempfile
from pathlib import Path

from server.database import normalise_url
from tests.cluster import Nginx, Redis
from tests.live_server import Server

CORES = max(2, multiprocessing.cpu_count())  # as the Makefile sizes one node's workers


def postgresql_only(url):
    """The reason to refuse the database URL, or '' when it is PostgreSQL."""
    if normalise_url(url or "").startswith("postgresql"):
        return ""
    return (
        "--nodes needs PostgreSQL in DATABASE_URL (seeded with tests/perf/seed_scale.py): several "
        f"nodes on one SQLite file is not a supported deployment; got {url or 'nothing'!r}"
    )


def workers_per_node(count):
    return max(1, CORES // count)


@contextlib.contextmanager
def behind_nginx(count, database_url):
    """`count` nodes on the database behind nginx, for the block; yields nginx's port."""
    with tempfile.TemporaryDirectory(prefix="bench-nodes-") as name, contextlib.ExitStack() as stack:
        directory = Path(name)
        cache = Redis(directory / "redis").start()
        stack.callback(cache.stop)
        settings = {
            "RATELIMIT_STORAGE_URI": cache.url,
            "PROXY_FIX": "true",
            "PHOTO_DIR": str(directory / "photos"),  # one folder for every node
            "AUDIT_ANCHOR": str(directory / "audit-anchor.log"),  # one file every node appends to
        }
        url = normalise_url(database_url)
        nodes = [Server(url, directory / f"node-{i}", **settings) for i in range(count)]
        for node in nodes:
            node.directory.mkdir()
            stack.callback(_stop, node)
            node.start(workers=workers_per_node(count), app="wsgi:app", log=node.directory / "granian.log")
        nginx = Nginx(directory / "nginx", [node.port for node in nodes]).start()
        stack.callback(nginx.stop)
        yield nginx.port


def _stop(node):
    if node.running():
        node.kill()
