"""Dashboard and list latency on a large data set (load it first with tests/perf/seed_scale.py).

Times, through the real app in-process, the dashboard summary for the whole company and for one
team, and hazard list pages (first page, and 50 pages deep by cursor), with and without a filter.
Prints median and p95 of repeated calls; one client, so these are service times, not load figures.

    DATABASE_URL=sqlite:////tmp/scale.db .venv/bin/python -m tests.perf.bench_dashboard [--runs 20] [--smoke]
"""

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

from server import create_app
from tests.perf.seed_scale import PASSWORD


def timed(client, path, runs, cold=False):
    times = []
    for _ in range(runs):
        if cold:  # computed afresh: what the first supervisor after any change waits for
            client.application.extensions.get("dashboard_summaries", {}).clear()
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (
            path,
            response.status_code,
            response.get_data(as_text=True)[:200],
        )
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def deep_cursor(client, query, pages):
    """The cursor of page `pages` (or of the last page, on small data) as a query argument."""
    cursor = ""
    for _ in range(pages):
        page = client.get(f"/api/v1/hazards?limit=50{query}{cursor}").get_json()
        if not page["next_cursor"]:
            break
        cursor = f"&cursor={page['next_cursor']}"
    return cursor


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--smoke", action="store_true", help="one run of each (on seed_scale --smoke data)")
    args = parser.parse_args(argv)
    runs = 1 if args.smoke else args.runs
    app = create_app()
    company, team = app.test_client(), app.test_client()
    company.post("/api/v1/auth/login", json={"username": "boss", "password": PASSWORD})
    team.post("/api/v1/auth/login", json={"username": "supervisor-2-0", "password": PASSWORD})
    year_ago = (datetime.now(UTC) - timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
    cursor = deep_cursor(company, "", 50)
    cursor_open = deep_cursor(company, "&status=rectifying", 20)
    cases = [
        ("dashboard, company, 30 days", company, "/api/v1/dashboard/summary"),
        ("dashboard, company, 365 days", company, f"/api/v1/dashboard/summary?from={year_ago}"),
        ("dashboard, one team, 30 days", team, "/api/v1/dashboard/summary"),
        ("dashboard, company, 30 d, computed", company, "/api/v1/dashboard/summary", True),
        ("dashboard, company, 365 d, computed", company, f"/api/v1/dashboard/summary?from={year_ago}", True),
        ("dashboard, one team, 30 d, computed", team, "/api/v1/dashboard/summary", True),
        ("list, first page", company, "/api/v1/hazards?limit=50"),
        ("list, 50 pages deep", company, f"/api/v1/hazards?limit=50{cursor}"),
        (
            "list, rectifying, 20 deep",
            company,
            f"/api/v1/hazards?limit=50&status=rectifying{cursor_open}",
        ),
        ("list, overdue", company, "/api/v1/hazards?limit=50&overdue=true"),
        ("list, one team", team, "/api/v1/hazards?limit=50"),
        ("list, major", company, "/api/v1/hazards?limit=50&level=major"),
        ("list, one team, fire", team, "/api/v1/hazards?limit=50&category=fire"),
        ("list, reported by me", team, "/api/v1/hazards?limit=50&reporter=me"),
        ("list, search YH-2026-00001", company, "/api/v1/hazards?limit=50&q=YH-2026-00001"),
    ]
    print(f"{'request':32} {'median ms':>10} {'p95 ms':>8}")
    for name, client, path, *cold in cases:
        median, p95 = timed(client, path, runs, *cold)
        print(f"{name:32} {median:>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
