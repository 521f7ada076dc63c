"""A Party day and the home screen with no signal (issue 15, items 2 and 6): a Party day's sign
scanned offline queues the check-in with its token, a Party day never opened shows from the pack,
and the home shows the user's tasks from the pack."""

import re

from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.party.party_days import Attendance, PartyDay
from tests.e2e.test_offline_pack import assert_no_browser_words, sign_in_and_keep_the_pack
from tests.e2e.test_pwa import wait_until_sent


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
