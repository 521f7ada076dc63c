"""XSS payloads in every free-text field are stored as text and shown inert: in the PWA's
screens for each role and on the printable pages (notice, signs). No dialog opens, no element
or handler is injected, no CSP violation is reported, and the payload reads as typed."""

import io
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.services.demo.seed import DEMO_PASSWORD
from server.services.platform.clock import site_today
from tests.e2e.conftest import Phone, api_client, ok, wait_for_js, wait_for_service_worker
from tests.e2e.test_pwa import ALL_SENT, report
from tests.images import jpeg

# Each fits the shortest field it goes into (100 characters).
PAYLOADS = (
    "<img src=x onerror=alert(1)><svg onload=alert(2)><script>alert(3)</script>",
    '"><iframe srcdoc="<script>alert(4)</script>"></iframe><a href=javascript:alert(5)>x</a>',
)
XSS_PASSWORD = "chosen-by-the-tester"
INJECTED = """() => document.querySelectorAll(
  '[onerror], [onload], iframe, a[href^="javascript:"], script:not([src]), img[src="x"]').length"""


@pytest.fixture(scope="module")
def planted(server):
    """Every free-text field holds a payload, entered through the API as users would."""
    app, first, second = server.app, PAYLOADS[0], PAYLOADS[1]
    with app.app_context():
        zhang = db.session.scalar(select(User).where(User.username == "zhang"))
        head_id, unit_id, today = zhang.id, zhang.unit_id, site_today()
    admin, head = api_client(app, "admin"), api_client(app, "zhang")
    ok(admin.post("/api/v1/units", json={"code": "XSS", "name": first, "parent_id": unit_id}))
    worker = ok(admin.post("/api/v1/users", json={
        "username": "xss", "name": first, "role": "worker", "unit_id": unit_id, "party_branch": second,
        "password": "first-given-passphrase"}))  # fmt: skip
    zone = ok(admin.post("/api/v1/zones", json={
        "code": "XSS-Z", "name": first, "unit_id": unit_id, "head_id": head_id, "responsibilities": second,
        "patrol_checklist": [first]}))  # fmt: skip
    post = ok(admin.post("/api/v1/posts", json={
        "code": "XSS-P", "name": second, "unit_id": unit_id, "holder_id": head_id, "zone_id": zone["id"],
        "commitment": first}))  # fmt: skip
    reporter = api_client(app, "xss", "first-given-passphrase")
    change = {"current_password": "first-given-passphrase", "new_password": XSS_PASSWORD}
    # A new session after the change, with its own token.
    reporter.csrf_token = ok(reporter.post("/api/v1/auth/password", json=change))["csrf_token"]
    photo = ok(reporter.post("/api/v1/photos", content_type="multipart/form-data", data={
        "file": (io.BytesIO(jpeg(320, 240)), "p.jpg"), "client_uuid": str(uuid.uuid4())}))["id"]  # fmt: skip
    hazard = ok(reporter.post("/api/v1/hazards", json={
        "client_uuid": str(uuid.uuid4()), "zone_id": zone["id"], "title": first, "description": second,
        "category": "other", "photo_ids": [photo]}))  # fmt: skip
    actions = f"/api/v1/hazards/{hazard['id']}/actions"
    deadline = (today + timedelta(days=7)).isoformat()
    hazard = ok(head.post(f"{actions}/confirm", json={
        "version": hazard["version"], "assignee_id": worker["id"], "deadline": deadline, "level": "general",
        "measures": first, "funds": second, "contingency_plan": first}))  # fmt: skip
    ok(head.post(f"{actions}/comment", json={"text": second}))
    ok(reporter.post(f"{actions}/request_extension", json={
        "version": hazard["version"], "deadline": (today + timedelta(days=20)).isoformat(),
        "reason": first}))  # fmt: skip
    ok(
        head.post(
            "/api/v1/checkins", json={"client_uuid": str(uuid.uuid4()), "post_id": post["id"], "note": second}
        )
    )
    ok(head.post("/api/v1/patrols", json={
        "client_uuid": str(uuid.uuid4()), "zone_id": zone["id"], "note": first,
        "checklist": [{"item": first, "ok": False, "note": second}]}))  # fmt: skip
    return {"hazard": hazard["id"], "zone": zone["id"], "post": post["id"]}


def _check(phone, path, dialogs, shows_payload=True):
    phone.go(path)
    phone.page.wait_for_load_state("networkidle")
    assert dialogs == [], (path, dialogs)
    assert phone.page.evaluate(INJECTED) == 0, path
    assert phone.page.evaluate("window.__xss") is None
    if shows_payload:
        text = phone.page.inner_text("body")
        assert any(payload in text for payload in PAYLOADS), path  # shown as typed, not swallowed


def _phone(browser, server, username, password=DEMO_PASSWORD):
    phone = Phone(browser, server)
    dialogs = []
    phone.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    phone.sign_in(username, password)
    return phone, dialogs


def test_payloads_are_inert_on_every_screen_and_printable_page(browser, server, planted):
    hazard, zone, post = planted["hazard"], planted["zone"], planted["post"]
    screens = {
        "zhang": ["/", "/hazards", f"/hazards/{hazard}", "/inbox", f"/zones/{zone}", f"/posts/{post}",
                  f"/zones/{zone}/patrol", f"/hazards/{hazard}/notice"],
        "xss": ["/", f"/hazards/{hazard}", "/inbox"],
        "jiandu": ["/", f"/hazards/{hazard}", "/dashboard", f"/reports/monthly?month={date.today():%Y-%m}"],
        "admin": ["/admin/users", "/admin/places", "/admin/signs", f"/signs?zones={zone}&posts={post}"],
    }  # fmt: skip
    quiet = {"/", "/inbox", "/dashboard", "/admin/signs"}  # lists that may not show the planted rows
    for username, paths in screens.items():
        phone, dialogs = _phone(
            browser, server, username, XSS_PASSWORD if username == "xss" else DEMO_PASSWORD
        )
        for path in paths:
            _check(phone, path, dialogs, shows_payload=path not in quiet)
        phone.close()  # asserts no script error and no CSP violation


def test_a_queued_report_with_a_payload_is_inert_in_the_outbox(browser, server, planted, photo_file):
    phone, dialogs = _phone(browser, server, "xss", XSS_PASSWORD)
    phone.go(f"/zones/{planted['zone']}")
    wait_for_service_worker(phone.page)
    phone.context.set_offline(True)
    phone.go(f"/zones/{planted['zone']}/report")
    phone.page.wait_for_selector("text=类别")
    report(phone.page, PAYLOADS[1], photo_file, category="其他")
    phone.page.wait_for_selector("text=已保存，将自动发送")
    phone.go("/outbox")
    phone.page.wait_for_selector(".outbox-item")
    assert PAYLOADS[1] in phone.page.inner_text(".outbox") and dialogs == []
    assert phone.page.evaluate(INJECTED) == 0
    phone.context.set_offline(False)
    wait_for_js(phone.page, ALL_SENT)
    assert phone.page.evaluate(INJECTED) == 0 and dialogs == []
    phone.close()
