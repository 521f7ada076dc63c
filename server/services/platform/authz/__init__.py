"""The one authorization policy (DESIGN §4, HARDENING §8): who may see and do what.

Read it like the workflow table. Every service asks here; nothing else decides scope or role.
One package, a module per part, everything imported from here:

1. What a role may do at all, before any record is looked at: the table `MAY` (roles.py). A role
   without the capability gets 403; the views ask first, before reading their input
   (api/platform/capability.py), and the services ask again.
2. How a user stands to a unit: an admin oversees every unit; a supervisor oversees their unit and
   every unit below it (`oversees`, `supervises`); everyone else sees their own unit's subtree
   (units.py).
3. Which records a user sees (`*_scope`, as SQL so that lists read them through indexes) and how
   a user stands to one record: a hazard's zone head, a post's holder, a letter's recipient, a
   Party day's organizer (records.py; party.py for letters and Party days; offline.py for what a
   phone keeps for no signal).

The 404-vs-403 rule, written once: a record outside your scope is 404, exactly like a missing id
(`visible`, `require_oversight`); a unit you name in a filter or a form outside your scope, a
capability your role lacks, or an act on a record you can see but is not yours, is 403.
"""

from server.services.platform.authz.offline import pack_post_scope, pack_zone_scope, task_scope
from server.services.platform.authz.party import (
    attendable_party_days,
    letter_recipients,
    letter_scope,
    may_attend,
    may_follow_letter,
    may_run_party_day,
    party_day_members,
    party_day_scope,
    require_attendance_right,
    require_attended,
    why_not_attend,
)
from server.services.platform.authz.records import (
    assignable,
    check_in_refusal,
    checkin_scope,
    checkins_seen_at,
    digest_recipients,
    get_or_404,
    hazard_scope,
    hazard_scope_parts,
    hazard_ties,
    may_call_guest,
    may_check_in,
    may_patrol,
    patrol_scope,
    patrol_zone_scope,
    photo_visible,
    post_actions,
    supervisors_of,
    visible,
    why_not_check_in,
    why_not_responsible,
    zone_actions,
)
from server.services.platform.authz.roles import (
    MAY,
    capabilities,
    may,
    require_capability,
    require_password_sign_in,
)
from server.services.platform.authz.units import (
    oversees,
    require_oversight,
    supervised_units,
    supervises,
    unit_ancestor_ids,
    unit_line,
    unit_subtree_ids,
    units_seen,
    units_within,
)

__all__ = [
    "MAY",
    "assignable",
    "digest_recipients",
    "attendable_party_days",
    "capabilities",
    "check_in_refusal",
    "checkin_scope",
    "checkins_seen_at",
    "get_or_404",
    "hazard_scope",
    "hazard_scope_parts",
    "hazard_ties",
    "letter_recipients",
    "letter_scope",
    "may",
    "may_attend",
    "may_call_guest",
    "may_check_in",
    "may_follow_letter",
    "may_patrol",
    "may_run_party_day",
    "oversees",
    "pack_post_scope",
    "pack_zone_scope",
    "party_day_members",
    "party_day_scope",
    "patrol_scope",
    "patrol_zone_scope",
    "photo_visible",
    "post_actions",
    "require_attendance_right",
    "require_attended",
    "require_capability",
    "require_oversight",
    "require_password_sign_in",
    "supervised_units",
    "supervises",
    "supervisors_of",
    "task_scope",
    "unit_ancestor_ids",
    "unit_line",
    "unit_subtree_ids",
    "units_seen",
    "units_within",
    "visible",
    "why_not_attend",
    "why_not_check_in",
    "why_not_responsible",
    "zone_actions",
]
