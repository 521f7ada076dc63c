"""After sending (issue 15, item 4): a report queued with no signal turns, once sent, into its
hazard's number in the outbox, linked to the hazard; the zone page that was open counts it
without being reopened; the item says how many of its photos went out."""

import random
import re

from PIL import Image
from sqlalchemy import func, select

from server.extensions import db
from server.models.loop.hazards import Hazard
from server.models.places.zones import Zone
from server.vocabulary import OPEN_STATUSES
from tests.e2e.conftest import wait_for_js, wait_for_service_worker
from tests.e2e.test_pwa import hazard_by_title, report
from tests.images import jpeg


def _open_count(server, zone_id):
    with server.app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(Hazard)
            .where(Hazard.zone_id == zone_id, Hazard.status.in_(OPEN_STATUSES))
        )


def test_a_report_sent_later_shows_its_number_and_link_and_the_zone_counts_it(
    server, phone, photo_file, tmp_path
):
    second = tmp_path / "IMG_0002.jpg"
    second.write_bytes(jpeg(1600, 1200))
    with server.app.app_context():
        zone_id = db.session.scalar(select(Zone.id).where(Zone.code == "BDZ-02"))
    before = _open_count(server, zone_id)
    worker = phone("chen")
    page = worker.page
    wait_for_service_worker(page)
    worker.go(f"/zones/{zone_id}")
    page.wait_for_selector(f".badge:has-text('未闭环 {before}')")
    worker.context.set_offline(True)
    page.click("a:has-text('上报隐患')")
    page.wait_for_selector("text=类别")
    page.click("button.choice:has-text('电气')")
    page.fill("input[maxlength='100']", "开关柜观察窗破裂")
    page.set_input_files(".photo-picker input[type=file]", [photo_file, str(second)])
    wait_for_js(page, "document.querySelectorAll('.photo-grid figure img').length === 2")
    page.click("button:has-text('提交上报')")
    page.wait_for_url(re.compile(rf"/zones/{zone_id}$"))
    page.wait_for_selector(f".badge:has-text('未闭环 {before}')")
    worker.context.set_offline(False)  # the phone flushes on `online`; the zone page asks again
    page.wait_for_selector(f".badge:has-text('未闭环 {before + 1}')")
    hazards, photos = hazard_by_title(server, "开关柜观察窗破裂")
    assert len(hazards) == 1 and photos == 2
    hazard = hazards[0]
    worker.go("/outbox")
    link = page.wait_for_selector(f"a.sent-hazard:has-text('{hazard.number}')")
    assert page.is_visible("text=2 / 2 张照片已发送")
    assert page.is_visible("button:has-text('清除已发送')")
    worker.shot("outbox-sent-with-number")
    link.click()
    page.wait_for_url(re.compile(rf"/hazards/{hazard.id}$"))
    page.wait_for_selector("h2:has-text('开关柜观察窗破裂')")
    worker.go("/outbox")
    page.click("button:has-text('清除已发送')")
    page.wait_for_selector("text=没有待发送的内容")


def test_each_photo_shows_its_upload_going_out_on_a_slow_network(server, phone, tmp_path):
    photos = []
    for n in range(2):  # noise: a photo that stays about 1 MB after the phone shrinks it
        path = tmp_path / f"IMG_100{n}.jpg"
        Image.frombytes("L", (1600, 1200), random.randbytes(1600 * 1200)).convert("RGB").save(
            path, quality=95
        )
        photos.append(str(path))
    with server.app.app_context():
        zone_id = db.session.scalar(select(Zone.id).where(Zone.code == "BDZ-01"))
    worker = phone("chen", "/outbox")
    page = worker.page
    page.wait_for_selector("text=没有待发送的内容")
    cdp = worker.context.new_cdp_session(page)
    cdp.send("Network.enable")
    # About 1.2 Mbps up: each photo takes seconds to go out.
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 100, "downloadThroughput": 200_000, "uploadThroughput": 150_000},
    )
    worker.go(f"/zones/{zone_id}/report")
    page.wait_for_selector("text=类别")
    page.click("button.choice:has-text('设备')")
    page.fill("input[maxlength='100']", "端子箱门锁损坏")
    page.set_input_files(".photo-picker input[type=file]", photos)
    wait_for_js(page, "document.querySelectorAll('.photo-grid figure img').length === 2")
    page.click("button:has-text('提交上报')")
    page.wait_for_url(re.compile(rf"/zones/{zone_id}$"))
    # Into the outbox within the app: a reload would cut the upload short.
    page.evaluate("history.pushState({}, '', '/outbox'); dispatchEvent(new PopStateEvent('popstate'))")
    # A bar part-way: the bytes of a photo are going out, and the item counts what went.
    wait_for_js(
        page,
        "[...document.querySelectorAll('.photo-progress progress')].some((p) => p.value > 0 && p.value < 1)",
    )
    assert page.is_visible("text=/[01] \\/ 2 张照片已发送/")
    worker.shot("outbox-photo-progress")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    page.wait_for_selector("a.sent-hazard")
    assert page.is_visible("text=2 / 2 张照片已发送")


def test_the_hazard_list_shows_a_report_once_it_is_sent_without_being_reopened(server, phone, photo_file):
    with server.app.app_context():
        zone_id = db.session.scalar(select(Zone.id).where(Zone.code == "BDZ-02"))
    worker = phone("chen")
    page = worker.page
    wait_for_service_worker(page)
    worker.go(f"/zones/{zone_id}/report")
    page.wait_for_selector("text=类别")
    worker.context.set_offline(True)
    report(page, "列表自动刷新的上报", photo_file)
    page.wait_for_url(re.compile(rf"/zones/{zone_id}$"))
    page.click("nav.tabs a:has-text('隐患')")
    page.wait_for_url(re.compile(r"/hazards"))
    assert not page.is_visible(".card:has-text('列表自动刷新的上报')")
    worker.context.set_offline(False)  # sent: the list that is open asks its first page again
    page.wait_for_selector(".card:has-text('列表自动刷新的上报')")
