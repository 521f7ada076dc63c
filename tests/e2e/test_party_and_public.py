"""Party building × safety in the browser, at 360×740 in Chinese: a guest's report from the public
board with its receipt and the rate limit, a Party day check-in by its QR link, signing a letter,
and the scorecard with the records behind a point."""

import re

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.loop.hazards import Hazard
from server.models.party.letters import LetterRecipient
from server.models.party.party_days import Attendance, PartyDay
from server.models.places.zones import Zone
from tests.e2e.conftest import serve, wait_for_js


@pytest.fixture(scope="module")
def server(database, tmp_path_factory):
    """Rate limits on, with a guest limit of two reports an hour per address."""
    limits = {"RATELIMIT_ENABLED": True, "GUEST_REPORT_LIMIT_PER_ADDRESS": "2 per hour"}
    yield from serve(database, tmp_path_factory, **limits)


def _token(server, code):
    with server.app.app_context():
        return db.session.scalar(select(Zone.qr_token).where(Zone.code == code))


def _guest_report(page, title, photo_file):
    page.click("button:has-text('我发现了隐患')")
    page.click("button.choice:has-text('消防')")
    page.fill("input[maxlength='100']", title)
    page.set_input_files(".photo-picker input[type=file]", photo_file)
    page.wait_for_selector(".photo-grid figure img")
    page.fill("input[type=tel]", "13900001111")
    page.click("button:has-text('提交上报')")


def test_a_guest_reports_from_the_board_and_follows_only_its_own_receipt(server, phone, photo_file):
    guest = phone()
    token = _token(server, "BDZ-01")
    guest.go(f"/z/{token}")
    guest.page.wait_for_selector("text=本月已销号")
    assert guest.page.locator("nav.tabs").count() == 0  # the public frame, not the staff app
    guest.shot("public-board")
    _guest_report(guest.page, "消防通道被货车堵住", photo_file)
    guest.page.wait_for_selector(".receipt-code")
    first = guest.page.inner_text(".receipt-code")
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", first)
    guest.shot("public-receipt")
    guest.go(f"/z/{token}")
    _guest_report(guest.page, "灭火器过期", photo_file)
    guest.page.wait_for_selector(".receipt-code")
    second = guest.page.inner_text(".receipt-code")
    guest.go(f"/z/{token}")
    _guest_report(guest.page, "第三次上报", photo_file)
    guest.page.wait_for_selector("text=提交太频繁")
    guest.shot("public-rate-limited")
    guest.go(f"/r/{first}")
    guest.page.wait_for_selector("text=消防通道被货车堵住")
    assert guest.page.locator("text=灭火器过期").count() == 0
    assert guest.page.locator("text=陈小勇").count() == 0  # nobody's name, no internals
    guest.go("/r")
    guest.page.wait_for_selector("a:has-text('YH-')")
    assert guest.page.locator(".rows li").count() == 2  # both receipts kept on this phone
    with server.app.app_context():
        hazards = db.session.scalars(select(Hazard).where(Hazard.receipt_hash.is_not(None))).all()
        assert sorted(h.title for h in hazards) == ["消防通道被货车堵住", "灭火器过期"]
        assert {(h.status, h.guest_phone, h.zone.code) for h in hazards} == {
            ("reported", "13900001111", "BDZ-01")
        }
    assert first != second
    head = phone()
    head.sign_in("zhang")
    head.go("/hazards?status=reported")
    head.page.wait_for_selector(".badge.guest")
    head.shot("guest-report-in-list")


def test_a_member_checks_in_to_a_party_day_through_its_qr_link(server, phone):
    with server.app.app_context():
        day = db.session.scalar(select(PartyDay).where(PartyDay.kind == "site_check"))
        day_id, token = day.id, day.qr_token
        chen = db.session.scalar(select(User.id).where(User.username == "chen"))
    organizer = phone()
    organizer.sign_in("zhang")
    organizer.go(f"/party-days/{day_id}")
    organizer.page.wait_for_selector(".qr-box img")
    wait_for_js(organizer.page, "document.querySelector('.qr-box img').naturalWidth > 0")
    organizer.shot("party-day-organizer")
    member = phone()
    member.sign_in("chen")
    member.go(f"/d/{token}")
    member.page.wait_for_selector("button:has-text('扫码签到')")
    assert f"/party-days/{day_id}?token=" in member.page.url
    member.page.click("button:has-text('扫码签到')")
    member.page.wait_for_selector("text=您已于")
    member.shot("party-day-checked-in")
    with server.app.app_context():
        rows = db.session.scalars(select(Attendance).where(Attendance.party_day_id == day_id)).all()
        assert [(a.user_id, a.within_geofence) for a in rows] == [(chen, None)]
    member.go("/")
    member.page.click("a:has-text('主题党日')")
    member.page.wait_for_selector("text=反违章·查隐患现场主题党日")


def test_a_zone_head_signs_the_letter_and_a_supervisor_reads_the_scorecard(server, phone):
    head = phone()
    head.sign_in("li")
    head.page.wait_for_selector("text=1 份待签")
    head.page.click("a:has-text('安全责任书')")
    head.page.click("a.card:has-text('安全生产责任书')")
    head.page.wait_for_selector(".letter-text")
    head.page.fill("input[autocomplete=name]", "李红梅")
    head.shot("letter-sign")
    head.page.click("button:has-text('我已阅读并签署')")
    head.page.wait_for_selector("text=您已于")
    supervisor = phone()
    supervisor.sign_in("jiandu")
    supervisor.go("/scorecards")
    supervisor.page.wait_for_selector("table.table tbody tr")
    supervisor.shot("scorecard-members")
    supervisor.page.click("button.chip:has-text('党支部')")
    supervisor.page.wait_for_selector("td:has-text('变电党支部')")
    supervisor.page.click("button.chip:has-text('党员')")
    supervisor.page.click("table.table a:has-text('张建国')")
    supervisor.page.wait_for_selector("text=按期巡查")
    supervisor.shot("scorecard-card")
    supervisor.go("/letters")
    supervisor.page.click("a.card:has-text('安全生产责任书')")
    supervisor.page.wait_for_selector("text=未签署 2 / 4")
    with server.app.app_context():
        li = db.session.scalar(select(User).where(User.username == "li"))
        signed = db.session.scalars(select(LetterRecipient).where(LetterRecipient.user_id == li.id)).all()
        assert [recipient.signature for recipient in signed if recipient.signed_at] == ["李红梅"]
