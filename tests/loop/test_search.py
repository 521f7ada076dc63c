"""Full-text search of hazards (issue 19): two-character Chinese words, numbers and mixed text in
numbers, titles, descriptions and comments, from the index the writing transaction keeps."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from server.extensions import db
from server.services.loop import search
from server.services.loop.search import pieces, words
from tests.hazard_helpers import hazard_at, place_hazard, report, upload_photo


def _found(client, query):
    answer = client.get("/api/v1/hazards", query_string={"q": query, "limit": 200})
    assert answer.status_code == 200, answer.get_json()
    return {item["id"] for item in answer.get_json()["items"]}


def _number(app, hazard_id):
    with app.app_context():
        return db.session.execute(
            text("SELECT number FROM hazard WHERE id = :id"), {"id": hazard_id}
        ).scalar()


@pytest.fixture
def hazards(app, world):
    worker, zone = world.people[("worker", "A")], world.zones["A"]

    def hazard(title, description, in_zone=zone, by=worker):
        return place_hazard(app, in_zone, by, "reported", title=title, description=description)

    return {
        "earth": hazard("接地线夹松动", "10kV 线路终端杆"),
        "pole": hazard("地线杆倾斜", "杆身锈蚀"),
        "cover": hazard("电缆沟盖板破损", "盖板生锈"),
        "other_zone": hazard("接地线夹松动", "", world.zones["B"], world.people[("worker", "B")]),
    }


def test_a_text_is_cut_into_two_character_words_numbers_and_their_parts():
    assert words("接地线夹 10kV") == ["接地", "地线", "线夹", "10kv"]
    assert pieces("盖板 YH-2026-000123") == ["盖板", "yh-2026-000123", "盖", "板", "yh", "2026", "000123"]
    assert words("锈") == ["锈"] and words("，。!") == []


def test_two_character_words_find_what_holds_them_and_not_what_holds_their_characters_apart(
    login_as, hazards
):
    admin = login_as("admin")
    assert _found(admin, "接地") == {hazards["earth"], hazards["other_zone"]}
    assert _found(admin, "地线") == {hazards["earth"], hazards["pole"], hazards["other_zone"]}
    assert _found(admin, "线夹松动") == {hazards["earth"], hazards["other_zone"]}
    assert _found(admin, "接杆") == set()  # both characters are there, never side by side
    assert _found(admin, "盖板 破损") == {hazards["cover"]}  # every word, in any order


def test_a_query_is_whole_pieces_but_a_compound_numbers_prefix():
    # A prefix of a common term made SQLite merge the lists of every term it begins (17-30 ms).
    assert search._query_terms("锈 10kV") == [("锈", False), ("10kv", False)]
    assert search._query_terms("YH-2026-0001") == [("yh-2026-0001", True)]


def test_one_character_finds_it_anywhere_in_a_word(login_as, hazards):
    # 锈 begins 锈蚀 and ends 生锈: each character is a term of its own.
    assert _found(login_as("admin"), "锈") == {hazards["pole"], hazards["cover"]}
    assert _found(login_as("admin"), "身") == {hazards["pole"]}  # inside a run


def test_numbers_and_latin_words_ignore_case_and_a_compound_number_matches_as_a_prefix(
    app, login_as, hazards
):
    admin = login_as("admin")
    number = _number(app, hazards["cover"])  # YH-2026-000003, say
    assert _found(admin, number) == {hazards["cover"]}
    assert _found(admin, number.lower()) == {hazards["cover"]}
    assert _found(admin, number.split("-")[2]) == {hazards["cover"]}  # its serial alone
    assert hazards["cover"] in _found(admin, number[:-1])  # half typed
    assert _found(admin, "10KV") == {hazards["earth"]}
    assert _found(admin, "10kV线路") == {hazards["earth"]}  # mixed text: both parts
    assert _found(admin, "10kV电缆") == set()
    assert _found(admin, "10k") == set()  # a plain word is whole: 10k is not 10kV


def test_punctuation_alone_matches_nothing(login_as, hazards):
    assert _found(login_as("admin"), "%") == set() == _found(login_as("admin"), "'\"*:&|()")


def test_search_stays_within_what_the_caller_may_see(login_as, hazards):
    assert _found(login_as("worker"), "接地") == {hazards["earth"]}
    assert _found(login_as("worker", "B"), "接地") == {hazards["other_zone"]}


def test_a_report_and_the_comments_of_its_history_are_found_once_committed(app, login_as, world):
    worker, head = login_as("worker"), login_as("zone_head")
    hazard = report(worker, world.zones["A"].id, title="围栏门锁损坏", description="门无法关闭").get_json()
    assert _found(head, "门锁") == {hazard["id"]}
    assert _found(head, "已移交") == set()
    answer = head.post(
        f"/api/v1/hazards/{hazard['id']}/actions/reject",
        json={"version": hazard["version"], "reason": "已移交运维班处理"},
    )
    assert answer.status_code == 200, answer.get_json()
    assert _found(head, "已移交 运维") == {hazard["id"]}


def test_a_savepoint_rolled_back_keeps_what_was_flushed_before_it_to_be_indexed(app, login_as, world):
    worker, zone = world.people[("worker", "A")], world.zones["A"]
    with app.app_context():
        hazard_at(zone, worker, datetime.now(UTC), "reported", title="接地扁铁锈断")  # flushed
        savepoint = db.session.begin_nested()  # as idempotency's around an insert that may clash
        hazard_at(zone, worker, datetime.now(UTC), "reported", title="撤回的上报")
        savepoint.rollback()
        db.session.commit()
    admin = login_as("admin")
    assert len(_found(admin, "扁铁")) == 1 and _found(admin, "撤回") == set()


def test_a_fix_reported_with_its_hazard_is_found_by_its_note(login_as, world):
    """The report and its fix's note are inserted in one transaction: indexed from the session."""
    worker = login_as("worker")
    fix = {"note": "已当场更换熔断器", "photo_ids": [upload_photo(worker)]}
    hazard = report(worker, world.zones["A"].id, title="配电箱冒烟", fixed_on_spot=fix).get_json()
    head = login_as("zone_head")
    assert _found(head, "熔断器") == _found(head, "冒烟") == {hazard["id"]}


