"""The search index's writing side (issue 19): each hazard's terms (search.pieces of its number,
title, description and the comments of its history) written in the transaction that changes what
they are read from, through session hooks as the rollup's; `rebuild` fills the index for the
migrations and for bulk loads. search.py cuts the text and reads the index."""

from functools import cache

from sqlalchemy import String, bindparam, delete, event, func, insert, inspect, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert

from server.models.loop.hazards import Hazard, HazardEvent
from server.services.loop.search import index_table, pieces

_WATCHED = ("number", "title", "description")
_DIRTY = "search_dirty"
_FRESH = "search_fresh"  # {id: (hazard, its events with a comment)} inserted in this transaction
_CHUNK = 2_000


def _document(number, title, description, comments):
    """A hazard's terms: its number, title, description and the comments of its history."""
    return pieces(" ".join([number, title, description or "", *comments]))


def _documents(connection, ids):
    """{hazard id: its terms} read from the rows as they stand in this transaction."""
    hazards = connection.execute(
        select(Hazard.id, Hazard.number, Hazard.title, Hazard.description).where(Hazard.id.in_(ids))
    ).all()
    comments = {}
    for hazard_id, comment in connection.execute(
        select(HazardEvent.hazard_id, HazardEvent.comment)
        .where(HazardEvent.hazard_id.in_(ids), HazardEvent.comment.is_not(None))
        .order_by(HazardEvent.id)
    ):
        comments.setdefault(hazard_id, []).append(comment)
    return {
        row.id: _document(row.number, row.title, row.description, comments.get(row.id, [])) for row in hazards
    }


@cache
def _write_statement(dialect):
    """Insert an entry (:id, :terms), replacing one there. Built once per engine kind, as
    numbering's upsert: a new hazard's entry is written on every report."""
    index, key = index_table(dialect)
    if dialect == "postgresql":
        terms = func.array_to_tsvector(bindparam("terms", type_=ARRAY(String)))
        upsert = pg_insert(index).values({key.name: bindparam("id"), "terms": terms})
        return upsert.on_conflict_do_update(index_elements=[key.name], set_={"terms": upsert.excluded.terms})
    # FTS5 takes a document as text; its tokenizer keeps each term whole (the migration)
    return (
        insert(index)
        .prefix_with("OR REPLACE")
        .values({key.name: bindparam("id"), "terms": bindparam("terms")})
    )


def _write(connection, documents):
    """Write the index rows of these documents ({hazard id: terms}), replacing any there."""
    if not documents:
        return
    dialect = connection.dialect.name
    as_text = dialect != "postgresql"  # FTS5 gets a document, PostgreSQL the terms' array
    rows = [{"id": id_, "terms": " ".join(terms) if as_text else terms} for id_, terms in documents.items()]
    connection.execute(_write_statement(dialect), rows)


def reindex(connection, ids):
    """Write the index rows of these hazards again from their rows and comments; the entry of an
    id with no hazard row goes."""
    index, key = index_table(connection.dialect.name)
    ids = sorted(ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        documents = _documents(connection, chunk)
        if gone := [id_ for id_ in chunk if id_ not in documents]:
            connection.execute(delete(index).where(key.in_(gone)))
        _write(connection, documents)


def rebuild(connection):
    """Index every hazard (the migration, bulk loads); returns how many."""
    connection.execute(delete(index_table(connection.dialect.name)[0]))
    ids = connection.execute(select(Hazard.id).order_by(Hazard.id)).scalars().all()
    reindex(connection, ids)
    return len(ids)


def _after_flush(session, _context):
    """Note the hazards whose searched text this flush changed; they are indexed before commit.
    A hazard this transaction inserted is kept with the comments of its history (all of them
    inserted with it), to be indexed from what the session holds: one statement, where reading
    its rows back and clearing an entry it cannot have took four, on every report."""
    dirty = session.info.setdefault(_DIRTY, set())
    fresh = session.info.setdefault(_FRESH, {})
    for obj in session.new:
        if isinstance(obj, Hazard):
            dirty.add(obj.id)
            fresh[obj.id] = (obj, [])
    for obj in sorted((o for o in session.new if isinstance(o, HazardEvent)), key=lambda e: e.id):
        if obj.comment:
            dirty.add(obj.hazard_id)
            if obj.hazard_id in fresh:
                fresh[obj.hazard_id][1].append(obj)
    for obj in session.dirty:
        if isinstance(obj, Hazard) and any(
            inspect(obj).attrs[name].history.has_changes() for name in _WATCHED
        ):
            dirty.add(obj.id)


def _before_commit(session):
    """Index at the transaction's own commit, not a savepoint's: an entry written inside a
    savepoint would go back with an enclosing one rolled back, while what it indexed stays."""
    if session.in_nested_transaction():
        return
    session.flush()
    dirty = session.info.pop(_DIRTY, None)
    fresh = session.info.pop(_FRESH, {})
    if not dirty:
        return
    connection = session.connection()
    written = dict(_fresh_documents(fresh))
    _write(connection, written)
    if rest := dirty - written.keys():
        reindex(connection, rest)


def _fresh_documents(fresh):
    """(hazard id, terms) of the hazards this transaction inserted, from what the session holds.
    One that is not there as it was written (a savepoint rolled it or an event back, or its rows
    expired since) is left out: the database's rows say what stands."""
    for hazard_id, (hazard, events) in fresh.items():
        states = [inspect(obj) for obj in (hazard, *events)]
        if all(state.persistent and not state.expired_attributes for state in states):
            comments = [event.comment for event in events]
            yield hazard_id, _document(hazard.number, hazard.title, hazard.description, comments)


def _after_rollback(session, previous):
    """A whole transaction rolled back forgets what it would have indexed; a savepoint's does not
    (what was flushed before it is still to be committed)."""
    if not previous.nested:
        session.info.pop(_DIRTY, None)
        session.info.pop(_FRESH, None)


def register_search_index(sessions):
    """Keep the index in the transactions of `sessions` (create_app passes db.session)."""
    for name, listener in (
        ("after_flush", _after_flush),
        ("before_commit", _before_commit),
        ("after_soft_rollback", _after_rollback),
    ):
        if not event.contains(sessions, name, listener):
            event.listen(sessions, name, listener)
