"""Load on the real server, gunicorn (gthread, gunicorn.conf.py) and granian (WSGI, granian.env)
one after the other in one run, driven by tests/perf/load.py's asyncio client; the
granian/gunicorn ratios are printed last.

Against the configured database (seed it first with tests/perf/seed_scale.py), for each server:
- plain: 64 clients on GET /health (one SELECT 1), the server's own overhead;
- reports: 64 concurrent field workers, each uploading a photo and then POST /hazards with it,
  as the phone's outbox does; latency of POST /hazards (and of the photo upload) is reported,
  back to back (the most pressure 64 clients can make) and with a pause between a client's
  reports (--think, default 2 s: a crew at shift start, not 64 machine guns);
- dashboard: 16 concurrent supervisors on GET /dashboard/summary (each its own unit or the
  company), then the same with the summary cache off (every request computed from the rollup),
  the honest baseline; the ratio is printed.

With --nodes 1,2 it measures capacity across app nodes instead: for each count, that many
granian nodes behind nginx on the one PostgreSQL (tests/perf/nodes.py: the cores shared out
among them, rate limits in Redis, one photo folder), 64 reporting clients back to back through
nginx; reports per second, per core, and the latencies, then the ratio to the first count.

    DATABASE_URL=sqlite:////tmp/scale.db .venv/bin/python -m tests.perf.bench_api [--seconds 20] [--think 2]
        [--servers gunicorn,granian] [--smoke]
    DATABASE_URL=postgresql://…/scale .venv/bin/python -m tests.perf.bench_api --nodes 1,2 [--seconds 20]
"""

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.images import jpeg
from tests.live_server import granian_env
from tests.perf import nodes as cluster
from tests.perf.load import (
    SUPERVISORS,
    WORKERS,
    figures,
    health_step,
    report_step,
    run,
    sign_in,
    summary_step,
    zones_of,
)

ROOT = Path(__file__).resolve().parents[2]


def command(server, port, target="wsgi:app"):
    """The server as `make run` starts it, on 127.0.0.1:port, without the access log; `target`
    another WSGI app (a benchmark's old way)."""
    if server == "gunicorn":
        return [str(ROOT / ".venv/bin/gunicorn"), "--config", "gunicorn.conf.py",
                "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", target]  # fmt: skip
    workers = str(max(2, multiprocessing.cpu_count()))  # as the Makefile and gunicorn.conf.py
    return [str(ROOT / ".venv/bin/granian"), "--workers", workers, "--host", "127.0.0.1",
            "--port", str(port), "--no-access-log", target]  # fmt: skip


