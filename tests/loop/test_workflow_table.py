"""The workflow table without HTTP or a database: DESIGN §3 read as data.

tests/loop/test_workflow_matrix.py sends every cell through the API; this one states the rules of
services/loop/workflow.py directly, in milliseconds, for the inner loop.
"""

import pytest

from server.services.loop import workflow


def relations(**ties):
    facts = {
        "is_zone_head": False,
        "is_supervisor": False,
        "is_assignee": False,
        "is_submitter": False,
        "fixed_by_zone_head": False,
        "level": "general",
    }
    return workflow.relations_of(**(facts | ties))


@pytest.mark.parametrize(
    ("ties", "expected"),
    [
        ({"is_zone_head": True}, {"zone_head", "verifier"}),  # a general hazard: the head verifies
        ({"is_zone_head": True, "level": "major"}, {"zone_head"}),  # a major one: a supervisor does
        ({"is_supervisor": True, "level": "major"}, {"supervisor", "verifier"}),
        ({"is_supervisor": True}, {"supervisor"}),
        # the head fixed it themselves: no self-acceptance, a supervisor verifies instead
        ({"is_zone_head": True, "is_submitter": True, "fixed_by_zone_head": True}, {"zone_head"}),
        ({"is_supervisor": True, "fixed_by_zone_head": True}, {"supervisor", "verifier"}),
        ({"is_assignee": True}, {"assignee"}),
        ({}, set()),
    ],
)
def test_relations(ties, expected):
    assert relations(**ties) == expected


# (status, relations) → the buttons, with no extension pending
BUTTONS = [
    ("reported", {"zone_head"}, ["confirm", "reject", "comment"]),
    ("reported", {"assignee"}, ["comment"]),
    ("rectifying", {"assignee"}, ["submit", "request_extension", "comment"]),
    ("rectifying", {"supervisor"}, ["extend", "reassign", "comment"]),
    ("rectifying", {"zone_head"}, ["submit", "request_extension", "reassign", "comment"]),
    ("verifying", {"verifier"}, ["accept", "return", "comment"]),
    ("verifying", {"zone_head"}, ["comment"]),
    ("closed", {"zone_head", "supervisor", "verifier"}, ["comment"]),
    ("rejected", {"zone_head"}, ["comment"]),
]


@pytest.mark.parametrize(("status", "held", "expected"), BUTTONS)
def test_allowed_actions(status, held, expected):
    assert workflow.allowed_actions(status, held, extension_pending=False) == expected


def test_a_pending_extension_changes_what_may_happen():
    assert workflow.allowed_actions("rectifying", {"supervisor"}, True) == [
        "extend",
        "deny_extension",
        "reassign",
        "comment",
    ]
    assert "request_extension" not in workflow.allowed_actions("rectifying", {"assignee"}, True)


def test_those_outside_the_loop_only_comment():
    assert workflow.allowed_actions("reported", {"zone_head"}, False, acts_in_loop=False) == ["comment"]


def test_illegal_is_told_apart_from_not_yours():
    assert not workflow.is_legal("closed", "accept", False)  # 409 for anyone
    assert workflow.is_legal("verifying", "accept", False)
    assert not workflow.may("verifying", "accept", {"zone_head"})  # 403 for this user
    assert workflow.next_status("verifying", "return") == "rectifying"
    assert workflow.next_status("rectifying", "comment") == "rectifying"
