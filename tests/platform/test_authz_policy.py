"""The authorization policy as a table, without HTTP: fast, beside the request matrix.

The expectations are written by hand from HARDENING §8 and DESIGN §4 (not read from authz.py),
so a changed table fails here first; tests/platform/test_authz_matrix.py proves the routes ask it.
"""

from types import SimpleNamespace

import pytest

from server.services.platform import authz
from server.services.platform.errors import Forbidden

ROLES = ("worker", "zone_head", "supervisor", "admin")
# capability: who has it, in the order of ROLES
EXPECTED = {
    "manage_accounts": (0, 0, 0, 1),
    "manage_places": (0, 0, 0, 1),
    "issue_letters": (0, 0, 0, 1),
    "manage_channels": (0, 0, 0, 1),
    "supervise": (0, 0, 1, 1),
    "confirm_honours": (0, 0, 1, 0),
    "patrol": (0, 1, 1, 0),
    "see_patrols": (0, 1, 1, 1),
    "organize_party_days": (0, 1, 1, 0),
    "act_in_loop": (1, 1, 1, 0),
    "be_assigned": (1, 1, 1, 0),
    "break_glass_sign_in": (0, 0, 0, 1),
}


def user(role, id=1, unit_id=10, **more):
    return SimpleNamespace(role=role, id=id, unit_id=unit_id, is_party_member=True, active=True, **more)


def test_the_table_is_the_expected_one():
    assert set(authz.MAY) == set(EXPECTED)
    for capability, row in EXPECTED.items():
        assert [authz.may(user(role), capability) for role in ROLES] == [bool(cell) for cell in row], (
            capability
        )


@pytest.mark.parametrize("role", ROLES)
def test_capabilities_are_what_may_answers(role):
    assert authz.capabilities(user(role)) == sorted(c for c in EXPECTED if authz.may(user(role), c))


@pytest.mark.parametrize("role", ["worker", "zone_head", "admin"])
def test_a_missing_capability_is_a_403(role):
    with pytest.raises(Forbidden):
        authz.require_capability(user(role), "confirm_honours")


@pytest.mark.parametrize(("role", "passwords_on", "allowed"), [
    ("worker", True, True),
    ("supervisor", True, True),
    ("worker", False, False),
    ("zone_head", False, False),
    ("supervisor", False, False),
    ("admin", False, True),  # break-glass: the way in when the identity platform is down
])  # fmt: skip
def test_password_sign_in_where_passwords_are_off_is_the_admins_alone(role, passwords_on, allowed):
    if allowed:
        authz.require_password_sign_in(user(role), passwords_on)
    else:
        with pytest.raises(Forbidden):
            authz.require_password_sign_in(user(role), passwords_on)


def zone(head_id=2, unit_id=11, active=True):
    return SimpleNamespace(head_id=head_id, unit_id=unit_id, active=active)


@pytest.mark.parametrize(
    ("who", "supervised", "expected"),
    [
        (user("zone_head", id=2), set(), True),  # heads this zone
        (user("zone_head", id=3), set(), False),  # heads another
        (user("supervisor"), {10, 11}, True),  # the zone's unit is in their subtree
        (user("supervisor"), {10}, False),  # another branch of the tree
        (user("admin"), set(), False),  # admins read patrols, they do not walk them
        (user("worker"), set(), False),
    ],
)
def test_who_may_patrol_a_zone(who, supervised, expected):
    assert authz.may_patrol(who, zone(), supervised) is expected
    assert authz.zone_actions(who, zone(), supervised) == (["report", "patrol"] if expected else ["report"])


def hazard(**values):
    defaults = {"assignee_id": 5, "submitted_by_id": None, "level": "general", "zone": zone()}
    return SimpleNamespace(**(defaults | values))


def test_hazard_ties_say_how_a_user_stands_to_a_hazard():
    ties = authz.hazard_ties(user("zone_head", id=2), hazard(submitted_by_id=2), set())
    assert ties == {
        "is_zone_head": True,
        "is_supervisor": False,
        "is_assignee": False,
        "is_submitter": True,
        "fixed_by_zone_head": True,
        "level": "general",
    }
    assert authz.hazard_ties(user("supervisor"), hazard(), {11})["is_supervisor"] is True
    assert authz.hazard_ties(user("worker", id=5), hazard(), set())["is_assignee"] is True


def test_a_guests_number_is_for_those_who_follow_up():
    assert authz.may_call_guest(user("zone_head", id=2), hazard(), set())
    assert authz.may_call_guest(user("supervisor"), hazard(), {11})
    assert not authz.may_call_guest(user("worker"), hazard(), set())
    assert not authz.may_call_guest(user("admin"), hazard(), set())


def test_post_check_in_is_for_its_party_members():
    holder, member, outsider = user("zone_head", id=2), user("worker", id=3), user("worker", id=4)
    post = SimpleNamespace(holder_id=2, members=[member], active=True)
    assert authz.post_actions(holder, post) == ["check_in"]
    assert authz.post_actions(member, post) == ["check_in"]
    assert authz.post_actions(outsider, post) == []
    member.is_party_member = False
    assert authz.post_actions(member, post) == []


def test_attendance_needs_a_member_of_the_branch_or_the_organizer():
    day = SimpleNamespace(organizer_id=2, branch="一支部")
    member, organizer, stranger = user("worker", id=3), user("zone_head", id=2), user("worker", id=4)
    authz.require_attendance_right(member, day, [member])
    authz.require_attendance_right(organizer, day, [])
    with pytest.raises(Forbidden):
        authz.require_attendance_right(stranger, day, [member])
    stranger.is_party_member = False
    with pytest.raises(Forbidden):
        authz.require_attendance_right(stranger, day, [stranger])


def test_an_inactive_place_offers_nothing():
    """The buttons match what the server accepts: an inactive zone or post answers 409."""
    assert authz.zone_actions(user("zone_head", id=2), zone(active=False), set()) == []
    post = SimpleNamespace(holder_id=2, members=[], active=False)
    assert authz.post_actions(user("zone_head", id=2), post) == []
