"""Ledger export at scale: 100,000 hazards streamed as CSV and written as XLSX, time and peak memory.

Loads N hazards into a fresh SQLite database (bulk inserts), then exports through the real app
as an admin, reading the CSV stream chunk by chunk, and prints seconds and the rise in peak RSS.

    .venv/bin/python -m tests.perf.bench_ledger [--rows 100000] [--smoke]
"""

import argparse
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert

from server import create_app
from server.extensions import db
from server.models.accounts.users import User
from server.models.loop.hazards import Hazard
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.services.accounts.passwords import hash_password
from tests.perf.bench_photos import _high_water_kib

PASSWORD = "bench-password-1"


def seed(rows):
    unit = Unit(code="BENCH", name="压测单位")
    admin = User(
        username="admin", name="管理员", role="admin", unit=unit, password_hash=hash_password(PASSWORD)
    )
    head = User(
        username="head", name="区长", role="zone_head", unit=unit, is_party_member=True, password_hash="x"
    )
    zone = Zone(code="Z", name="压测责任区", unit=unit, head=head)
    db.session.add_all([unit, admin, head, zone])
    db.session.flush()
    now = datetime.now(UTC)
    batch = []
    for number in range(1, rows + 1):
        batch.append(
            {
                "number": f"YH-2026-{number:06d}", "zone_id": zone.id, "reporter_id": head.id,
                "client_uuid": str(uuid.uuid4()), "request_hash": "x", "title": "护栏缺失",
                "description": "高处平台护栏缺失，存在坠落风险" * 3, "category": "height", "level": "general",
                "status": "reported", "fixed_on_spot": False, "created_at": now - timedelta(minutes=number),
                "updated_at": now, "version": 1,
            }
        )  # fmt: skip
        if len(batch) == 5000:
            db.session.execute(insert(Hazard), batch)
            batch.clear()
    if batch:
        db.session.execute(insert(Hazard), batch)
    db.session.commit()


def _reset_high_water():
    """Linux: writing 5 to clear_refs resets VmHWM, so seeding does not hide the export's peak."""
    Path("/proc/self/clear_refs").write_text("5")


def _resident_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def measure(client, path, streamed):
    _reset_high_water()
    before, started = _resident_kib(), time.perf_counter()
    response = client.get(path, buffered=not streamed)
    size = sum(len(chunk) for chunk in response.response) if streamed else len(response.data)
    return time.perf_counter() - started, size, (_high_water_kib() - before) / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true", help="200 rows: check the script runs")
    args = parser.parse_args(argv)
    rows = 200 if args.smoke else args.rows
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SECRET_KEY": "b" * 40,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}",
                "PHOTO_DIR": tmp,
            }
        )
        with app.app_context():
            upgrade()
            seed(rows)
        client = app.test_client()
        csrf = client.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}).get_json()
        assert csrf, "sign-in failed"
        print(f"{'export':6} {'rows':>8} {'seconds':>8} {'MB':>7} {'+peak RSS MiB':>14}")
        for name, path, streamed in (
            ("csv", "/api/v1/hazards/export.csv", True),
            ("xlsx", "/api/v1/hazards/export.xlsx", False),
        ):
            seconds, size, peak = measure(client, path, streamed)
            print(f"{name:6} {rows:>8,} {seconds:>8.1f} {size / 1e6:>7.1f} {peak:>14.1f}")


if __name__ == "__main__":
    main()
