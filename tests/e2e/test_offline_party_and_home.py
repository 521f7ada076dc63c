"""A Party day and the home screen with no signal, and a server in trouble (issue 15, items 2 and 6):
a Party day's sign scanned offline queues the check-in with its token, a Party day never opened
shows from the pack, the home shows the user's tasks from the pack, and a proxy's 502 page is
said in our words while the report waits and is then sent."""

import re

from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.loop.hazards import Hazard
from server.models.party.party_days import Attendance, PartyDay
from server.models.places.zones import Zone
from tests.e2e.conftest import wait_for, wait_for_service_worker
from tests.e2e.test_offline_pack import (
    assert_no_browser_words,
    hazards_titled,
    place,
    sign_in_and_keep_the_pack,
)
from tests.e2e.test_pwa import report, wait_until_sent


def party_day(server):
    with server.app.app_context():
        day = db.session.scalar(select(PartyDay).where(PartyDay.kind == "site_check"))
        return day.id, day.qr_token, day.theme


def attendances(server, day_id):
    with server.app.app_context():
        return db.session.scalars(select(Attendance.user_id).where(Attendance.party_day_id == day_id)).all()


def test_a_party_days_sign_scanned_offline_queues_one_check_in(server, phone):
    day_id, token, theme = party_day(server)
    with server.app.app_context():
        chen = db.session.scalar(select(User.id).where(User.username == "chen"))
    member = phone()
    page = sign_in_and_keep_the_pack(member, "chen")
    member.context.set_offline(True)
    member.go(f"/party-days/{day_id}")  # never opened on this phone: from the pack
    page.wait_for_selector(f"h2:has-text('{theme}')")
    assert_no_browser_words(page)
    member.shot("offline-party-day-from-pack")
    member.go(f"/d/{token}")  # the phone's camera opens the sign's link
    page.wait_for_selector("text=签到现场主题党日")
    assert_no_browser_words(page)
    member.shot("offline-party-day-sign")
    page.click("button:has-text('扫码签到')")
    page.wait_for_selector("text=签到已保存，有信号时自动发送。")
    assert attendances(server, day_id) == []
    member.shot("offline-party-day-queued")
    member.context.set_offline(False)
    wait_until_sent(member)
    assert attendances(server, day_id) == [chen]
    assert re.search(r"/outbox$", page.url)


FORGET_SAVED_LISTS = """async () => {
  // What the home saved when it was loaded online (useApi's answers and the worker's API cache):
  // gone, as on a phone whose home was never loaded; the offline pack stays.
  const db = await new Promise((ok, fail) => {
    const open = indexedDB.open('safety-zones');
    open.onsuccess = () => ok(open.result);
    open.onerror = () => fail(open.error);
  });
  const store = db.transaction('cache', 'readwrite').objectStore('cache');
  const keys = await new Promise((ok) => { const r = store.getAllKeys(); r.onsuccess = () => ok(r.result); });
  await Promise.all(keys.filter((k) => /:\\/(hazards|zones)/.test(k)).map((k) => new Promise((ok) => {
    store.delete(k).onsuccess = ok;
  })));
  const api = await caches.open('api-v1');
  for (const request of await api.keys()) {
    if (/\\/api\\/v1\\/(hazards|zones)/.test(request.url)) await api.delete(request);
  }
  return true;
}"""


def test_the_home_never_loaded_shows_the_workers_tasks_from_the_pack(server, phone):
    with server.app.app_context():
        liu = db.session.scalar(select(User.id).where(User.username == "liu"))
        task = db.session.scalar(
            select(Hazard).where(Hazard.assignee_id == liu, Hazard.status == "rectifying").order_by(Hazard.id)
        )
        title = task.title
    worker = phone()
    page = sign_in_and_keep_the_pack(worker, "liu")
    assert page.evaluate(FORGET_SAVED_LISTS)
    worker.context.set_offline(True)
    worker.go("/")
    page.wait_for_selector(f".card:has-text('{title}')")
    assert page.is_visible("text=离线：显示的是离线数据")
    assert page.is_visible("text=没有网络：这份列表有网后显示。")  # my reports: not in the pack
    assert_no_browser_words(page)
    worker.shot("offline-home-from-pack")


def test_the_zone_heads_home_never_loaded_shows_their_zones_from_the_pack(server, phone):
    head = phone()
    page = sign_in_and_keep_the_pack(head, "li")
    assert page.evaluate(FORGET_SAVED_LISTS)
    head.context.set_offline(True)
    head.go("/")
    page.wait_for_selector(".tile:has-text('35kV 西郊变电站')")
    assert_no_browser_words(page)
    head.shot("offline-home-zone-head-from-pack")


PROXY_PAGE = "<html><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"


def test_a_proxys_502_shows_our_words_and_the_report_is_kept_and_sent(server, phone, photo_file):
    zone_id, _ = place(server, Zone, "BDZ-01")
    worker = phone("chen")
    page = worker.page
    wait_for_service_worker(page)

    def bad_gateway(route):
        if route.request.method != "POST":
            return route.continue_()
        return route.fulfill(status=502, content_type="text/html", body=PROXY_PAGE)

    page.route(re.compile(r"/api/v1/hazards$"), bad_gateway)
    worker.go(f"/zones/{zone_id}/report")
    page.wait_for_selector("text=类别")
    report(page, "配电箱门锁损坏", photo_file)
    page.wait_for_selector("text=已保存，将自动发送")
    worker.go("/outbox")
    page.wait_for_selector("text=服务器暂时出了问题：这条内容已保存在手机上，会自动重试")
    text = page.inner_text("body")
    assert "HTTP" not in text and "Bad Gateway" not in text and "502" not in text, text
    assert_no_browser_words(page)
    worker.shot("outbox-server-trouble")
    assert hazards_titled(server, "配电箱门锁损坏") == []
    page.unroute(re.compile(r"/api/v1/hazards$"))

    # The retry reaches the server, and its answer is lost to a reload: the server has the record,
    # the phone still has the item 'sending'. The next start sends it again (same key): one record.
    answered = []

    def answer_lost(route):
        if route.request.method != "POST":
            return route.continue_()
        answered.append(route.fetch().status)  # never fulfilled: the page goes first

    page.route(re.compile(r"/api/v1/hazards$"), answer_lost)
    page.click("button:has-text('立即发送')")
    wait_for(page, lambda: answered, "the retried report to reach the server")
    assert answered == [201] and hazards_titled(server, "配电箱门锁损坏") == [(zone_id, 1)]
    page.unroute(re.compile(r"/api/v1/hazards$"))
    wait_until_sent(worker)
    assert hazards_titled(server, "配电箱门锁损坏") == [(zone_id, 1)]
