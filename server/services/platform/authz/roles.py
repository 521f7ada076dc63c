"""What a role may do at all, before any record is looked at: the table `MAY`."""

from server.services.platform.errors import Forbidden

# capability: the roles that have it
MAY = {
    "manage_accounts": {"admin"},  # units and users
    "manage_places": {"admin"},  # zones and posts: create, change, rotate a sign, import
    "issue_letters": {"admin"},
    "manage_channels": {"admin"},  # outside notification channels and their deliveries
    "supervise": {"supervisor", "admin"},  # the dashboard, the ledger, the scorecard rankings
    "confirm_honours": {"supervisor"},
    "patrol": {"zone_head", "supervisor"},  # record a patrol round
    "see_patrols": {"zone_head", "supervisor", "admin"},  # the rounds and the zones due for one
    "organize_party_days": {"zone_head", "supervisor"},
    "act_in_loop": {"worker", "zone_head", "supervisor"},  # admins comment, they do not rectify
    "be_assigned": {"worker", "zone_head", "supervisor"},  # may be a hazard's responsible person
    "break_glass_sign_in": {"admin"},  # a password sign-in where passwords are off (single sign-on only)
}


def may(user, capability):
    return user.role in MAY[capability]


def require_capability(user, capability):
    """403 unless the user's role has the capability."""
    if not may(user, capability):
        raise Forbidden("errors.forbidden_role")


def capabilities(user):
    """Every capability the user has, for the PWA to show what the server will accept."""
    return sorted(capability for capability, roles in MAY.items() if user.role in roles)


def require_password_sign_in(user, passwords_on):
    """Local passwords can be switched off per deployment (single sign-on only); admins keep
    theirs, the way in when the identity platform is down."""
    if not passwords_on and not may(user, "break_glass_sign_in"):
        raise Forbidden("errors.password_login_off")
