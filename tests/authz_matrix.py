"""Who may call what: every API route of the OpenAPI document × anonymous and every role × target.

One row per (method, path) exactly as `/api/v1/openapi.json` spells it. Each row maps a target to
the five expected statuses, in the order of ACTORS. Targets:

- "-": no object (lists, creates, the signed-in user);
- "own_unit": an object of team A, the actors' own unit (admin: the company above it);
- "other_unit": the same kind of object in team B;
- "own": the actor's own record (their report, upload, notification, account), in team B where
  the record has a place, so that only ownership can grant it;
- a few named extras ("rotated", "inactive", "confirm", "someone_elses") where HARDENING §8.2 has
  a column of its own.

tests/test_authz_matrix.py sends each cell to the real app (SQLite and PostgreSQL). A new route
needs a row here and a request recipe in REQUESTS there; the test names the missing one.
"""

ACTORS = ("anonymous", "worker", "zone_head", "supervisor", "admin")

ALL = (401, 200, 200, 200, 200)
ADMIN = (401, 403, 403, 403, 200)
ADMIN_CREATES = (401, 403, 403, 403, 201)
SUPERVISION = (401, 403, 403, 200, 200)  # ledger exports and the dashboard
SUPERVISION_ELSEWHERE = (401, 403, 403, 403, 200)  # the same with another unit's unit_id
SCOPED = (401, 200, 200, 200, 200)  # own unit's hazards: everyone in it sees them
NOT_VISIBLE = (401, 404, 404, 404, 200)  # another unit's: 404, as if missing (admin sees all)
CREATES = (401, 201, 201, 201, 201)
PUBLIC = (200, 200, 200, 200, 200)  # the public zone board and receipts: no account needed
REDIRECT = (302, 302, 302, 302, 302)

