"""The query plans behind the dashboard summary and the hazard list pages, on the configured
database (load it with tests/perf/seed_scale.py): every statement the services send is captured
and explained (PostgreSQL: EXPLAIN ANALYZE; SQLite: EXPLAIN QUERY PLAN, with its run time).

    DATABASE_URL=sqlite:////tmp/scale.db .venv/bin/python -m tests.perf.explain
"""

import argparse
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, select

from server import create_app
from server.extensions import db
from server.models.accounts.users import User
from server.services.insight import dashboard
from server.services.loop import hazards

CASES = (
    ("dashboard summary, company, 365 days", lambda boss: dashboard.compute_summary(
        None, None, datetime.now(UTC) - timedelta(days=365), datetime.now(UTC))),
    ("hazard list, first page", lambda boss: hazards.list_hazards(boss, {})),
    ("hazard list, rectifying", lambda boss: hazards.list_hazards(boss, {"status": ["rectifying"]})),
)  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="the same; meant for seed_scale --smoke data")
    parser.parse_args(argv)
    app = create_app()
    with app.test_request_context():
        boss = db.session.scalar(select(User).where(User.username == "supervisor-2-0"))
        captured = []
        listener = lambda *args: captured.append((args[2], args[3]))  # noqa: E731
        for name, call in CASES:
            captured.clear()
            event.listen(db.engine, "before_cursor_execute", listener)
            call(boss)
            event.remove(db.engine, "before_cursor_execute", listener)
            print(f"\n## {name}\n")
            for statement, params in captured:
                explain(statement, params)


def explain(statement, params):
    connection = db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, COSTS OFF) "
    started = time.perf_counter()
    connection.exec_driver_sql(statement, params).all()
    took = (time.perf_counter() - started) * 1000
    plan = connection.exec_driver_sql(prefix + statement, params).all()
    print(f"{' '.join(statement.split())[:160]}\n  ({took:.1f} ms)")
    for row in plan:
        print("    " + (row[-1] if sqlite else row[0]))


if __name__ == "__main__":
    main()