def test_a_hazard_rolled_back_with_its_savepoint_is_not_indexed_and_its_id_may_be_taken(app, login_as, world):
    worker, zone = world.people[("worker", "A")], world.zones["A"]
    with app.app_context():
        savepoint = db.session.begin_nested()
        hazard_at(zone, worker, datetime.now(UTC), "reported", title="撤回的上报")
        savepoint.rollback()
        hazard_at(zone, worker, datetime.now(UTC), "reported", title="留下的上报")  # SQLite: the same id
        db.session.commit()
    admin = login_as("admin")
    assert _found(admin, "撤回") == set() and len(_found(admin, "留下")) == 1


def test_an_edit_indexed_in_a_savepoint_that_an_enclosing_one_rolls_back_is_still_found(app, login_as, world):
    """Indexing at a savepoint's release wrote the entry inside the enclosing savepoint: rolled
    back with it, while the hazard written before both stayed (found by nothing)."""
    worker, zone = world.people[("worker", "A")], world.zones["A"]
    with app.app_context():
        hazard_at(zone, worker, datetime.now(UTC), "reported", title="避雷针倾斜")
        outer = db.session.begin_nested()
        db.session.begin_nested().commit()
        outer.rollback()
        db.session.commit()
    assert len(_found(login_as("admin"), "避雷针")) == 1


def test_a_stale_entry_under_the_next_hazards_id_is_replaced_not_a_500(app, login_as, world):
    """SQLite's FTS5 table has no foreign key: an entry left behind (a hazard row deleted by hand)
    sits under the id the next hazard takes, and inserting beside it failed every report."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL's index rows go with their hazard (ON DELETE CASCADE)")
        next_id = db.session.execute(text("SELECT coalesce(max(id), 0) + 1 FROM hazard")).scalar()
        db.session.execute(
            text("INSERT INTO hazard_search (rowid, terms) VALUES (:id, '旧词')"), {"id": next_id}
        )
        db.session.commit()
    worker = login_as("worker")
    answer = report(worker, world.zones["A"].id, title="新的上报")
    assert answer.status_code == 201 and answer.get_json()["id"] == next_id
    assert _found(worker, "旧词") == set() and _found(worker, "上报") >= {next_id}


# PostgreSQL reads a page among the newest entries (search.WINDOW), else a query with few matches
# through its GIN index, else one with many in the index's key order (search.FEW); a test's few
# hazards take the second way with WINDOW = 1 and the third with FEW = 1 too.
# WINDOW = 4 holds 护栏松动 and the three newest matches: the first page, with older ones outside.
@pytest.mark.parametrize(
    ("window", "few"), [(search.WINDOW, search.FEW), (4, search.FEW), (1, search.FEW), (1, 1)]
)
def test_search_results_page_newest_first_without_gaps_or_repeats(
    app, login_as, world, monkeypatch, window, few
):
    monkeypatch.setattr(search, "WINDOW", window)
    monkeypatch.setattr(search, "FEW", few)
    worker, zone = world.people[("worker", "A")], world.zones["A"]
    made = [place_hazard(app, zone, worker, "reported", title=f"盖板缺失 {n}") for n in range(5)]
    place_hazard(app, zone, worker, "reported", title="护栏松动")
    for role in ("admin", "worker"):  # one scope, and a union of scope parts
        client, seen, cursor = login_as(role), [], None
        while True:
            query = {"q": "盖板", "limit": 2, **({"cursor": cursor} if cursor else {})}
            answer = client.get("/api/v1/hazards", query_string=query).get_json()
            seen += [item["id"] for item in answer["items"]]
            if not (cursor := answer["next_cursor"]):
                break
        assert seen == sorted(made, reverse=True), role
