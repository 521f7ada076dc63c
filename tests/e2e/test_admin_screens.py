"""The admin's screens (issue 16): a CSV import whose every failing check of every row is listed
in Chinese and that writes nothing, then imports once fixed; a zone's and a user's edit forms
that persist what they change. At 360 px, as the demo admin."""

import csv
import io

from tests.e2e.conftest import SCREENSHOTS, api_client, ok, wait_for_service_worker
from tests.e2e.test_layout_sweep import measure

HEADER = "编码,名称,单位编码,责任区长工号,纬度,经度,巡查周期\n"
GOOD = "E2E-01,新建区一,BDZ,zhang,30.27,120.15,7\n"
# Row 3 fails four checks at once; row 4 names a zone head who does not exist.
BAD = HEADER + GOOD + "E2E-02,,NOPE,zhang,95,120.15,0\nE2E-03,新建区三,BDZ,nobody,30.27,120.15,7\n"
FIXED = HEADER + GOOD + "E2E-02,新建区二,BDZ,zhang,30.28,120.15,7\nE2E-03,新建区三,BDZ,li,30.27,120.15,7\n"


def _file(text):
    return {"name": "zones.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}


def _imported(admin):
    return ok(admin.get("/api/v1/zones?q=E2E-&limit=50"))["items"]


def _expected_lines(admin, text):
    """(row, message) of every failing check, as the API says them in Chinese."""
    answer = admin.post(
        "/api/v1/zones/import?dry_run=true",
        data={"file": (io.BytesIO(text.encode()), "zones.csv")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "zh-CN"},
    )
    assert answer.status_code == 422, answer.get_json()
    errors = answer.get_json()["errors"]
    return sorted(
        (int(row.split()[1]), message)
        for row, fields in errors.items()
        for messages in fields.values()
        for message in messages
    )


def _table_lines(page):
    """(row, message) of each line of the error table; a row's number spans its lines."""
    lines, row = [], None
    for tr in page.locator("table.import-errors tbody tr").all():
        if tr.locator("th").count():
            row = int(tr.locator("th").inner_text())
        lines.append((row, tr.locator("td").nth(1).inner_text()))
    return sorted(lines)


def test_an_import_with_bad_rows_lists_every_check_in_chinese_and_writes_nothing(server, phone):
    admin_api = api_client(server.app, "admin")
    admin = phone("admin")
    page = admin.page
    page.click("a:has-text('批量导入')")
    page.click(".kinds button:has-text('责任区')")
    with page.expect_download() as template:
        page.click("a:has-text('下载 CSV 模板')")
    header = next(csv.reader(io.StringIO(template.value.path().read_text(encoding="utf-8-sig"))))
    assert header[:4] == ["编码", "名称", "单位编码", "责任区长工号"]

    page.set_input_files("input[type=file]", _file(BAD))
    page.click("button:has-text('仅检查')")
    page.wait_for_selector("table.import-errors")
    expected = _expected_lines(admin_api, BAD)
    assert len(expected) == 5 and {row for row, _ in expected} == {3, 4}
    assert _table_lines(page) == expected
    columns = page.locator("table.import-errors tbody td:nth-of-type(1)").all_inner_texts()
    assert sorted(columns) == sorted(["名称", "单位编码", "纬度", "巡查周期", "责任区长工号"])
    assert "必填。" in page.inner_text("table.import-errors")
    assert "有 2 行有误，未导入任何数据。" in page.inner_text(".import-problem .note")
    page.click("button.primary:has-text('导入')")  # imported anyway: refused alike, all or nothing
    page.wait_for_selector("table.import-errors")
    assert _table_lines(page) == expected and _imported(admin_api) == []
    admin.shot("admin-import-errors")
    # The whole table, which a full-page shot shows partly under the fixed tab bar.
    page.locator(".import-problem").screenshot(path=str(SCREENSHOTS / "admin-import-errors-table.png"))
    assert measure(page, "the error table") == []  # 320 to 1280 px: nothing cut off or too small
    page.set_viewport_size({"width": 360, "height": 740})

    page.set_input_files("input[type=file]", _file(FIXED))
    page.click("button:has-text('仅检查')")
    page.wait_for_selector(".note-success:has-text('检查通过：3 行')")
    assert _imported(admin_api) == []  # a check writes nothing
    page.click("button.primary:has-text('导入')")
    page.wait_for_selector(".note-success:has-text('导入成功：新建 3 条')")
    admin.shot("admin-import-done")
    assert sorted(zone["code"] for zone in _imported(admin_api)) == ["E2E-01", "E2E-02", "E2E-03"]


def test_imported_users_one_time_passwords_are_shown_once_and_sign_in(server, phone):
    admin = phone("admin", "/admin/import")
    page = admin.page
    page.click(".kinds button:has-text('用户')")
    people = "工号,姓名,角色,单位编码,党员\nimp1,导入一,一线员工,BDZ,否\nimp2,导入二,责任区长,XL,是\n"
    page.set_input_files("input[type=file]", {**_file(people), "name": "users.csv"})
    page.click("button.primary:has-text('导入')")
    page.wait_for_selector(".note-success:has-text('导入成功：新建 2 条')")
    cells = page.locator("table.passwords tbody td").all_inner_texts()
    assert cells[0::2] == ["imp1", "imp2"]
    api_client(server.app, "imp2", cells[3])  # the one-time password shown signs in
    admin.shot("admin-import-passwords")


def test_a_zones_radius_and_patrol_interval_and_a_users_phone_persist(server, phone):
    admin_api = api_client(server.app, "admin")
    zone = ok(admin_api.get("/api/v1/zones?q=BDZ-02"))["items"][0]
    admin = phone("admin")
    page = admin.page
    page.click("a:has-text('责任区与示范岗')")
    page.click(f"li:has-text('{zone['code']}') a:has-text('编辑')")
    page.wait_for_selector("form[data-loaded=true]")
    assert page.locator(".field:has-text('名称') input[name=name]").input_value() == zone["name"]
    page.fill("input[name=radius_m]", "150")
    page.fill("input[name=patrol_interval_days]", "14")
    page.click("button:has-text('保存')")
    page.wait_for_selector(".note-success:has-text('已保存')")
    saved = ok(admin_api.get(f"/api/v1/zones/{zone['id']}"))
    assert (saved["radius_m"], saved["patrol_interval_days"]) == (150, 14)
    assert saved["head"]["id"] == zone["head"]["id"] and saved["name"] == zone["name"]  # untouched
    page.reload()
    page.wait_for_selector("form[data-loaded=true]")
    assert page.input_value("input[name=radius_m]") == "150"
    assert page.input_value("input[name=patrol_interval_days]") == "14"
    admin.shot("admin-zone-edit")

    page.fill("input[name=radius_m]", "abc")  # the server's word for it, under the field
    page.click("button:has-text('保存')")
    page.wait_for_selector(".field:has(input[name=radius_m]) .field-error")

    liu = ok(admin_api.get("/api/v1/users?q=liu"))["items"][0]
    admin.go("/admin/users")
    page.click(f"li:has-text('{liu['username']} ·') a:has-text('编辑')")
    page.wait_for_selector("form[data-loaded=true]")
    page.fill("input[name=phone]", "13912345678")
    page.click("button:has-text('保存')")
    page.wait_for_selector(".note-success:has-text('已保存')")
    assert ok(admin_api.get(f"/api/v1/users/{liu['id']}"))["phone"] == "13912345678"
    page.reload()
    page.wait_for_selector("form[data-loaded=true]")
    assert page.input_value("input[name=phone]") == "13912345678"
    admin.shot("admin-user-edit")


def test_an_edit_form_never_opened_says_it_cannot_load_offline_and_loads_on_retry(server, phone):
    post = ok(api_client(server.app, "admin").get("/api/v1/posts"))["items"][0]
    admin = phone("admin")
    page = admin.page
    wait_for_service_worker(page)
    admin.context.set_offline(True)
    page.evaluate(
        "path => { history.pushState({}, '', path); dispatchEvent(new PopStateEvent('popstate')); }",
        f"/admin/posts/{post['id']}",
    )
    page.wait_for_selector(".note-error button:has-text('重试')")
    assert page.locator("form").count() == 0
    admin.context.set_offline(False)
    page.click(".note-error button:has-text('重试')")
    page.wait_for_selector("form[data-loaded=true]")
    assert page.input_value("input[name=name]") == post["name"]
