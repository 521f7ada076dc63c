"""Full-text search of hazards (issue 19): a hazard's number, title, description and the comments
of its history, found by the words a field user types, on both engines from one index.

Chinese has no spaces and its hazard words are mostly two characters (接地, 漏电, 围栏, 盖板), so
a text is cut into its two-character pieces, plus each character alone (a query of one character);
numbers and Latin words (10kV, YH-2026-000123) are words of their own, with their parts (2026,
000123). The pieces are the index's terms as they are: SQLite keeps them in an FTS5 table (rowid =
the hazard's id), PostgreSQL as a GIN-indexed tsvector made from the array (no parser in between).

A query matches the hazards that hold every piece of it, each piece whole, but for a compound
number (YH-2026-0001, 10.5), which is a prefix: half typed, it finds its numbers. Whole terms keep
every search a walk of the index's lists newest first; a prefix of a common term (10kv*, 锈*) made
SQLite merge the lists of every term it begins into one before reading a page (17-30 ms at
1,000,000 hazards, against 0.1-0.4 ms for the whole term).
The index is written in the transaction that changes what it reads (a flush hook, as the
rollup's); `rebuild` fills it for the migration and for bulk loads."""

import re
from functools import cache

from sqlalchemy import (
    Integer,
    String,
    any_,
    bindparam,
    cast,
    column,
    delete,
    event,
    false,
    func,
    insert,
    inspect,
    literal_column,
    select,
    table,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY
from sqlalchemy.dialects.postgresql import insert as pg_insert

from server.extensions import db
from server.models.loop.hazards import Hazard, HazardEvent
from server.services.platform.pagination import decode_cursor, keyset_page

TABLE = "hazard_search"
_RUNS = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9][A-Za-z0-9.\-]*")
_PARTS = re.compile(r"[.\-]+")
_WATCHED = ("number", "title", "description")
_DIRTY = "search_dirty"
_FRESH = "search_fresh"  # {id: (hazard, its events with a comment)} inserted in this transaction
_CHUNK = 2_000
WINDOW = 5_000  # the newest entries a PostgreSQL list page tests before asking the GIN index
FEW = 5_000  # matches a PostgreSQL list page reads through the GIN index rather than in key order


def _runs(text_):
    """(run, is_chinese) for each run of Chinese characters or of Latin letters and digits."""
    for run in _RUNS.findall(text_ or ""):
        if run[0] >= "\u4e00":
            yield run, True
        elif word := run.lower().strip(".-"):
            yield word, False


def words(text_):
    """The words of a text, as a person would count them: each Chinese two-character piece (the
    run itself if it is one character), each Latin word or number. Distinct, in order."""
    found = {}
    for run, chinese in _runs(text_):
        for word in (run[i : i + 2] for i in range(max(1, len(run) - 1))) if chinese else (run,):
            found[word] = None
    return list(found)


def pieces(text_):
    """What the index holds of a text: its words, each Chinese character alone, and the parts of
    a compound number (YH-2026-000123: yh, 2026, 000123)."""
    found = dict.fromkeys(words(text_))
    for run, chinese in _runs(text_):
        found.update(dict.fromkeys(run if chinese else _PARTS.split(run)))
    found.pop("", None)
    return list(found)


def _query_terms(query):
    """(term, is_prefix) for each piece a hazard must hold to match `query`: a compound number
    is a prefix (YH-2026-0001 finds its numbers), every other piece is whole."""
    terms = {}
    for run, chinese in _runs(query):
        for word in words(run):
            terms[word] = not chinese and _PARTS.search(word) is not None
    return list(terms.items())


def _fts5(terms, joiner):
    return f" {joiner} ".join(f'"{term}"' + ("*" if prefix else "") for term, prefix in terms)


def _tsquery(terms, joiner):
    return f" {joiner} ".join(f"'{term}'" + (":*" if prefix else "") for term, prefix in terms)


# The index as each engine holds it (the migration makes both).
_INDEX = {
    "postgresql": table(TABLE, column("hazard_id"), column("terms")),
    "sqlite": table(TABLE, column("rowid"), column("terms")),
}


def _index(dialect):
    index = _INDEX["postgresql" if dialect == "postgresql" else "sqlite"]
    return index, index.c[index.c.keys()[0]]