@contextlib.contextmanager
def serve(server, port, target="wsgi:app", **env):
    """Run gunicorn or granian for the block, then stop it with SIGTERM (its graceful stop)."""
    with contextlib.suppress(OSError):
        socket.create_connection(("127.0.0.1", port)).close()
        sys.exit(f"port {port} is taken: stop what serves it, or pass --port")
    env = {**os.environ, **(granian_env() if server == "granian" else {}), **env}
    process = subprocess.Popen(  # noqa: S603 (our own server)
        command(server, port, target), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120  # generous: a busy 2-core machine starts it slowly
        while True:
            if process.poll() is not None:
                sys.exit(f"{server} exited (is port {port} taken?)")
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit(f"{server} did not start in 120 s")
                time.sleep(0.2)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait()


async def bench_server(server, args):
    """Every load against one server; returns {run name: (req/s, p50, p95, p99)}."""
    port, out = args.port, {}
    with serve(server, port):
        clients = await sign_in(port, WORKERS)
        zones = await zones_of(clients[0])
        out["plain, 64 clients"] = figures(
            f"{server}: plain, 64 clients", *await run(clients, health_step, args.seconds)
        )
        step = report_step(zones, jpeg(640, 480))
        name = "reports, 64 clients"
        out[name] = figures(f"{server}: {name}", *await run(clients, step, args.seconds))
        if args.think:
            name = f"reports, 64 clients, {args.think:g} s pause"
            out[name] = figures(f"{server}: {name}", *await run(clients, step, args.seconds, args.think))
        dashboard = await sign_in(port, SUPERVISORS)
        name = "dashboard, 16 clients"
        out[name] = figures(f"{server}: {name}", *await run(dashboard, summary_step, args.seconds))
    with serve(server, port, FLASK_DASHBOARD_CACHE="false"):
        dashboard = await sign_in(port, SUPERVISORS)
        name = "dashboard, 16 clients, no cache"
        out[name] = figures(f"{server}: {name}", *await run(dashboard, summary_step, args.seconds))
    return out


async def bench_nodes(args):
    """Reports back to back through nginx to 1, 2, … nodes on the one PostgreSQL, then the ratio
    of each count's figures to the first's."""
    print(f"{'run':42} {'request':24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    counts, results = [int(count) for count in args.nodes.split(",")], {}
    for count in counts:
        with cluster.behind_nginx(count, os.environ["DATABASE_URL"]) as port:
            clients = await sign_in(port, WORKERS)
            step = report_step(await zones_of(clients[0]), jpeg(640, 480))
            await run(clients, step, min(2.0, args.seconds))  # warm up: imports, pools, caches
            name = f"{count} node(s) x {cluster.workers_per_node(count)} workers: reports, 64 clients"
            results[count] = figures(name, *await run(clients, step, args.seconds))
    shared = f"({cluster.CORES} cores, shared with nginx, Redis, PostgreSQL and this client)"
    print(f"\n{'nodes':>5} {'workers':>7} {'reports/s':>9} {'per core':>8}  {shared}")
    for count, (rate, *_) in results.items():
        workers = count * cluster.workers_per_node(count)
        print(f"{count:5d} {workers:7d} {rate:9.1f} {rate / cluster.CORES:8.1f}")
    first = counts[0]
    print(f"\n{'ratio to ' + str(first) + ' node(s) (req/s: above 1 is more; latency: below 1)':65} "
          f"{'req/s':>8} {'p50':>8} {'p95':>8} {'p99':>8}")  # fmt: skip
    for count in counts[1:]:
        ratios = [b / a if a else float("nan") for a, b in zip(results[first], results[count], strict=True)]
        print(f"{f'{count}/{first} nodes, reports':65} " + " ".join(f"{ratio:8.2f}" for ratio in ratios))


async def main_async(args):
    servers = args.servers.split(",")
    print(f"{'run':42} {'request':24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    results = {server: await bench_server(server, args) for server in servers}
    for server, out in results.items():
        cached, computed = out["dashboard, 16 clients"][1], out["dashboard, 16 clients, no cache"][1]
        print(f"{server}: median summary latency {computed / cached:.0f}x lower with the cache than without")
    if len(servers) == 2:
        first, second = (results[server] for server in servers)
        title = f"{servers[1]}/{servers[0]} (req/s: above 1 is faster; latency: below 1)"
        print(f"\n{title:65} {'req/s':>8} {'p50':>8} {'p95':>8} {'p99':>8}")
        for name in first:
            ratios = [b / a if a else float("nan") for a, b in zip(first[name], second[name], strict=True)]
            print(f"{name:65} " + " ".join(f"{ratio:8.2f}" for ratio in ratios))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=5096)
    parser.add_argument("--think", type=float, default=2.0, help="pause between a client's reports (0: none)")
    parser.add_argument("--servers", default="gunicorn,granian", help="comma-separated, in the order run")
    parser.add_argument("--nodes", help="e.g. 1,2: reports through nginx to that many nodes (PostgreSQL)")
    parser.add_argument("--smoke", action="store_true", help="half a second a load: check the script runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.seconds, args.think = 0.5, 0.2
    if args.nodes and (refusal := cluster.postgresql_only(os.environ.get("DATABASE_URL"))):
        sys.exit(refusal)
    asyncio.run(bench_nodes(args) if args.nodes else main_async(args))


if __name__ == "__main__":
    main()
