"""Site time: deadlines are calendar days in TIMEZONE (DESIGN §3)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app

from server.models.base import now_utc


def site_zone():
    return ZoneInfo(current_app.config["TIMEZONE"])


def site_today():
    """Today at the site; a hazard due today is overdue only once this date has passed."""
    return now_utc().astimezone(site_zone()).date()


def site_datetime(moment: datetime):
    return moment.astimezone(site_zone())
