"""The admin's CSV imports (issue 16): a template per kind, a check-only run that writes nothing,
and every failing check of every row said in the user's language with nothing imported."""

import csv
import io

import pytest

from tests.conftest import assert_problem

KINDS = ("units", "users", "zones", "posts")  # the order the templates' examples build on


def _send(client, kind, text, dry_run=False):
    return client.post(
        f"/api/v1/{kind}/import" + ("?dry_run=true" if dry_run else ""),
        data={"file": (io.BytesIO(text.encode()), f"{kind}.csv")},
        content_type="multipart/form-data",
    )


def _count(client, path):
    return len(client.get(path).get_json()["items"])


def test_the_four_templates_import_in_order_as_they_are_downloaded(login_as, world):
    client = login_as("admin")
    for kind in KINDS:
        response = client.get(f"/api/v1/{kind}/import/template.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert f'filename="{kind}-template.csv"' in response.headers["Content-Disposition"]
        text = response.get_data().decode("utf-8")
        assert text.startswith("\ufeff")  # Excel reads the Chinese as UTF-8
        header, example = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        assert len(header) == len(example) >= 3 and header[0] in ("编码", "工号")
        answer = _send(client, kind, text.lstrip("\ufeff"))
        assert answer.status_code == 201, answer.get_json()
        assert answer.get_json()["created"] == 1 and answer.get_json()["dry_run"] is False
    zone = client.get("/api/v1/zones?q=Z-101").get_json()["items"][0]
    assert (zone["head"]["name"], zone["radius_m"], zone["patrol_interval_days"]) == ("李四", 100, 7)


@pytest.mark.parametrize("role", ["worker", "zone_head", "supervisor"])
def test_only_an_admin_gets_a_template(login_as, world, role):
    assert_problem(login_as(role).get("/api/v1/zones/import/template.csv"), 403, "forbidden")


def test_a_dry_run_checks_every_row_and_writes_nothing(login_as, world):
    client = login_as("admin")
    text = "编码,名称,单位编码,责任区长工号\nZ-D1,一区,A,zone_head-a\nZ-D2,二区,B,zone_head-b\n"
    response = _send(client, "zones", text, dry_run=True)
    assert response.status_code == 200 and response.get_json() == {"created": 2, "dry_run": True}
    assert _count(client, "/api/v1/zones?q=Z-D") == 0
    assert _send(client, "zones", text).get_json() == {"created": 2, "dry_run": False}
    assert _count(client, "/api/v1/zones?q=Z-D") == 2


def test_a_dry_run_finds_what_the_import_would_refuse_rows_of_the_file_included(login_as, world):
    client = login_as("admin")
    text = "编码,名称,单位编码,责任区长工号\nZ-D1,一区,A,zone_head-a\nZ-D1,同码,A,zone_head-a\n"
    checked = assert_problem(_send(client, "zones", text, dry_run=True), 422)
    imported = assert_problem(_send(client, "zones", text), 422)
    assert checked["errors"] == imported["errors"] == {"row 3": {"code": ["该编码已被使用。"]}}
    assert _count(client, "/api/v1/zones?q=Z-D1") == 0


def test_a_dry_run_of_users_hands_out_no_password_and_creates_nobody(login_as, world):
    client = login_as("admin")
    text = "工号,姓名,角色,单位编码\nd100,试一,一线员工,A\n"
    body = _send(client, "users", text, dry_run=True).get_json()
    assert body == {"created": 1, "passwords": [], "dry_run": True}
    assert _count(client, "/api/v1/users?q=d100") == 0


def test_units_import_with_parents_earlier_in_the_file(login_as, world):
    client = login_as("admin")
    text = "编码,名称,上级单位编码\nBD,变电运维中心,CO\nBD-1,变电一班,BD\n"
    assert _send(client, "units", text).get_json() == {"created": 2, "dry_run": False}
    units = {unit["code"]: unit for unit in client.get("/api/v1/units").get_json()["items"]}
    assert units["BD-1"]["parent_id"] == units["BD"]["id"] and units["BD"]["parent_id"] == world.company.id


def test_a_units_file_with_bad_rows_imports_nothing_and_says_every_check(login_as, world):
    client = login_as("admin")
    text = "编码,名称,上级单位编码\nNEW,新班组,A\nA,,NOPE\nbad code,好名字,\n"
    errors = assert_problem(_send(client, "units", text), 422)["errors"]
    assert errors == {
        "row 3": {"parent_code": ["引用的编码或工号不存在。"], "name": ["必填。"]},
        "row 4": {"code": ["不能包含空格。"]},
    }
    assert "NEW" not in {unit["code"] for unit in client.get("/api/v1/units").get_json()["items"]}


def test_a_zone_row_with_several_bad_cells_names_each_in_english_too(login_as, world):
    client = login_as("admin")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    text = "code,name,unit_code,head_username,lat,lng,patrol_interval_days\nZ-E,,NOPE,worker-a,95,120,0\n"
    row = assert_problem(_send(client, "zones", text), 422)["errors"]["row 2"]
    assert set(row) == {"name", "unit_code", "lat", "patrol_interval_days"}
    assert all(message.isascii() for messages in row.values() for message in messages)
