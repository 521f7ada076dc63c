"""The CPU cost of one report, in-process (DESIGN §8): a photo upload and then POST /hazards with
it, as the phone's outbox sends them, through the Flask test client on SQLite and the demo data.

Today's path and the new one in one run, without keeping the old code in the tree: the code of
the --baseline commit (the one issue 19 measured, before this work) is extracted with
`git archive` into a temporary directory, and the same measuring function runs there and here,
each in a fresh interpreter, the two alternating for --rounds rounds so that a busy moment of
the machine falls on both. Per request: the median CPU time (time.process_time: this process's
CPU, test client and logging included, waits for the disk excluded) and the SQL statements sent.
Photos: the 640×480 JPEG bench_api.py uploads (the issue's measure), a 1600×1200 photo as the app
sends it (drawn upright, no metadata), and the same as a camera wrote it (EXIF orientation 6 and
GPS: read, turned and stripped; the app never sends one, another client may).

    .venv/bin/python -m tests.perf.bench_report_cost [--runs 40] [--rounds 2] [--baseline COMMIT]
        [--profile] [--smoke]
"""

import argparse
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASELINE = "2d6729c"  # main when issue 19 measured 41 ms (photo 26 ms, hazard 15 ms)
HERE = Path(__file__).relative_to(ROOT)
PHOTOS = ("640x480 (bench_api)", "1600x1200 from the app", "1600x1200 camera file, EXIF")


