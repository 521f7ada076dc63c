"""A caller's role is judged before their input (the capabilities in services/platform/authz/)."""

from functools import wraps

from flask_login import current_user

from server.services.platform.authz import require_capability


def needs(capability):
    """Placed between @blp.route and @blp.arguments: a caller whose role lacks the capability
    gets a 403 before the body or query is judged, never the schema's field errors."""

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            require_capability(current_user, capability)
            return view(*args, **kwargs)

        return checked

    return decorate
