"""Admin user management: create, update, deactivate, reset, CSV import."""

import io

import pytest

from tests.conftest import PASSWORD, assert_problem


def _new_user(world, **fields):
    return {
        "username": "li.si",
        "name": "李四",
        "role": "worker",
        "unit_id": world.teams[0].id,
        "password": "a-long-password",
        **fields,
    }


def test_admin_creates_a_user_who_can_sign_in(app, login_as, world):
    response = login_as("admin").post("/api/v1/users", json=_new_user(world, is_party_member=True))
    assert response.status_code == 201
    body = response.get_json()
    assert body["username"] == "li.si" and body["is_party_member"] is True
    assert body["unit"] == {"id": world.teams[0].id, "code": "A", "name": "Team A"}
    assert body["must_change_password"] is True and body["active"] is True
    assert app.test_client().login("li.si", "a-long-password").get_json()["user"]["must_change_password"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": "worker-a"}, "username"),
        ({"username": "WORKER-A"}, "username"),
        ({"username": "has space"}, "username"),
        ({"username": ""}, "username"),
        ({"username": "x" * 65}, "username"),
        ({"name": "a\x00b"}, "name"),
        ({"role": "boss"}, "role"),
        ({"unit_id": 999999}, "unit_id"),
        ({"unit_id": "1"}, "unit_id"),
        ({"unit_id": 1.5}, "unit_id"),
        ({"unit_id": True}, "unit_id"),
        ({"unit_id": 2**70}, "unit_id"),
        ({"password": "short"}, "password"),
        ({"password": "password123"}, "password"),
        ({"is_party_member": "maybe"}, "is_party_member"),
        ({"status": "active"}, "status"),
    ],
)
def test_bad_user_fields_are_422_naming_the_field(login_as, world, fields, field):
    response = login_as("admin").post("/api/v1/users", json=_new_user(world, **fields))
    assert field in assert_problem(response, 422, "validation")["errors"]


def test_list_users_filters_and_pages(login_as, world):
    client = login_as("admin")
    first = client.get("/api/v1/users?limit=3").get_json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    second = client.get(f"/api/v1/users?limit=3&cursor={first['next_cursor']}").get_json()
    assert {u["id"] for u in first["items"]}.isdisjoint({u["id"] for u in second["items"]})
    heads = client.get("/api/v1/users?role=zone_head").get_json()["items"]
    assert {u["username"] for u in heads} == {"zone_head-a", "zone_head-b"}
    found = client.get("/api/v1/users?q=WORKER-").get_json()["items"]
    assert {u["username"] for u in found} == {"worker-a", "worker-b"}
    assert client.get("/api/v1/users?q=%25").get_json()["items"] == []  # a literal %


@pytest.mark.parametrize("query", ["limit=0", "limit=1000", "cursor=garbage!", "unit_id=abc", "role=x"])
def test_bad_list_arguments_are_422(login_as, world, query):
    assert_problem(login_as("admin").get(f"/api/v1/users?{query}"), 422)


def test_unknown_user_id_is_404(login_as, world):
    assert_problem(login_as("admin").get("/api/v1/users/999999"), 404)


def test_a_zone_head_cannot_stop_being_a_party_member_while_heading_a_zone(login_as, world):
    head_id = world.people[("zone_head", "A")].id
    client = login_as("admin")
    for change in ({"is_party_member": False}, {"active": False}, {"role": "worker"}):
        assert_problem(client.patch(f"/api/v1/users/{head_id}", json=change), 409)


def test_reset_password_gives_a_one_time_password_and_signs_out(app, login_as, world):
    worker = login_as("worker")
    response = login_as("admin").post(f"/api/v1/users/{world.people[('worker', 'A')].id}/reset-password")
    one_time = response.get_json()["one_time_password"]
    assert_problem(worker.get("/api/v1/auth/me"), 401)
    assert_problem(
        app.test_client().post("/api/v1/auth/login", json={"username": "worker-a", "password": PASSWORD}), 401
    )
    assert app.test_client().login("worker-a", one_time).get_json()["user"]["must_change_password"] is True


