"""Backups of a running system: consistent under write load, and restored to the same state, on
SQLite and PostgreSQL (pg_dump / pg_restore), with photos in the folder or in a bucket."""

import hashlib
import shutil
import threading

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard
from tests.hazard_helpers import report
from tests.object_store import stored_bytes


@pytest.fixture
def app(make_app, photo_store_settings):
    return make_app(**photo_store_settings)


def state(app):
    """Row counts, and each attached photo's full rendition as the hash of its stored bytes."""
    with app.app_context():
        hazards = db.session.scalar(select(func.count()).select_from(Hazard))
        keys = db.session.scalars(select(Photo.storage_key).where(Photo.hazard_id.is_not(None))).all()
        db.session.remove()
        files = {key: hashlib.sha256(stored_bytes(key)).hexdigest() for key in keys}
    return hazards, files


def empty_store_like(settings, request, tmp_path):
    """A fresh, empty photo store of the same kind: a new folder or a new bucket."""
    if settings.get("PHOTO_STORE") == "s3":
        return request.getfixturevalue("s3_server").new_bucket()
    return {"PHOTO_DIR": str(tmp_path / "restored-photos")}


def test_a_backup_under_write_load_restores_to_a_consistent_state(
    app, make_app, world, tmp_path, photo_store_settings, request
):
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
    live_hazards, live_files = state(app)
    report(client, world.zones["A"].id)  # after the backup: the restore must take it away

    # Restore into a fresh installation: an empty photo store; SQLite a copy of the live file
    # (restore overwrites it), PostgreSQL the same database, overwritten in place.
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        shutil.copy(url.removeprefix("sqlite:///"), tmp_path / "restored.db")
        url = f"sqlite:///{tmp_path / 'restored.db'}"
    empty_store = empty_store_like(photo_store_settings, request, tmp_path)
    restored = make_app(SQLALCHEMY_DATABASE_URI=url, **empty_store)
    outcome = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert outcome.exit_code == 0, outcome.output
    hazards, files = state(restored)
    assert hazards >= 3 and len(files) == hazards  # every restored row has its photo
    assert all(live_files[key] == digest for key, digest in files.items())  # identical bytes
    assert hazards <= live_hazards  # not the report made after the backup
    # The anchor may hold heads written after the backup: the operator restarts it from the
    # restored heads (the lost ones stay in the file, above the rebase line).
    assert restored.test_cli_runner().invoke(args=["audit", "anchor", "--rebase"]).exit_code == 0
    assert restored.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0


@pytest.mark.parametrize("photo_store_settings", ["local"], indirect=True)
def test_a_restore_without_the_database_file_changes_nothing(app, world, tmp_path):
    (tmp_path / "empty").mkdir()
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "empty")])
    assert result.exit_code != 0 and "No backed-up database" in result.output
    assert state(app)[0] == 0


@pytest.mark.parametrize("photo_store_settings", ["local"], indirect=True)
def test_only_postgresql_needs_pg_dump_and_its_absence_is_said_in_words(app, world, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump to be found
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert result.exit_code == 1 and "pg_dump is not installed" in result.output
        assert "Traceback" not in result.output
    else:
        assert result.exit_code == 0 and (tmp_path / "backup" / "safety.db").exists()


@pytest.mark.parametrize("photo_store_settings", ["local"], indirect=True)
def test_a_backup_of_the_folder_restores_into_a_bucket(app, make_app, world, tmp_path, s3_bucket):
    client = app.test_client()
    client.login("worker-a")
    hazard = report(client, world.zones["A"].id).get_json()
    assert app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    moved = make_app(**s3_bucket)  # the same database, photos now in the bucket
    outcome = moved.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert outcome.exit_code == 0 and "2 photo files" in outcome.output, outcome.output
    assert state(moved)[1] == state(app)[1]
    reader = moved.test_client()
    reader.login("worker-a")
    served = reader.get(f"/api/v1/photos/{hazard['photos'][0]['id']}/full.jpg")
    assert served.status_code == 200 and served.data[:3] == b"\xff\xd8\xff"
