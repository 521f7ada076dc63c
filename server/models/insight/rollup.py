"""The dashboard rollup: per site day and zone, counts of hazards by what the summary needs.

Maintained in the writing transaction by services/insight/rollup.py and rebuilt from the hazard table by
`flask dashboard rebuild-rollup`; the dashboard reads it instead of scanning a million hazards.
"""

from sqlalchemy import Column, Date, ForeignKey, Integer, Table

from server.models.base import Base
from server.vocabulary import CATEGORIES, LEVELS, STATUSES

# Counted on the day the hazard was reported (site time), by its current values ...
REPORTED_MEASURES = (
    "reported",
    *(f"status_{status}" for status in STATUSES),
    *(f"level_{level}" for level in LEVELS),
    *(f"category_{category}" for category in CATEGORIES),
    "closed_on_time",
    "repeats",  # services/loop/recurrence.py
)
# ... and on the day it was closed (site time): the weekly trend's "closed".
MEASURES = (*REPORTED_MEASURES, "closed")

dashboard_day = Table(
    "dashboard_day",
    Base.metadata,
    Column("day", Date, primary_key=True),
    Column("zone_id", Integer, ForeignKey("zone.id"), primary_key=True),
    *(Column(name, Integer, nullable=False, default=0, server_default="0") for name in MEASURES),
    sqlite_with_rowid=False,  # stored in key order: a period is one contiguous range
)

# Closed hazards per site day reported, zone and whole days taken to close: the median days to
# close is found in it, then read exactly from the few hazards of the middle bucket.
dashboard_close_days = Table(
    "dashboard_close_days",
    Base.metadata,
    Column("day", Date, primary_key=True),
    Column("zone_id", Integer, ForeignKey("zone.id"), primary_key=True),
    Column("days", Integer, primary_key=True, autoincrement=False),
    Column("closed", Integer, nullable=False, default=0, server_default="0"),
    sqlite_with_rowid=False,
)
