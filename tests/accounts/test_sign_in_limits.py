"""Progressive lockout after failed sign-ins, per account and per address, shared by every app
process through the database, and telling the user how long to wait (HARDENING case 31)."""

from datetime import UTC, datetime, timedelta

import requests
import time_machine

from tests.conftest import PASSWORD, assert_problem, build_app, dispose
from tests.live_server import Server

LOGIN = "/api/v1/auth/login"
WRONG = {"username": "worker-a", "password": "wrong-password"}
RIGHT = {"username": "worker-a", "password": PASSWORD}


def _fail(client, times, body=WRONG, **kwargs):
    return [client.post(LOGIN, json=body, **kwargs).status_code for _ in range(times)]


def _fail_response(client, times):
    for _ in range(times):
        response = client.post(LOGIN, json=WRONG)
    return response


def test_the_fifth_failure_locks_the_account_and_says_for_how_long(app, world):
    client = app.test_client()
    assert _fail(client, 4) == [401] * 4
    response = client.post(LOGIN, json=WRONG)
    body = assert_problem(response, 429, "rate-limited")
    assert response.headers["Retry-After"] == "60"
    assert "1 分钟" in body["detail"]
    english = client.post(LOGIN, json=RIGHT, headers={"Accept-Language": "en"})
    assert "try again in 1 min" in assert_problem(english, 429)["detail"]  # the right password waits too
    assert client.post(LOGIN, json={"username": "worker-b", "password": PASSWORD}).status_code == 200


def test_each_further_failure_doubles_the_lock_up_to_an_hour(app, world):
    client = app.test_client()
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        waits = [int(_fail_response(client, 5).headers["Retry-After"])]
        for _ in range(8):
            traveller.shift(timedelta(seconds=waits[-1] + 1))  # just after the lock ends
            response = client.post(LOGIN, json=WRONG)
            assert_problem(response, 429)
            waits.append(int(response.headers["Retry-After"]))
        assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
        traveller.shift(timedelta(hours=1, seconds=1))
        assert client.post(LOGIN, json=RIGHT).status_code == 200
        assert _fail(app.test_client(), 4) == [401] * 4  # a success starts the count afresh


def test_failures_fade_after_the_window(app, world):
    client = app.test_client()
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        _fail(client, 4)
        traveller.shift(timedelta(minutes=16))
        assert _fail(client, 4) == [401] * 4


def test_unknown_and_known_usernames_lock_alike(app, world):
    client = app.test_client()
    for username in ("worker-a", "nobody-here"):
        statuses = _fail(client, 5, {"username": username, "password": "wrong-password"})
        assert statuses == [401] * 4 + [429]


def test_the_address_locks_after_its_own_limit_across_usernames(make_app, factory):
    app = make_app(LOGIN_LOCK_AFTER_PER_ADDRESS=10)
    people = [factory.user() for _ in range(5)]
    client = app.test_client()
    statuses = [
        client.post(LOGIN, json={"username": person.username, "password": "wrong-password"}).status_code
        for person in people * 2
    ]
    assert statuses == [401] * 9 + [429]
    assert_problem(client.post(LOGIN, json={"username": people[0].username, "password": PASSWORD}), 429)
    other_address = client.post(
        LOGIN,
        json={"username": people[0].username, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert other_address.status_code == 200


def test_a_crew_behind_one_address_all_sign_in(app, factory):
    crew = [factory.user() for _ in range(30)]
    client = app.test_client()
    _fail(client, 3, {"username": crew[0].username, "password": "typo-typo"})
    for member in crew:
        body = {"username": member.username, "password": PASSWORD}
        assert app.test_client().post(LOGIN, json=body).status_code == 200


def test_separate_processes_share_the_count(database_url, world, tmp_path):
    """Two apps on one database share nothing else, like two server workers."""
    other = build_app(database_url, tmp_path)
    try:
        first, second = build_app(database_url, tmp_path).test_client(), other.test_client()
        assert _fail(first, 3) + _fail(second, 1) == [401] * 4
        assert_problem(second.post(LOGIN, json=WRONG), 429)
        assert_problem(first.post(LOGIN, json=RIGHT), 429)
    finally:
        dispose(other)


def test_a_forged_forwarded_for_header_does_not_escape_the_lock(make_app, world):
    """Without FLASK_PROXY_FIX the header is the client's own text, and is ignored."""
    client = make_app(LOGIN_LOCK_AFTER_PER_ADDRESS=3).test_client()
    statuses = [
        client.post(
            LOGIN,
            json={"username": f"nobody{n}", "password": "x"},
            headers={"X-Forwarded-For": f"10.1.0.{n}"},
        ).status_code
        for n in range(3)
    ]
    assert statuses == [401, 401, 429]


def test_four_granian_workers_share_one_count(database_url, world, tmp_path):
    """Each attempt on a new connection, so the workers take turns; the lock holds in all."""
    server = Server(database_url, tmp_path)
    server.start(workers=4)
    try:
        answers = [requests.post(server.base + LOGIN, json=WRONG, timeout=10) for _ in range(5)]
        answers += [requests.post(server.base + LOGIN, json=RIGHT, timeout=10) for _ in range(4)]
    finally:
        server.kill()
    assert [answer.status_code for answer in answers] == [401] * 4 + [429] * 5
    assert all(answer.headers["Retry-After"] for answer in answers[4:])


def test_wrong_current_passwords_lock_the_account_like_failed_sign_ins(login_as):
    client = login_as("worker")  # a stolen session guessing the account's password
    change = {"current_password": "not-the-password", "new_password": "a-new-long-passphrase"}
    statuses = [client.post("/api/v1/auth/password", json=change).status_code for _ in range(5)]
    assert statuses == [422] * 4 + [429]
    right = {"current_password": PASSWORD, "new_password": "a-new-long-passphrase"}
    response = client.post("/api/v1/auth/password", json=right)
    assert_problem(response, 429, "rate-limited")  # the right one waits too
    assert response.headers["Retry-After"] == "60"
    username = client.get("/api/v1/auth/me").get_json()["user"]["username"]
    assert_problem(client.post(LOGIN, json={"username": username, "password": PASSWORD}), 429)
