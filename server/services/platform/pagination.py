"""Keyset pages over a unique integer column, newest first (DESIGN §5)."""

import base64

from server.extensions import db
from server.services.platform.errors import field_error


def encode_cursor(value):
    return base64.urlsafe_b64encode(f"k{value}".encode()).decode().rstrip("=")


def decode_cursor(cursor):
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        value = int(text[1:]) if text.startswith("k") else 0
        if not 0 < value < 2**31:
            raise ValueError(cursor)
        return value
    except ValueError as error:
        raise field_error("cursor", "errors.bad_cursor") from error


def _after(query, column, cursor, descending):
    if cursor:
        last = decode_cursor(cursor)
        query = query.where(column < last if descending else column > last)
    return query.order_by(column.desc() if descending else column.asc())


def keyset_page(query, column, limit, cursor=None, descending=True):
    """(rows, next_cursor): the rows after the cursor in the order of a unique column."""
    rows = db.session.scalars(_after(query, column, cursor, descending).limit(limit + 1)).all()
    return _cut(rows, column, limit)


def keyset_union(queries, column, limit, cursor=None):
    """keyset_page over the union of several queries (newest first), each read by its own index."""
    merged = {}
    for query in queries:
        for row in db.session.scalars(_after(query, column, cursor, True).limit(limit + 1)):
            merged[getattr(row, column.key)] = row
    return _cut([merged[key] for key in sorted(merged, reverse=True)], column, limit)


def _cut(rows, column, limit):
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(getattr(rows[-1], column.key))


def page(rows, next_cursor):
    return {"items": rows, "next_cursor": next_cursor}
