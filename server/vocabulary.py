"""Wire values of DESIGN §2: the one list every layer (and the PWA, via the API) uses."""

ROLES = ("worker", "zone_head", "supervisor", "admin")
STATUSES = ("reported", "rejected", "rectifying", "verifying", "closed")
OPEN_STATUSES = ("reported", "rectifying", "verifying")
CONFIRMED_STATUSES = ("rectifying", "verifying", "closed")  # accepted as a hazard, fixed or not
LEVELS = ("general", "major")
CATEGORIES = (
    "electrical",
    "height",
    "fire",
    "equipment",
    "tools_ppe",
    "traffic",
    "environment",
    "violation",
    "other",
)
PHOTO_STAGES = ("report", "rectification")
GEOFENCE_POLICIES = ("flag", "require")
PARTY_DAY_KINDS = ("study", "warning", "site_check", "drill", "contest", "pledge")
LETTER_LAYERS = ("unit_head", "zone_head", "member")
HONOURS = ("excellent_member", "advanced_branch")