def photo(name, scale=1):
    """The issue's 640 px JPEG; a 1600 px photo as the app sends it (drawn upright at q 0.8, no
    metadata: pwa/src/photos.js); the same as a camera wrote it (EXIF orientation 6 and GPS)."""
    from PIL import Image

    from tests.images import jpeg
    from tests.perf.bench_photos import photo_like

    if name == PHOTOS[0]:
        return jpeg(640 // scale, 480 // scale)
    camera = photo_like(1600 // scale, 1200 // scale, 80)
    if name == PHOTOS[2]:
        return camera
    buffer = io.BytesIO()
    Image.open(io.BytesIO(camera)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _app(directory):
    from flask_migrate import upgrade

    from server import create_app
    from server.extensions import db
    from server.services.demo.seed import seed_demo

    url = f"sqlite:///{directory / 'report-cost.db'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "PHOTO_DIR": str(directory / "photos"),
            "AUDIT_ANCHOR": str(directory / "audit-anchor.log"),
            "SECRET_KEY": "report-cost-secret-key-that-is-long-enough-0123",
            "RATELIMIT_ENABLED": False,
            "PHOTO_DAILY_QUOTA": 1_000_000,
        }
    )
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
    return app


class Reporter:
    """A signed-in demo worker (chen) reporting in his zone; counts the statements sent."""

    def __init__(self, app, picture):
        from sqlalchemy import event, select

        from server.extensions import db
        from server.models.places.zones import Zone
        from server.services.demo.seed import DEMO_PASSWORD

        self.picture, self.statements = picture, 0
        with app.app_context():
            self.zone_id = db.session.scalar(select(Zone.id).where(Zone.code == "BDZ-01"))
            event.listen(db.engine, "before_cursor_execute", self._count)
        self.client = app.test_client()
        answer = self.client.post("/api/v1/auth/login", json={"username": "chen", "password": DEMO_PASSWORD})
        assert answer.status_code == 200, answer.get_json()
        self.headers = {"X-CSRF-Token": answer.get_json()["csrf_token"]}

    def _count(self, *_args):
        self.statements += 1

    def _timed(self, send):
        statements, started = self.statements, time.process_time()
        answer = send()
        return answer, (time.process_time() - started) * 1000, self.statements - statements

    def report(self):
        """(photo ms, hazard ms, photo statements, hazard statements) of one report."""
        upload = {"client_uuid": str(uuid.uuid4()), "file": (io.BytesIO(self.picture), "photo.jpg")}
        photo, photo_ms, photo_sql = self._timed(
            lambda: self.client.post("/api/v1/photos", data=upload, headers=self.headers)
        )
        assert photo.status_code == 201, photo.get_json()
        body = {
            "client_uuid": str(uuid.uuid4()),
            "zone_id": self.zone_id,
            "title": "电缆沟盖板破损",
            "description": "电缆沟盖板破损，有踏空风险",
            "category": "electrical",
            "level": "general",
            "photo_ids": [photo.get_json()["id"]],
        }
        hazard, hazard_ms, hazard_sql = self._timed(
            lambda: self.client.post("/api/v1/hazards", json=body, headers=self.headers)
        )
        assert hazard.status_code == 201, hazard.get_json()
        assert hazard.get_json()["number"].startswith("YH-"), hazard.get_json()
        return photo_ms, hazard_ms, photo_sql, hazard_sql


def measure(runs, scale, profile=False):
    """{photo name: [photo ms, hazard ms, photo statements, hazard statements]}, medians of runs."""
    import logging

    logging.disable(logging.INFO)  # the access log's lines go nowhere in either tree
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        app = _app(Path(directory))
        for name in PHOTOS:
            reporter = Reporter(app, photo(name, scale))
            for _ in range(3):
                reporter.report()  # warm up: first-request imports, statement caches
            if profile:
                _profile(reporter, runs)
            samples = [reporter.report() for _ in range(runs)]
            results[name] = [statistics.median(column) for column in zip(*samples, strict=True)]
        with app.app_context():
            from server.extensions import db

            db.engine.dispose()
    return results


def _profile(reporter, runs):
    """cProfile of runs reports: where the time goes, the server's own functions first."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(lambda: [reporter.report() for _ in range(runs)])
    stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
    stats.print_stats(r"server/", 40)
    stats.sort_stats("tottime").print_stats(25)


def _baseline_tree(commit, directory):
    """The baseline commit's files, with this script added, in directory."""
    git = ["git", "-C", str(ROOT), "archive", commit]
    archive = subprocess.run(git, capture_output=True, check=True).stdout  # noqa: S603
    subprocess.run(["tar", "-x", "-C", str(directory)], input=archive, check=True)  # noqa: S603, S607
    shutil.copy(ROOT / HERE, directory / HERE)
    return directory


def _run(tree, runs, scale):
    """measure() in a fresh interpreter on the code of tree."""
    done = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, "-m", "tests.perf.bench_report_cost", "--measure", str(runs), "--scale", str(scale)],
        cwd=tree, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"measuring in {tree} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="reports per photo and round")
    parser.add_argument("--rounds", type=int, default=2, help="baseline and new, alternating")
    parser.add_argument("--baseline", default=BASELINE, help="the commit of today's path")
    parser.add_argument("--profile", action="store_true", help="cProfile the new path (stderr)")
    parser.add_argument("--smoke", action="store_true", help="small photos, two reports, one round")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # the child's side
    parser.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.scale)))
        return
    runs, rounds, scale = (2, 1, 10) if args.smoke else (args.runs, args.rounds, 1)
    if args.profile:
        measure(runs, scale, profile=True)
    with tempfile.TemporaryDirectory() as directory:
        old_tree = _baseline_tree(args.baseline, Path(directory))
        samples = {"old": [], "new": []}
        for _ in range(rounds):
            samples["old"].append(_run(old_tree, runs, scale))
            samples["new"].append(_run(ROOT, runs, scale))
    _print(samples, args.baseline, runs, rounds)


def _print(samples, baseline, runs, rounds):
    print(f"cost of one report, CPU ms (median of {runs} reports, of {rounds} rounds), SQLite, demo data")
    print(f"today's path = {baseline}, new = this tree")
    print("| photo | path | photo upload | POST /hazards | total | statements (photo + hazard) |")
    print("|---|---|---:|---:|---:|---:|")
    for name in PHOTOS:
        totals = {}
        for path in ("old", "new"):
            photo_ms, hazard_ms, photo_sql, hazard_sql = (
                statistics.median(result[name][i] for result in samples[path]) for i in range(4)
            )
            totals[path] = photo_ms + hazard_ms
            print(
                f"| {name} | {path} | {photo_ms:.1f} | {hazard_ms:.1f} | {totals[path]:.1f} "
                f"| {photo_sql:.0f} + {hazard_sql:.0f} |"
            )
        print(f"| {name} | old ÷ new | | | {totals['old'] / totals['new']:.2f}x | |")
    print("budget (DESIGN §8): photo upload + POST /hazards <= 15 ms CPU")


if __name__ == "__main__":
    main()
