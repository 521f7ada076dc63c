"""What a field user is told after a post check-in (inside the fence and how far, far outside and
marked, no location, refused by a `require` post, queued offline then recorded) and why someone
who may not check in at a post or attend a Party day cannot: at 360 px in Chinese (issue 16)."""

from sqlalchemy import select, update

from server.extensions import db
from server.models.field.checkins import CheckIn
from server.models.party.party_days import PartyDay
from server.models.places.posts import Post
from tests.e2e.conftest import wait_for_js

POST_LAT, POST_LNG = 30.2741, 120.1551  # SFG-01, with a 200 m fence, held by zhang
RESULT = ".checkin-result .note"


def post_id(server, code="SFG-01", policy="flag"):
    with server.app.app_context():
        db.session.execute(update(Post).where(Post.code == code).values(geofence_policy=policy))
        db.session.commit()
        return db.session.scalar(select(Post.id).where(Post.code == code))


def check_in_and_read(holder, text):
    """Tap 打卡 and wait until the result line says `text`; returns the line."""
    holder.page.click("button:has-text('打卡')")
    holder.page.wait_for_selector(f"{RESULT}:has-text('{text}')")
    return holder.page.inner_text(RESULT)


def holder_at(phone, post, where):
    """zhang's phone on the post's page, at `where` (lat, lng), or with location refused (None):
    a phone each, since a phone answers from a position up to 30 s old (maximumAge)."""
    holder = phone()
    if where is None:
        holder.context.clear_permissions()
    else:
        holder.context.set_geolocation({"latitude": where[0], "longitude": where[1], "accuracy": 10})
    holder.sign_in("zhang")
    holder.go(f"/posts/{post}")
    holder.page.wait_for_selector("button:has-text('打卡')")
    return holder


def test_the_holder_is_told_what_the_server_recorded(server, phone):
    post = post_id(server)
    for where, told, shot in (
        ((POST_LAT + 0.00015, POST_LNG), "打卡成功：在岗位范围内，距离 17 米", "inside"),
        ((POST_LAT + 0.01, POST_LNG), "不在岗位范围内：距离 1,112 米，已标记", "outside"),
        (None, "未获取到位置，已记录为无定位打卡", "no-location"),
    ):
        holder = holder_at(phone, post, where)
        assert told in check_in_and_read(holder, told)
        holder.shot(f"checkin-{shot}")
    with server.app.app_context():
        recorded = db.session.scalars(
            select(CheckIn.distance_m).where(CheckIn.post_id == post).order_by(CheckIn.id.desc()).limit(3)
        ).all()
    assert recorded[0] is None and round(recorded[1]) == 1112 and round(recorded[2]) == 17


def test_a_require_post_refuses_far_away_and_says_why_and_offline_waits(server, phone):
    post = post_id(server, policy="require")
    try:
        holder = holder_at(phone, post, (POST_LAT + 0.01, POST_LNG))
        text = check_in_and_read(holder, "打卡未成功")
        assert "1112" in text and "200 米" in text
        holder.shot("checkin-refused")
        holder = holder_at(phone, post, (POST_LAT, POST_LNG))
        holder.context.set_offline(True)
        wait_for_js(holder.page, "navigator.onLine === false")
        assert "打卡已保存，将自动发送" in check_in_and_read(holder, "将自动发送")
        holder.page.wait_for_selector(".toast:has-text('打卡已保存')")
        holder.shot("checkin-offline")
        holder.context.set_offline(False)
        holder.page.wait_for_selector(f"{RESULT}:has-text('在岗位范围内，距离 0 米')")
    finally:
        post_id(server, policy="flag")


def test_who_may_not_check_in_is_told_why(server, phone):
    post = post_id(server)
    for username, reason in (("chen", "只有该示范岗的岗长或岗位成员"), ("liu", "只有党员可以在示范岗打卡")):
        someone = phone()
        someone.sign_in(username)
        someone.go(f"/posts/{post}")
        someone.page.wait_for_selector(f".note:has-text('{reason}')")
        assert someone.page.locator("button:has-text('打卡')").count() == 0
        someone.shot(f"checkin-refusal-{username}")


def test_a_non_party_member_is_told_why_they_cannot_attend_a_party_day(server, phone):
    with server.app.app_context():
        day_id = db.session.scalar(select(PartyDay.id).where(PartyDay.kind == "site_check"))
    worker = phone()
    worker.sign_in("liu")
    worker.go(f"/party-days/{day_id}")
    worker.page.wait_for_selector(".note:has-text('只有党员可以签到主题党日活动')")
    worker.shot("party-day-refusal")