def _holds(dialect, terms, joiner):
    index, _key = _index(dialect)
    if dialect == "postgresql":
        return index.c.terms.op("@@")(cast(_tsquery(terms, joiner), TSQUERY))
    return literal_column(TABLE).op("MATCH")(_fts5(terms, joiner))  # detail=none: no column filter


def _matching_ids(dialect, terms, joiner):
    return select(_index(dialect)[1]).where(_holds(dialect, terms, joiner))


def _dialect():
    return db.session.get_bind().dialect.name


def page(query, text_, limit, cursor=None):
    """(rows, next_cursor): a page of `query` (a select of Hazard, the caller's scope and filters)
    narrowed to the hazards holding every piece of `text_`, newest first, read from the index in
    its key's order (equal to the hazard's id) so that a page reads about as many entries as it
    shows: ordered by the hazard's own id, SQLite collected and sorted every match first (2.4 s
    for a word in a quarter of 1,000,000 hazards)."""
    terms, dialect = _query_terms(text_), _dialect()
    if not terms:
        return [], None
    index, key = _index(dialect)
    if dialect != "postgresql":  # FTS5 walks a term's list newest first itself
        joined = query.join_from(Hazard, index, key == Hazard.id).where(_holds(dialect, terms, "AND"))
        return keyset_page(joined, key.label("id"), limit, cursor)  # the rows' id is the cursor
    # PostgreSQL: first the newest WINDOW entries, each tested (0.5-5 ms); a whole page among them
    # is the page, as everything older comes after it. A query with fewer matches there is read
    # through the GIN index, up to FEW (a hazard number: 0.3 ms); as many, in the key's order.
    # Through the GIN index first, a page of a common word read FEW matches' rows (15-34 ms at
    # 1,000,000 hazards), and in the key's order alone a number walked them all (480 ms).
    tsquery = cast(_tsquery(terms, "&"), TSQUERY)
    holds = index.c.terms.op("@@")(tsquery)
    below = key < decode_cursor(cursor) if cursor else true()
    newest = select(key, index.c.terms).where(below).order_by(key.desc()).limit(WINDOW).subquery()
    # Joined in the window's order, not IN it: the entries are tested until a page is found.
    in_window = query.join_from(Hazard, newest, newest.c[key.name] == Hazard.id)
    in_window = in_window.where(newest.c.terms.op("@@")(tsquery))
    rows, next_cursor = keyset_page(in_window, newest.c[key.name].label("id"), limit, cursor)
    if next_cursor:
        return rows, next_cursor
    found = db.session.scalars(select(key).where(holds, below).limit(FEW)).all()
    if len(found) < FEW:  # one array, not FEW parameters to render and parse
        matched = Hazard.id == any_(bindparam("found", found, type_=ARRAY(Integer)))
        return keyset_page(query.where(matched), Hazard.id, limit, cursor)
    joined = query.join_from(Hazard, index, key == Hazard.id).where(holds)
    return keyset_page(joined, key.label("id"), limit, cursor)


def matches(text_):
    """A condition on Hazard: it holds every piece of the query `text_`. A query with no piece
    (only punctuation, say) holds no word, so it matches nothing."""
    terms, dialect = _query_terms(text_), _dialect()
    joiner = "&" if dialect == "postgresql" else "AND"
    return Hazard.id.in_(_matching_ids(dialect, terms, joiner)) if terms else false()


def matches_any(text_):
    """A condition on Hazard: it holds at least one word of `text_` (the candidates of a repeat,
    compared by their words: a shared last character or part of a number is no likeness)."""
    terms, dialect = [(term, False) for term in words(text_)], _dialect()
    return (
        Hazard.id.in_(_matching_ids(dialect, terms, "|" if dialect == "postgresql" else "OR"))
        if terms
        else None
    )


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
    index, key = _index(dialect)
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
    index, key = _index(connection.dialect.name)
    ids = sorted(ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        documents = _documents(connection, chunk)
        if gone := [id_ for id_ in chunk if id_ not in documents]:
            connection.execute(delete(index).where(key.in_(gone)))
        _write(connection, documents)


def rebuild(connection):
    """Index every hazard (the migration, bulk loads); returns how many."""
    connection.execute(delete(_index(connection.dialect.name)[0]))
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
