"""Every script in tests/perf/ runs in its smoke mode (tiny data, seconds, no figure asserted), so
a changed signature breaks a test here instead of a benchmark found broken months later."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live_server import free_port

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "tests/perf/node_modules/.bin/lighthouse"


def run_script(name, env, *args):
    """`python -m tests.perf.<name> --smoke`: exits 0; its output for the caller to read."""
    done = subprocess.run(  # noqa: S603 (our own scripts)
        [sys.executable, "-m", f"tests.perf.{name}", "--smoke", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, f"{name} --smoke exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture
def script_env(database_url, tmp_path):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "FLASK_SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_PHOTO_DIR": str(tmp_path / "photos"),
        "FLASK_AUDIT_ANCHOR": str(tmp_path / "audit-anchor.log"),
        "FLASK_SECRET_KEY": "perf-smoke-secret-key-that-is-long-enough-012",
    }


def test_the_scale_scripts_run_on_small_data(script_env):
    assert "500 hazards" in run_script("seed_scale", script_env)
    assert "list, overdue" in run_script("bench_dashboard", script_env)
    assert "all " in run_script("bench_search", script_env)
    assert "## hazard list, rectifying" in run_script("explain", script_env)
    out = run_script("bench_api", script_env, "--port", str(free_port()))
    assert "granian/gunicorn" in out
    out = run_script("bench_open_loop", script_env, "--port", str(free_port()))
    assert "highest rate with report p95" in out


def test_the_node_bench_runs_one_and_two_nodes_behind_nginx_on_postgresql(database, script_env):
    if database.engine != "postgresql":
        pytest.skip("bench_api --nodes needs PostgreSQL (TEST_DATABASE_URL)")
    run_script("seed_scale", script_env)
    out = run_script("bench_api", script_env, "--nodes", "1,2")
    assert "2 node(s) x" in out and "per core" in out
    assert "2/1 nodes, reports" in out


def test_the_node_bench_refuses_sqlite_with_a_reason(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'one.db'}"}
    done = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, "-m", "tests.perf.bench_api", "--smoke", "--nodes", "1,2"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "--nodes needs PostgreSQL in DATABASE_URL" in done.stderr


def test_the_offline_pack_size_script_runs(script_env):
    assert "zone head of a unit of 20 zones" in run_script("pack_size", script_env)


def test_the_photo_and_ledger_benchmarks_run():
    assert "1600 px phone" in run_script("bench_photos", os.environ)
    assert "bucket (moto, loopback)" in run_script("bench_photo_store", os.environ)
    assert "xlsx" in run_script("bench_ledger", os.environ)


def test_the_report_cost_benchmark_runs():
    out = run_script("bench_report_cost", os.environ)
    assert "| 640x480 (bench_api) | old ÷ new |" in out


def test_the_lighthouse_script_runs():
    if not LIGHTHOUSE.exists():
        pytest.fail("Lighthouse is not installed: run `make test` (or `npm ci --prefix tests/perf`)")
    out = run_script("lighthouse", os.environ, "--port", str(free_port()))
    assert "worker home, repeat visit (SW)" in out
