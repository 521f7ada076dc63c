"""The layout sweep (issue 16): every screen of every role, with records whose titles, descriptions
and names are as long as the API allows (longest.py), at 320, 360, 414 and 1280 px wide: nothing
past the right edge, every control at least 44×44 px (or a padded hit area), no text cut off
(layout_probe.js measures). Screenshots of each screen at 320 and 1280 (its top 2,400 px) go to
tests/e2e/screenshots/layout/ to be looked at."""

from pathlib import Path

import pytest

from tests.e2e.conftest import SCREENSHOTS, Phone, wait_for_js
from tests.e2e.longest import lengthen_demo, plant

pytestmark = pytest.mark.one_engine  # layout does not depend on the database

WIDTHS = (320, 360, 414, 1280)
SHOT_WIDTHS = (320, 1280)
SHOT_HEIGHT = 2400  # 2,000-character texts make screens 20,000 px long
PROBE = (Path(__file__).parent / "layout_probe.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def longest(server):
    lengthen_demo(server.app)
    return plant(server.app)


def screens(ids):
    """Every route of pwa/src/routes.json with a record to show. /outbox/:id/edit is left out: it
    needs an item in the phone's outbox and shows the report form, swept at /zones/:id/report."""
    zone, sign = f"/zones/{ids['zone']}", f"/z/{ids['zone_token']}"
    return {
        "home": "/", "scan": "/scan", "zone-by-sign": sign, "report-by-sign": f"{sign}/report",
        "post-by-sign": f"/p/{ids['post_token']}", "party-day-by-sign": f"/d/{ids['day_token']}",
        "receipt-lookup": "/r", "receipt": f"/r/{ids['receipt']}",
        "party-days": "/party-days", "plan-party-day": "/party-days/new",
        "party-day": f"/party-days/{ids['day']}",
        "letters": "/letters", "issue-letter": "/letters/new", "letter": f"/letters/{ids['letter']}",
        "scorecards": "/scorecards", "scorecard-member": f"/scorecards/members/{ids['chen']}",
        "scorecard-zone": f"/scorecards/zones/{ids['zone']}", "zones": "/zones", "zone": zone,
        "report": f"{zone}/report", "patrol": f"{zone}/patrol", "post": f"/posts/{ids['post']}",
        "list": "/hazards", "hazard": f"/hazards/{ids['hazard']}", "inbox": "/inbox", "outbox": "/outbox",
        "list-filtered": f"/hazards?zone_id={ids['zone']}&level=major",
        "settings": "/me", "dashboard": "/dashboard", "monthly-report": "/reports/monthly",
        "admin-users": "/admin/users", "admin-signs": "/admin/signs", "admin-places": "/admin/places",
        "admin-import": "/admin/import", "admin-zone": f"/admin/zones/{ids['zone']}",
        "admin-post": f"/admin/posts/{ids['post']}", "admin-user": f"/admin/users/{ids['chen']}",
        "admin-channels": "/admin/channels", "admin-channel": f"/admin/channels/{ids['channel']}",
        "admin-deliveries": "/admin/deliveries",
    }  # fmt: skip


# Who sees which screens: each role those its home, tabs and menus lead to. The worker and the
# zone head are Party members; the zone head organises the branch's Party days.
COMMON = ("home", "scan", "zone-by-sign", "post-by-sign", "list", "list-filtered", "hazard", "inbox",
          "outbox", "settings", "zones", "zone", "report", "report-by-sign", "post", "party-days",
          "party-day", "letters", "letter", "scorecards", "scorecard-member")  # fmt: skip
ADMIN = ("dashboard", "monthly-report", "issue-letter", "admin-users", "admin-signs", "admin-places",
         "admin-import", "admin-zone", "admin-post", "admin-user", "admin-channels", "admin-channel",
         "admin-deliveries")  # fmt: skip
ROLES = {
    "chen": COMMON + ("party-day-by-sign",),
    "zhang": COMMON + ("patrol", "plan-party-day", "scorecard-zone"),
    "jiandu": COMMON + ("dashboard", "monthly-report", "scorecard-zone"),
    "admin": COMMON + ADMIN,
    None: ("zone-by-sign", "receipt-lookup", "receipt"),  # someone without an account
}
# Counts the page's fetches in flight, so that a screen is measured once its data is in.
COUNT_FETCHES = """(() => {
  let inflight = 0;
  window.__quietSince = performance.now();
  window.__inflight = () => inflight;
  const send = window.fetch;
  window.fetch = (...args) => {
    inflight += 1;
    return send(...args).finally(() => { inflight -= 1; window.__quietSince = performance.now(); });
  };
})()"""
# Opens a path as the app's own links do (router.navigate): no reload between screens.
OPEN = """path => {
  window.__quietSince = performance.now();
  history.pushState({}, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
  scrollTo(0, 0);
}"""
# A screen is in once it is drawn, no request has been in flight for a moment (one answer may
# lead to the next request) and nothing says it is loading.
SETTLED = """window.__inflight() === 0 && performance.now() - window.__quietSince > 200
  && document.querySelector('main.content > *, .public, .login') !== null
  && document.querySelector('.skeleton') === null
  && !document.body.innerText.includes('加载中')"""


def measure(page, screen):
    """The problems of the screen on show at every width."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 740})
        problems += [f"{screen} at {width} px: {problem}" for problem in page.evaluate(PROBE, width)]
    return problems


def sweep(page, who, names, paths, shot):
    """Open each screen, measure it at every width; answers the problems found. A screen is
    photographed once (by the first role to open it), home and the guest's screens per role."""
    problems = []
    for name in names:
        page.set_viewport_size({"width": WIDTHS[1], "height": 740})
        page.evaluate(OPEN, paths[name])
        wait_for_js(page, SETTLED)
        problems += measure(page, f"{who} {name} ({paths[name]})")
        if name in shot and name != "home" and who != "guest":
            continue
        shot.add(name)
        for width in SHOT_WIDTHS:
            page.set_viewport_size({"width": width, "height": 740})
            height = min(page.evaluate("document.documentElement.scrollHeight"), SHOT_HEIGHT)
            clip, path = {"x": 0, "y": 0, "width": width, "height": height}, f"{who}-{name}-{width}.png"
            page.screenshot(path=str(SCREENSHOTS / "layout" / path), clip=clip, full_page=True)
    return problems


def test_every_screen_fits_every_width(browser, server, longest):
    (SCREENSHOTS / "layout").mkdir(parents=True, exist_ok=True)
    paths, problems, shot = screens(longest), [], set()
    for username, names in ROLES.items():
        phone = Phone(browser, server, scale=1)  # CSS pixels are what is measured; 1× shoots faster
        phone.context.add_init_script(COUNT_FETCHES)
        phone.sign_in(username) if username else phone.go("/r")  # a screen to navigate from
        problems += sweep(phone.page, username or "guest", names, paths, shot)
        phone.close()  # no script error, no CSP violation
    assert not problems, f"{len(problems)} layout problems:\n" + "\n".join(problems)


def test_a_flagged_field_is_not_under_the_sticky_header(browser, server, longest):
    phone = Phone(browser, server)
    phone.page.set_viewport_size({"width": 360, "height": 640})
    phone.sign_in("chen")
    phone.go(f"/zones/{longest['zone']}/report")
    phone.page.wait_for_selector("form[data-draft-ready=true]")
    phone.page.click("button.choice >> nth=0")
    phone.page.locator("button:has-text('提交上报')").scroll_into_view_if_needed()
    phone.page.click("button:has-text('提交上报')")  # the title is empty: the browser flags it
    wait_for_js(phone.page, "document.activeElement?.matches('input[maxlength=\"100\"]')")
    header = phone.page.locator("header.topbar").bounding_box()
    field = phone.page.locator(".field:has(input[maxlength='100'])").bounding_box()  # its label and input
    assert field["y"] >= header["y"] + header["height"], (field, header)
    phone.close()


def test_forms_opened_and_filled_fit_every_width(browser, server, longest, photo_file):
    """What the sweep's screens show only after a tap: the report form with photos picked (their
    delete buttons) and the on-the-spot fix open; each action form of the hazard's page."""
    phone, problems = Phone(browser, server, scale=1), []
    phone.sign_in("zhang")
    phone.go(f"/zones/{longest['zone']}/report")
    phone.page.wait_for_selector("form[data-draft-ready=true]")
    phone.page.set_input_files(".photo-picker input[type=file]", [photo_file, photo_file])
    phone.page.check("label.switch input")
    wait_for_js(phone.page, "document.querySelectorAll('.photo-grid figure img').length === 2")
    problems += measure(phone.page, "zhang report form with photos and the fix")
    phone.go(f"/hazards/{longest['hazard']}")
    buttons = phone.page.locator(".action-buttons button")
    buttons.first.wait_for()
    assert buttons.count() >= 2, buttons.all_inner_texts()  # the extension asked for: grant, refuse…
    for index in range(buttons.count()):
        label = buttons.nth(index).inner_text()
        buttons.nth(index).click()
        phone.page.wait_for_selector("form.action-form")
        problems += measure(phone.page, f"zhang hazard action form {label}")
        phone.page.click("form.action-form button:has-text('取消')")
        buttons.first.wait_for()
    phone.close()
    phone = Phone(browser, server, scale=1)
    phone.sign_in("admin")
    phone.go("/admin/channels")
    phone.page.click("summary:has-text('添加通知渠道')")
    phone.page.select_option("select[name=kind]", "webhook")  # its secret field shows
    phone.page.wait_for_selector("input[name=secret]")
    problems += measure(phone.page, "admin channel add form")
    phone.close()
    assert not problems, f"{len(problems)} layout problems:\n" + "\n".join(problems)
