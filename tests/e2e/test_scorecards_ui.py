"""The scorecard's screens (issue 16): a member's own card and its month, the rankings' URL opened
by someone who does not rank (their own card, not a refusal), and an honour's button gone once it
is confirmed."""

import re

from tests.e2e.conftest import wait_for_js


def test_a_member_opens_their_card_and_changes_its_month(server, phone):
    worker = phone()
    page = worker.page
    worker.sign_in("chen")  # a Party member: the rankings are not theirs, their card is
    worker.go("/scorecards")
    page.wait_for_selector("text=发现一般隐患")
    assert not page.is_visible("text=无权")
    month = page.input_value("input[type=month]")
    earlier = f"{int(month[:4]) - 1}{month[4:]}"  # the same month a year before
    page.fill("input[type=month]", earlier)
    page.dispatch_event("input[type=month]", "change")
    page.wait_for_url(re.compile(rf"/scorecards/members/\d+\?month={earlier}$"))
    page.wait_for_selector(f".place .code:has-text('{earlier}')")
    worker.shot("scorecard-own-month")


def test_a_confirmed_honour_shows_as_confirmed_not_as_a_button(server, phone):
    supervisor = phone("jiandu", "/scorecards")
    page = supervisor.page
    page.wait_for_selector("text=评优建议")
    buttons = "button:has-text('确认')"
    before = page.locator(buttons).count()
    assert before > 0
    page.locator(buttons).first.click()
    page.wait_for_selector("text=已确认评优")
    wait_for_js(page, "document.querySelectorAll('.rows .badge.status-closed').length === 1")
    assert page.locator(buttons).count() == before - 1
    page.wait_for_selector("section:has(h2:has-text('评优记录')) li:has-text('安全生产优秀共产党员')")
    supervisor.shot("scorecard-honour-confirmed")
