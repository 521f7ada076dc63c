"""The rectification loop (隐患整改闭环) as one table, readable against DESIGN §3.

No Flask, no database: the services work out how a user relates to a hazard and ask here.

Relations of a user to a hazard:
  zone_head   heads the hazard's zone
  supervisor  a supervisor whose unit subtree holds the zone
  assignee    the hazard's responsible person (整改责任人)
  verifier    zone_head for a general hazard, supervisor for a major one, and never
              the user who submitted the fix now awaiting verification (no self-acceptance);
              when the zone head submitted a general hazard's fix, a supervisor verifies it,
              so the loop cannot dead-end
"""

# (status, action): (next status, relations allowed to act)
TRANSITIONS = {
    ("reported", "confirm"): ("rectifying", {"zone_head", "supervisor"}),
    ("reported", "reject"): ("rejected", {"zone_head", "supervisor"}),
    ("rectifying", "submit"): ("verifying", {"assignee", "zone_head"}),
    ("verifying", "accept"): ("closed", {"verifier"}),
    ("verifying", "return"): ("rectifying", {"verifier"}),
    ("rectifying", "extend"): ("rectifying", {"supervisor"}),
    ("rectifying", "request_extension"): ("rectifying", {"assignee", "zone_head"}),
    ("rectifying", "deny_extension"): ("rectifying", {"supervisor"}),
    ("rectifying", "reassign"): ("rectifying", {"zone_head", "supervisor"}),
}
ACTIONS = (
    "confirm",
    "reject",
    "submit",
    "accept",
    "return",
    "extend",
    "request_extension",
    "deny_extension",
    "reassign",
    "comment",
)
# Actions that need a pending extension request, and those that need none pending.
NEEDS_PENDING_EXTENSION = {"deny_extension"}
NEEDS_NO_PENDING_EXTENSION = {"request_extension"}


def supervisor_verifies(level, fixed_by_zone_head):
    """A supervisor verifies a major hazard, and a general one whose fix the zone head submitted."""
    return level == "major" or fixed_by_zone_head


def relations_of(*, is_zone_head, is_supervisor, is_assignee, is_submitter, fixed_by_zone_head, level):
    """The set of relations a user has to a hazard."""
    relations = set()
    if is_zone_head:
        relations.add("zone_head")
    if is_supervisor:
        relations.add("supervisor")
    if is_assignee:
        relations.add("assignee")
    verifying_role = is_supervisor if supervisor_verifies(level, fixed_by_zone_head) else is_zone_head
    if verifying_role and not is_submitter:
        relations.add("verifier")
    return relations


def is_legal(status, action, extension_pending):
    """May this action happen at all in this state, whoever asks? (No → 409.)"""
    if action == "comment":
        return True
    if action in NEEDS_PENDING_EXTENSION and not extension_pending:
        return False
    if action in NEEDS_NO_PENDING_EXTENSION and extension_pending:
        return False
    return (status, action) in TRANSITIONS


def next_status(status, action):
    return status if action == "comment" else TRANSITIONS[(status, action)][0]


def may(status, action, relations):
    """May a user with these relations take this legal action? (No → 403.)"""
    return action == "comment" or bool(TRANSITIONS[(status, action)][1] & relations)


def allowed_actions(status, relations, extension_pending, acts_in_loop=True):
    """The actions the PWA shows as buttons; the server accepts exactly these."""
    if not acts_in_loop:
        return ["comment"]  # admins follow the loop, they are no workflow actor (authz.MAY)
    return [
        action
        for action in ACTIONS
        if is_legal(status, action, extension_pending) and may(status, action, relations)
    ]