MATRIX = {
    # Sessions
    ("POST", "/api/v1/auth/login"): {"-": (200, 200, 200, 200, 200)},
    ("POST", "/api/v1/auth/logout"): {"-": (401, 204, 204, 204, 204)},
    ("GET", "/api/v1/auth/me"): {"-": ALL},
    ("POST", "/api/v1/auth/password"): {"-": ALL},
    # How one signs in, and single sign-on: browser navigations, open to all; every outcome is a
    # redirect (to the provider, to the app, or to the login screen with ?sso_error=)
    ("GET", "/api/v1/auth/methods"): {"-": PUBLIC},
    ("GET", "/api/v1/auth/sso/start"): {"-": REDIRECT},
    ("GET", "/api/v1/auth/sso/callback"): {"-": REDIRECT},
    ("GET", "/api/v1/auth/cas/start"): {"-": REDIRECT},
    ("GET", "/api/v1/auth/cas/callback"): {"-": REDIRECT},
    # Units and accounts: admin only, whatever the unit, own account included
    ("GET", "/api/v1/units"): {"-": ADMIN},
    ("POST", "/api/v1/units"): {"-": ADMIN_CREATES},
    ("PATCH", "/api/v1/units/{unit_id}"): {"own_unit": ADMIN, "other_unit": ADMIN},
    ("POST", "/api/v1/units/import"): {"-": ADMIN_CREATES},
    ("GET", "/api/v1/units/import/template.csv"): {"-": ADMIN},
    ("GET", "/api/v1/users"): {"-": ADMIN},
    ("POST", "/api/v1/users"): {"-": ADMIN_CREATES},
    ("GET", "/api/v1/users/{user_id}"): {"own_unit": ADMIN, "other_unit": ADMIN, "own": ADMIN},
    ("PATCH", "/api/v1/users/{user_id}"): {"own_unit": ADMIN, "other_unit": ADMIN, "own": ADMIN},
    ("POST", "/api/v1/users/{user_id}/reset-password"): {"own_unit": ADMIN, "other_unit": ADMIN},
    ("POST", "/api/v1/users/{user_id}/sessions/revoke"): {
        "own_unit": (401, 403, 403, 403, 204),
        "other_unit": (401, 403, 403, 403, 204),
    },
    ("POST", "/api/v1/users/import"): {"-": ADMIN_CREATES},
    ("GET", "/api/v1/users/import/template.csv"): {"-": ADMIN},
    # Zones and posts: every signed-in user sees them (the sign hangs in public); admin changes them
    ("GET", "/api/v1/zones"): {"-": ALL},
    ("POST", "/api/v1/zones"): {"-": ADMIN_CREATES},
    ("GET", "/api/v1/zones/patrol-due"): {"-": (401, 403, 200, 200, 200)},
    ("GET", "/api/v1/zones/{zone_id}"): {"own_unit": ALL, "other_unit": ALL},
    ("PATCH", "/api/v1/zones/{zone_id}"): {"own_unit": ADMIN, "other_unit": ADMIN},
    ("POST", "/api/v1/zones/{zone_id}/rotate-token"): {"own_unit": ADMIN, "other_unit": ADMIN},
    ("GET", "/api/v1/zones/{zone_id}/qr.{image_format}"): {"own_unit": ALL, "other_unit": ALL},
    ("POST", "/api/v1/zones/import"): {"-": ADMIN_CREATES},
    ("GET", "/api/v1/zones/import/template.csv"): {"-": ADMIN},
    ("GET", "/api/v1/posts"): {"-": ALL},
    ("POST", "/api/v1/posts"): {"-": ADMIN_CREATES},
    ("GET", "/api/v1/posts/{post_id}"): {"own_unit": ALL, "other_unit": ALL},
    ("PATCH", "/api/v1/posts/{post_id}"): {"own_unit": ADMIN, "other_unit": ADMIN},
    ("GET", "/api/v1/posts/{post_id}/stats"): {"own_unit": ALL, "other_unit": ALL},
    ("POST", "/api/v1/posts/{post_id}/rotate-token"): {"own_unit": ADMIN, "other_unit": ADMIN},
    ("GET", "/api/v1/posts/{post_id}/qr.{image_format}"): {"own_unit": ALL, "other_unit": ALL},
    ("POST", "/api/v1/posts/import"): {"-": ADMIN_CREATES},
    ("GET", "/api/v1/posts/import/template.csv"): {"-": ADMIN},
    ("GET", "/api/v1/scan/{token}"): {
        "own_unit": ALL,
        "other_unit": ALL,
        "rotated": (401, 404, 404, 404, 404),
    },
    ("GET", "/api/v1/scan/code/{code}"): {"own_unit": ALL, "other_unit": ALL},
    # The offline pack: everyone signed in fetches their own (its scope is the policy's)
    ("GET", "/api/v1/offline-pack"): {"-": ALL},
    # Photos: an attached one as its hazard; an unattached one for its uploader (and admin)
    ("POST", "/api/v1/photos"): {"-": CREATES},
    ("GET", "/api/v1/photos/{photo_id}/{rendition}.jpg"): {
        "own_unit": SCOPED,
        "other_unit": NOT_VISIBLE,
        "own": ALL,
        "someone_elses": NOT_VISIBLE,
    },
    # Field records
    # Only a post's holder and members check in there (team A's post is held by its zone head)
    ("POST", "/api/v1/checkins"): {
        "own_unit": (401, 403, 201, 403, 403),
        "other_unit": (401, 403, 403, 403, 403),
    },
    ("GET", "/api/v1/checkins"): {"-": ALL},
    ("POST", "/api/v1/patrols"): {
        "own_unit": (401, 403, 201, 201, 403),
        "other_unit": (401, 403, 403, 403, 403),
    },
    # Patrols are read like check-ins: admins see every round, though only heads and supervisors walk one
    ("GET", "/api/v1/patrols"): {"-": (401, 403, 200, 200, 200)},
    ("GET", "/api/v1/patrols/{patrol_id}"): {
        "own_unit": (401, 403, 200, 200, 200),
        "other_unit": (401, 403, 404, 404, 200),
    },
    # Hazards: anyone reports in any active zone; reading is scoped; transitions per §8.3
    ("POST", "/api/v1/hazards"): {
        "own_unit": CREATES,
        "other_unit": CREATES,
        "inactive": (401, 409, 409, 409, 409),
    },
    ("GET", "/api/v1/hazards"): {"-": ALL},
    ("GET", "/api/v1/hazards/{hazard_id}"): {"own_unit": SCOPED, "other_unit": NOT_VISIBLE, "own": ALL},
    ("GET", "/api/v1/hazards/{hazard_id}/similar"): {
        "own_unit": SCOPED,
        "other_unit": NOT_VISIBLE,
        "own": ALL,
    },
    # what looks alike in a zone: anyone may report anywhere; the answer holds only what they see
    ("GET", "/api/v1/hazards/similar"): {"own_unit": ALL, "other_unit": ALL},
    ("GET", "/api/v1/hazards/{hazard_id}/assignees"): {
        "own_unit": SCOPED,
        "other_unit": NOT_VISIBLE,
        "own": ALL,
    },
    ("POST", "/api/v1/hazards/{hazard_id}/actions/{action}"): {
        "own_unit": SCOPED,  # a comment
        "other_unit": NOT_VISIBLE,
        "own": ALL,
        "confirm": (401, 403, 200, 200, 403),  # admin is no workflow actor
    },
    ("GET", "/api/v1/hazards/export.csv"): {
        "-": SUPERVISION,
        "own_unit": SUPERVISION,
        "other_unit": SUPERVISION_ELSEWHERE,
    },
    ("GET", "/api/v1/hazards/export.xlsx"): {
        "-": SUPERVISION,
        "own_unit": SUPERVISION,
        "other_unit": SUPERVISION_ELSEWHERE,
    },
    # Notifications: one's own; another user's is 404
    ("GET", "/api/v1/notifications"): {"-": ALL},
    ("POST", "/api/v1/notifications/{notification_id}/read"): {
        "own": ALL,
        "someone_elses": (401, 404, 404, 404, 404),
    },
    ("POST", "/api/v1/notifications/read-all"): {"-": (401, 204, 204, 204, 204)},
    ("GET", "/api/v1/dashboard/summary"): {
        "-": SUPERVISION,
        "own_unit": SUPERVISION,
        "other_unit": SUPERVISION_ELSEWHERE,
    },
    ("GET", "/api/v1/reports/monthly"): {"own_unit": SUPERVISION, "other_unit": SUPERVISION_ELSEWHERE},
    # Party days: visible to everyone signed in; planned by zone heads and supervisors of the unit;
    # attended by Party members (team A's zone head is one; the others are not); the QR for its
    # organizer (team A's zone head, team B's for the other), supervisors over it and admins
    ("GET", "/api/v1/party-days"): {"-": ALL},
    ("POST", "/api/v1/party-days"): {
        "own_unit": (401, 403, 201, 201, 403),
        "other_unit": (401, 403, 403, 403, 403),
    },
    ("GET", "/api/v1/party-days/{party_day_id}"): {"own_unit": ALL, "other_unit": ALL},
    ("GET", "/api/v1/party-days/{party_day_id}/qr.{image_format}"): {
        "own_unit": (401, 404, 200, 200, 200),
        "other_unit": (401, 404, 404, 404, 200),
    },
    ("POST", "/api/v1/party-days/attendances"): {
        "own_unit": (401, 403, 201, 403, 403),  # team A's zone head organizes it
        "other_unit": (401, 403, 403, 403, 403),  # another team's branch: not theirs to attend
    },
    # Responsibility letters: admins issue; recipients read and sign their own; supervisors over
    # the letter's unit follow it ("own": a letter addressed to every actor)
    ("GET", "/api/v1/letters"): {"-": ALL},
    ("POST", "/api/v1/letters"): {"own_unit": ADMIN_CREATES, "other_unit": ADMIN_CREATES},
    ("GET", "/api/v1/letters/{letter_id}"): {"own_unit": ALL, "other_unit": NOT_VISIBLE},
    ("POST", "/api/v1/letters/{letter_id}/sign"): {
        "own": ALL,
        "other_unit": (401, 404, 404, 404, 404),
    },
    # The scorecard: rankings and exports for supervision; a card for oneself (a Party member),
    # a zone's for its head, any in the subtree for supervisors, all for admins
    ("GET", "/api/v1/scorecards"): {"own_unit": SUPERVISION, "other_unit": SUPERVISION_ELSEWHERE},
    ("GET", "/api/v1/scorecards/export.csv"): {"own_unit": SUPERVISION, "other_unit": SUPERVISION_ELSEWHERE},
    ("GET", "/api/v1/scorecards/export.xlsx"): {"own_unit": SUPERVISION, "other_unit": SUPERVISION_ELSEWHERE},
    ("GET", "/api/v1/scorecards/members/{user_id}"): {
        "own_unit": (401, 404, 404, 200, 200),
        "other_unit": NOT_VISIBLE,
        "own": (401, 404, 200, 404, 404),  # only Party members have a card (team A's zone head)
    },
    ("GET", "/api/v1/scorecards/zones/{zone_id}"): {
        "own_unit": (401, 404, 200, 200, 200),
        "other_unit": NOT_VISIBLE,
    },
    ("GET", "/api/v1/honours"): {"-": ALL},
    ("POST", "/api/v1/honours"): {
        "own_unit": (401, 403, 403, 201, 403),
        "other_unit": (401, 403, 403, 403, 403),
    },
    # The public side of a sign: anyone; guest reports only where the zone allows them
    ("GET", "/api/v1/public/zones/{token}"): {
        "own_unit": PUBLIC,
        "other_unit": PUBLIC,
        "rotated": (404, 404, 404, 404, 404),
    },
    ("POST", "/api/v1/public/zones/{token}/reports"): {
        "own_unit": (403, 403, 403, 403, 403),
        "guest_open": (201, 201, 201, 201, 201),
    },
    ("GET", "/api/v1/public/receipts/{code}"): {
        "own": PUBLIC,
        "rotated": (404, 404, 404, 404, 404),
    },
    # Outside notification channels and their deliveries: admin only, whatever the unit
    ("GET", "/api/v1/channels"): {"-": ADMIN},
    ("POST", "/api/v1/channels"): {"-": ADMIN_CREATES},
    ("PATCH", "/api/v1/channels/{channel_id}"): {"own_unit": ADMIN, "other_unit": ADMIN},
    ("GET", "/api/v1/deliveries"): {"-": ADMIN},
    ("POST", "/api/v1/deliveries/{delivery_id}/retry"): {"own_unit": ADMIN, "other_unit": ADMIN},
}