def test_a_one_time_password_opens_nothing_but_changing_it(app, login_as, world):
    one_time = login_as("admin").post(f"/api/v1/users/{world.people[('worker', 'A')].id}/reset-password")
    client = app.test_client()
    client.login("worker-a", one_time.get_json()["one_time_password"])
    for path in ("/api/v1/hazards", f"/signs?zones={world.zones['A'].id}", "/hazards/1/notice"):
        assert_problem(client.get(path), 403, "forbidden")
    password = one_time.get_json()["one_time_password"]
    same = {"current_password": password, "new_password": password}  # "changed" to itself
    assert "new_password" in assert_problem(client.post("/api/v1/auth/password", json=same), 422)["errors"]


def test_revoke_signs_the_user_out(login_as, world):
    worker = login_as("worker")
    login_as("admin").post(f"/api/v1/users/{world.people[('worker', 'A')].id}/sessions/revoke")
    assert_problem(worker.get("/api/v1/auth/me"), 401)


def _import(client, text, encoding="utf-8"):
    return client.post(
        "/api/v1/users/import",
        data={"file": (io.BytesIO(text.encode(encoding)), "users.csv")},
        content_type="multipart/form-data",
    )


def test_csv_import_with_chinese_headers_in_gb18030(app, login_as, world):
    text = "工号,姓名,角色,单位编码,党员\nw100,王一,一线员工,A,是\nw101,王二,worker,B,否\n"
    response = _import(login_as("admin"), text, "gb18030")
    assert response.status_code == 201
    body = response.get_json()
    assert body["created"] == 2
    assert [p["username"] for p in body["passwords"]] == ["w100", "w101"]
    user = app.test_client().login("w100", body["passwords"][0]["one_time_password"]).get_json()["user"]
    assert user["is_party_member"] is True and user["must_change_password"] is True


def test_csv_import_reports_every_bad_row_and_imports_nothing(login_as, world):
    client = login_as("admin")
    text = (
        "username,name,role,unit_code\n"
        "ok1,好,worker,A\n"
        "worker-a,重复,worker,A\n"  # taken
        "bad2,坏,boss,A\n"  # no such role
        "bad3,坏,worker,NOPE\n"  # no such unit
        "ok1,重复行,worker,A\n"  # same username twice in the file
    )
    response = _import(client, text)
    errors = assert_problem(response, 422)["errors"]
    assert set(errors) == {"row 3", "row 4", "row 5", "row 6"}
    assert "username" in errors["row 3"] and "role" in errors["row 4"] and "unit_code" in errors["row 5"]
    assert client.get("/api/v1/users?q=ok1").get_json()["items"] == []


def test_csv_import_says_every_failing_check_of_a_row_in_the_users_language(login_as, world):
    text = "工号,姓名,角色,单位编码,党员,电话\nw200,,boss,NOPE,也许,\n"
    client = login_as("admin")
    row = assert_problem(_import(client, text), 422)["errors"]["row 2"]
    assert row == {
        "unit_code": ["引用的编码或工号不存在。"],  # said once, not again as unit_id missing
        "name": ["必填。"],
        "role": ["只能是以下之一：worker, zone_head, supervisor, admin。"],
        "is_party_member": ["应为“是”或“否”（是、否、1、0）。"],
    }
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    english = assert_problem(_import(client, text), 422)["errors"]["row 2"]
    assert english["role"] == ["Must be one of: worker, zone_head, supervisor, admin."]
    assert english["is_party_member"] == ["Must be yes or no (是, 否, 1, 0, true, false)."]


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"", "multipart/form-data"),
        (b"\xff\xfe\x00junk\x81", "multipart/form-data"),
        (b"{}", "application/json"),
    ],
)
def test_csv_import_refuses_bad_files(login_as, world, content, content_type):
    client = login_as("admin")
    if content_type == "application/json":
        response = client.post("/api/v1/users/import", json={})
        assert_problem(response, 415)
    else:
        response = client.post(
            "/api/v1/users/import", data={"file": (io.BytesIO(content), "x.csv")}, content_type=content_type
        )
        assert_problem(response, 422)


def test_csv_import_without_the_file_field_is_422(login_as, world):
    response = login_as("admin").post("/api/v1/users/import", data={}, content_type="multipart/form-data")
    assert "file" in assert_problem(response, 422)["errors"]
