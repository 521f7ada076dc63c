"""Browser soak (HARDENING case 64): 100 cycles of random offline/online toggles and SIGKILLed
server restarts while the outbox holds reports with photos → 0 lost, 0 duplicated, all *sent*.

The RNG seed is printed; SOAK_SEED=<n> replays a run, SOAK_CYCLES=<n> makes it longer.
"""

import os
import random
import time

import pytest
from sqlalchemy import create_engine, func, select

from server.extensions import db
from server.models.accounts.users import User
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard
from server.models.places.zones import Zone
from server.services.demo.seed import seed_demo
from tests.conftest import build_app, dispose, fresh_database_url
from tests.e2e.conftest import Phone, wait_for_js, wait_for_service_worker
from tests.e2e.test_pwa import ALL_SENT, report
from tests.live_server import Server

CYCLES = int(os.environ.get("SOAK_CYCLES", "100"))
REPORTS_BEFORE, REPORTS_DURING = 4, 3


@pytest.fixture
def soak_server(database, tmp_path):
    url = fresh_database_url(database, tmp_path)
    app = build_app(url, tmp_path)
    with app.app_context():
        seed_demo()
        db.session.commit()
        zone = db.session.scalar(select(Zone.id).where(Zone.code == "BDZ-02"))
    dispose(app)
    server = Server(url, tmp_path)
    server.start()
    server.zone = zone
    yield server
    if server.process.poll() is None:
        server.kill()


def _file(worker, server, title, photo_file):
    worker.go(f"/zones/{server.zone}/report")
    worker.page.wait_for_selector("text=类别")
    report(worker.page, title, photo_file, category="设备")
    worker.page.wait_for_selector("text=已保存，将自动发送")


def test_outbox_survives_random_offline_toggles_and_server_restarts(browser, soak_server, photo_file):
    seed = int(os.environ.get("SOAK_SEED", random.randrange(1 << 32)))
    print(f"soak seed {seed} (SOAK_SEED={seed} replays this run)")
    rng = random.Random(seed)
    server = soak_server
    worker = Phone(browser, server)
    worker.sign_in("liu")
    worker.go(f"/zones/{server.zone}")
    wait_for_service_worker(worker.page)
    titles = [f"SOAK-{seed}-{n}" for n in range(REPORTS_BEFORE + REPORTS_DURING)]
    worker.context.set_offline(True)
    for title in titles[:REPORTS_BEFORE]:
        _file(worker, server, title, photo_file)
    worker.go("/outbox")
    offline, restarts, started = True, 0, time.monotonic()
    during = iter(titles[REPORTS_BEFORE:])
    for cycle in range(CYCLES):
        if cycle % (CYCLES // (REPORTS_DURING + 1)) == CYCLES // (REPORTS_DURING + 1) - 1:
            title = next(during, None)
            if title:  # the field user files another report mid-storm (offline is where the UI works alike)
                worker.context.set_offline(True)
                _file(worker, server, title, photo_file)
                worker.go("/outbox")
        if rng.random() < 0.12:
            server.restart()  # SIGKILL, whatever is in flight
            restarts += 1
        offline = rng.random() < 0.5
        worker.context.set_offline(offline)
        worker.page.wait_for_timeout(rng.randint(20, 250))
    print(f"{CYCLES} cycles, {restarts} server restarts in {time.monotonic() - started:.1f} s")
    worker.context.set_offline(False)
    worker.go("/outbox")  # the app starts a flush when it opens
    wait_for_js(worker.page, ALL_SENT)
    assert worker.page.locator(".outbox-item.state-sent").count() == len(titles)
    engine = create_engine(server.database_url)
    with engine.connect() as connection:
        liu = connection.scalar(select(User.id).where(User.username == "liu"))
        found = connection.execute(
            select(Hazard.title, func.count(Photo.id)).join(Photo, Photo.hazard_id == Hazard.id)
            .where(Hazard.title.in_(titles)).group_by(Hazard.id, Hazard.title)
        ).all()  # fmt: skip
        stored_photos = connection.scalar(
            select(func.count()).select_from(Photo).where(Photo.uploader_id == liu)
        )
    engine.dispose()
    assert sorted(title for title, _ in found) == sorted(titles)  # 0 lost, 0 duplicated
    assert all(photos == 1 for _, photos in found)
    assert stored_photos == len(titles)  # no photo stored twice either
    worker.close()
