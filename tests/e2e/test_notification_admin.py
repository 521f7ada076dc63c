"""The admin's screens for outside notifications (issue 17): a webhook channel added with a bad
address is refused under the field in Chinese, then added, listed under its unit with its address
masked, and its kinds of message chosen; a message its receiver refused for good is listed with
the reason and sent again. At 360 px, as the demo admin."""

import pytest

from tests.e2e.conftest import api_client, ok, serve
from tests.hazard_helpers import report
from tests.receivers import HttpReceiver


@pytest.fixture(scope="module")
def server(database, tmp_path_factory):
    """The demo company, where one failed attempt makes a delivery dead."""
    yield from serve(database, tmp_path_factory, NOTIFY_MAX_ATTEMPTS=1)


@pytest.fixture(scope="module")
def receiver():
    http = HttpReceiver().start()
    yield http
    http.stop()


def _channel_named(admin_api, name):
    return next(c for c in ok(admin_api.get("/api/v1/channels"))["items"] if c["name"] == name)


def test_a_webhook_channel_is_checked_added_listed_and_its_kinds_chosen(server, phone, receiver):
    admin_api = api_client(server.app, "admin")
    admin = phone("admin")
    page = admin.page
    page.click("a:has-text('外部通知渠道')")
    page.wait_for_selector("text=还没有设置外部通知渠道。")
    page.click("summary:has-text('添加通知渠道')")
    page.wait_for_selector("form[data-loaded=true]")
    page.select_option("select[name=unit_id]", label="变电运维一班")
    page.select_option("select[name=kind]", "webhook")
    page.fill("input[name=name]", "E2E 值班群")
    page.fill("input[name=target]", "ftp://example.cn/hook")
    page.fill("input[name=secret]", "e2e-webhook-secret")
    page.click("button:has-text('添加')")
    error = page.locator(".field:has(input[name=target]) .field-error")
    error.wait_for()
    assert error.inner_text() == "Webhook 地址应以 http:// 或 https:// 开头。"
    admin.shot("admin-channel-bad-target")

    page.fill("input[name=target]", f"{receiver.url}/hooks/e2e-token")
    page.click("button:has-text('添加')")
    row = page.locator("li.channel:has-text('E2E 值班群')")
    row.wait_for()
    section = page.locator("section.section:has(li.channel:has-text('E2E 值班群')) h2")
    assert section.inner_text() == "变电运维一班"
    assert f"{receiver.url}/…oken" in row.inner_text() and "e2e-token" not in row.inner_text()
    assert "全部通知" in row.inner_text() and "Webhook" in row.inner_text()
    channel = _channel_named(admin_api, "E2E 值班群")
    assert (channel["kind"], channel["has_secret"], channel["kinds"]) == ("webhook", True, [])
    admin.shot("admin-channels")

    row.locator("a:has-text('编辑')").click()
    page.wait_for_selector("form[data-loaded=true]")
    assert page.get_attribute("input[name=secret]", "placeholder") == "已设置，留空则不变"
    assert page.input_value("input[name=secret]") == ""
    page.check("fieldset[name=kinds] label:has-text('已闭环') input")
    page.check("fieldset[name=kinds] label:has-text('超期') input")
    page.fill("input[name=digest_at]", "08:30")
    page.click("button:has-text('保存')")
    page.wait_for_selector(".note-success:has-text('已保存')")
    admin.shot("admin-channel-edit")
    saved = _channel_named(admin_api, "E2E 值班群")
    assert saved["kinds"] == ["hazard_closed", "hazard_overdue"] and saved["digest_at"] == "08:30"
    assert saved["has_secret"] and saved["target"] == channel["target"]  # the secret kept, untouched

    page.go_back()
    row = page.locator("li.channel:has-text('E2E 值班群')")
    row.filter(has_text="2 类通知").wait_for()
    assert "每日 08:30 汇总" in row.inner_text()


def test_a_dead_delivery_shows_its_reason_and_is_sent_again(server, phone, receiver):
    admin_api = api_client(server.app, "admin")
    units = {unit["code"]: unit["id"] for unit in ok(admin_api.get("/api/v1/units"))["items"]}
    target = f"{receiver.url}/hook"
    company = {"unit_id": units["GD"], "kind": "webhook", "name": "E2E 公司群", "target": target}
    ok(admin_api.post("/api/v1/channels", json=company))
    zone = ok(admin_api.get("/api/v1/zones?q=BDZ-01"))["items"][0]
    receiver.fail = True
    ok(report(api_client(server.app, "chen"), zone["id"]))
    result = server.app.test_cli_runner().invoke(args=["notify", "deliver", "--once"])
    assert result.exit_code == 0 and "failed" in result.output, result.output
    # the other test's channel (a digest of the same receiver) may have failed too: this one's
    [dead] = [
        d
        for d in ok(admin_api.get("/api/v1/deliveries?status=dead"))["items"]
        if d["channel"]["name"] == "E2E 公司群"
    ]
    assert dead["last_error"] == "webhook answered 500"

    admin = phone("admin", "/admin/channels")
    page = admin.page
    page.click("a:has-text('外发记录')")
    page.click(".chips button:has-text('失败')")
    row = page.locator(f"li[data-delivery='{dead['id']}'][data-status=dead]")
    row.wait_for()
    text = row.inner_text()
    assert "E2E 公司群" in text and "失败原因：webhook answered 500" in text and "已尝试 1 次" in text
    assert row.locator(".clamp").get_attribute("title") == dead["text"]
    admin.shot("admin-deliveries-dead")

    row.locator("button:has-text('重新发送')").click()
    page.locator(f"li[data-delivery='{dead['id']}'][data-status=pending]:has-text('待发送')").wait_for()
    assert page.locator(f"li[data-delivery='{dead['id']}'] button").count() == 0
    pending = ok(admin_api.get("/api/v1/deliveries?status=pending"))["items"]
    assert dead["id"] in [delivery["id"] for delivery in pending]
    admin.shot("admin-deliveries-retried")
