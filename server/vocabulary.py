"""Wire values of DESIGN §2: the one list every layer uses. The PWA imports them from the module
the build writes from this file (pwa/write_vocabulary.py): every upper-case name is exported."""

ROLES = ("worker", "zone_head", "supervisor", "admin")
STATUSES = ("reported", "rejected", "rectifying", "verifying", "closed")
OPEN_STATUSES = ("reported", "rectifying", "verifying")
CONFIRMED_STATUSES = ("rectifying", "verifying", "closed")  # confirmed as real, whatever came since
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
MAX_SIGNS = 100  # QR signs on one sign sheet: 25 A4 pages; each QR is drawn afresh
