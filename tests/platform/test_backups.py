"""Backups of a running system: consistent under write load, and restored to the same state."""

import hashlib
import shutil
import threading
from pathlib import Path

from sqlalchemy import func, select

from server.extensions import db
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard
from tests.hazard_helpers import report


def state(app):
    """Row counts, and each photo's stored files with their bytes' hashes."""
    with app.app_context():
        hazards = db.session.scalar(select(func.count()).select_from(Hazard))
        keys = db.session.scalars(select(Photo.storage_key).where(Photo.hazard_id.is_not(None))).all()
        db.session.remove()
    root = Path(app.config["PHOTO_DIR"])
    files = {
        key: hashlib.sha256((root / key[:2] / f"{key}.full.jpg").read_bytes()).hexdigest() for key in keys
    }
    return hazards, files


def test_a_backup_under_write_load_restores_to_a_consistent_state(make_app, world, tmp_path):
    app = make_app()
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")])
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    client = app.test_client()
    client.login("worker-a")
    for _ in range(3):
        report(client, world.zones["A"].id)
    stop = threading.Event()

    def keep_reporting():
        writer = app.test_client()
        writer.login("worker-b")
        while not stop.is_set():
            report(writer, world.zones["B"].id)

    thread = threading.Thread(target=keep_reporting)
    thread.start()
    try:
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0

    # Restore into a fresh installation and compare.
    restored = make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'restored.db'}",
        PHOTO_DIR=str(tmp_path / "restored-photos"),
    )
    shutil.copy(
        Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")), tmp_path / "restored.db"
    )
    outcome = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert outcome.exit_code == 0, outcome.output
    hazards, files = state(restored)
    assert hazards >= 3 and len(files) == hazards  # every restored row has its photo
    live_hazards, live_files = state(app)
    assert all(live_files[key] == digest for key, digest in files.items())  # identical bytes
    assert live_hazards >= hazards
    # The anchor may hold heads written after the backup: the operator restarts it from the
    # restored heads (the lost ones stay in the file, above the rebase line).
    assert restored.test_cli_runner().invoke(args=["audit", "anchor", "--rebase"]).exit_code == 0
    assert restored.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
