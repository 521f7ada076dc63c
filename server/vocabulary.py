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
NOTIFICATION_KINDS = (
    "hazard_reported",
    "hazard_assigned",
    "hazard_major",
    "hazard_rejected",
    "hazard_submitted",
    "hazard_returned",
    "hazard_closed",
    "hazard_overdue",
    "hazard_due_tomorrow",
    "extension_requested",
    "extension_granted",
    "extension_denied",
)
# Where outside notifications go: group robots, e-mail, a JSON webhook (HMAC-signed).
CHANNEL_KINDS = ("wecom", "dingtalk", "feishu", "email", "webhook")
ROBOT_CHANNELS = ("wecom", "dingtalk", "feishu")  # group robots: the target is a key, a credential
SIGNED_CHANNELS = ("dingtalk", "webhook")  # what they send is signed with the channel's secret
# What a channel's target must look like: a robot's key or token, an address, an http(s) URL.
CHANNEL_TARGETS = {
    "wecom": r"^[A-Za-z0-9-]{8,100}$",
    "dingtalk": r"^[A-Za-z0-9]{8,100}$",
    "feishu": r"^[A-Za-z0-9-]{8,100}$",
    "email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    "webhook": r"^https?://\S+$",
}
DELIVERY_STATUSES = ("pending", "sent", "dead")
MAX_SIGNS = 100  # QR signs on one sign sheet: 25 A4 pages; each QR is drawn afresh
