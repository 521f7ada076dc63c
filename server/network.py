"""Who is on the other end of the request: the one place that reads the peer address."""

from flask import request


def client_address():
    """The client's address as Werkzeug sees it (after ProxyFix when configured)."""
    return request.remote_addr or "unknown"
