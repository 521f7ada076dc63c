"""Reports arriving at a steady rate (open loop): a crew's shift start, not 64 clients back to back.

bench_api's clients wait for an answer before they send again (a closed loop), so a slow server
slows its own load down and hides its queue. Here reports arrive on a fixed schedule, 10, 20, 30
and 40 a second, whatever the server does: each one's latency runs from the moment it was due,
so the time it waited for a free connection or core counts (no coordinated omission). A report
is what a phone's outbox sends: a photo upload, then POST /hazards with it. Per rate it prints
p50/p95/p99 of the whole report and of POST /hazards alone, and at the end the highest rate whose
report p95 stays under 100 ms (DESIGN §8). Against the configured database, seeded first with
tests/perf/seed_scale.py; run it once per engine:

    DATABASE_URL=sqlite:////tmp/scale.db .venv/bin/python -m tests.perf.bench_open_loop
        [--rates 10,20,30,40] [--seconds 20] [--server granian] [--smoke]
"""

import argparse
import asyncio
import statistics
import time

from tests.images import jpeg
from tests.perf.bench_api import serve
from tests.perf.load import WORKERS, report_step, sign_in, zones_of

BUDGET_MS = 100
CONNECTIONS = 64  # the phones of a crew; an arrival finding all busy waits, and that wait counts


def percentiles(values):
    values = sorted(values)
    at = lambda q: values[min(len(values) - 1, int(len(values) * q))]  # noqa: E731
    return statistics.median(values), at(0.95), at(0.99)


async def at_rate(clients, step, rate, seconds):
    """Send rate × seconds reports on schedule; the latencies (ms) of each report from the moment
    it was due, of its POST /hazards, and the number that failed."""
    idle = asyncio.Queue()
    for client in clients:
        idle.put_nowait(client)
    reports, hazards, failed = [], [], [0]
    start = time.perf_counter() + 0.1

    async def arrive(index):
        due = start + index / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        client = await idle.get()
        try:
            results = await step(client)
        finally:
            idle.put_nowait(client)
        reports.append((time.perf_counter() - due) * 1000)
        hazards.extend(ms for label, ms, ok in results if label == "POST /hazards")
        failed[0] += not all(ok for _, _, ok in results) or len(results) < 2

    await asyncio.gather(*(arrive(i) for i in range(max(1, int(rate * seconds)))))
    return reports, hazards, failed[0]


async def main_async(args):
    rates = [float(rate) for rate in args.rates.split(",")]
    print(f"{'reports/s':>9} {'sent':>5} {'failed':>6} | {'report p50':>10} {'p95':>7} {'p99':>7} "
          f"| {'POST /hazards p50':>17} {'p95':>7} {'p99':>7}  (ms)")  # fmt: skip
    within = None
    with serve(args.server, args.port):
        clients = await sign_in(args.port, WORKERS[:CONNECTIONS])
        step = report_step(await zones_of(clients[0]), jpeg(640, 480))
        await at_rate(clients, step, rates[0], min(2.0, args.seconds))  # warm up: caches, pools
        for rate in rates:
            reports, hazards, failed = await at_rate(clients, step, rate, args.seconds)
            report, hazard = percentiles(reports), percentiles(hazards or [float("nan")])
            print(f"{rate:9g} {len(reports):5d} {failed:6d} "
                  f"| {report[0]:10.1f} {report[1]:7.1f} {report[2]:7.1f} "
                  f"| {hazard[0]:17.1f} {hazard[1]:7.1f} {hazard[2]:7.1f}")  # fmt: skip
            if report[1] < BUDGET_MS and not failed:
                within = rate
    print(f"highest rate with report p95 under {BUDGET_MS} ms: {within if within else 'none of those run'}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="10,20,30,40", help="reports per second, comma-separated")
    parser.add_argument("--seconds", type=float, default=20, help="how long each rate runs")
    parser.add_argument("--server", default="granian", choices=["granian", "gunicorn"])
    parser.add_argument("--port", type=int, default=5097)
    parser.add_argument("--smoke", action="store_true", help="two low rates, a second each: it runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.rates, args.seconds = "5,10", 1.0
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
