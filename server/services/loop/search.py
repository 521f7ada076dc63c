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

search_index.py writes the index, in the transaction that changes what it reads."""

import re

from sqlalchemy import (
    Integer,
    any_,
    bindparam,
    cast,
    column,
    false,
    literal_column,
    select,
    table,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY

from server.extensions import db
from server.models.loop.hazards import Hazard
from server.services.platform.pagination import decode_cursor, keyset_page

TABLE = "hazard_search"
_RUNS = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9][A-Za-z0-9.\-]*")
_PARTS = re.compile(r"[.\-]+")
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


def index_table(dialect):
    index = _INDEX["postgresql" if dialect == "postgresql" else "sqlite"]
    return index, index.c[index.c.keys()[0]]


def _holds(dialect, terms, every=True, entries=None):
    """A condition: an index entry holds every piece of `terms` (any one, every=False). On
    PostgreSQL `entries` may be a subquery of the index to test instead of the index itself."""
    if dialect == "postgresql":
        entries = index_table(dialect)[0] if entries is None else entries
        return entries.c.terms.op("@@")(cast(_tsquery(terms, "&" if every else "|"), TSQUERY))
    return literal_column(TABLE).op("MATCH")(_fts5(terms, "AND" if every else "OR"))  # detail=none


def _matching_ids(dialect, terms, every=True):
    return select(index_table(dialect)[1]).where(_holds(dialect, terms, every))


def _dialect():
    return db.session.get_bind().dialect.name


def search_page(query, text_, limit, cursor=None):
    """(rows, next_cursor): a page of `query` (a select of Hazard: scope and filters) narrowed to
    the hazards holding every piece of `text_`, newest first, read in the index's key order (the
    hazard's id). SQLite's FTS5 walks a term's list newest first and stops at the page; ordered by
    the hazard's own id, it sorted every match first (2.4 s for a word in a quarter of 1,000,000)."""
    terms, dialect = _query_terms(text_), _dialect()
    if not terms:
        return [], None
    if dialect == "postgresql" and (found := _newest_or_few(query, terms, limit, cursor)):
        return found
    index, key = index_table(dialect)
    joined = query.join_from(Hazard, index, key == Hazard.id).where(_holds(dialect, terms))
    return keyset_page(joined, key.label("id"), limit, cursor)  # the rows' id is the cursor


def _newest_or_few(query, terms, limit, cursor):
    """PostgreSQL: the page when it is among the newest WINDOW entries, each tested (0.5-5 ms), as
    everything older comes after it; else when the matches are fewer than FEW, read through the
    GIN index (a hazard number: 0.3 ms); else None, and the page is read in the key's order.
    Through the GIN index first, a page of a common word read FEW matches' rows (15-34 ms at
    1,000,000 hazards), and in the key's order alone a number walked them all (480 ms)."""
    index, key = index_table("postgresql")
    below = key < decode_cursor(cursor) if cursor else true()
    newest = select(key, index.c.terms).where(below).order_by(key.desc()).limit(WINDOW).subquery()
    # Joined in the window's order, not IN it: the entries are tested until a page is found.
    in_window = query.join_from(Hazard, newest, newest.c[key.name] == Hazard.id)
    in_window = in_window.where(_holds("postgresql", terms, entries=newest))
    rows, next_cursor = keyset_page(in_window, newest.c[key.name].label("id"), limit, cursor)
    if next_cursor:
        return rows, next_cursor
    found = db.session.scalars(select(key).where(_holds("postgresql", terms), below).limit(FEW)).all()
    if len(found) < FEW:  # one array, not FEW parameters to render and parse
        matched = Hazard.id == any_(bindparam("found", found, type_=ARRAY(Integer)))
        return keyset_page(query.where(matched), Hazard.id, limit, cursor)
    return None


def matches(text_):
    """A condition on Hazard: it holds every piece of the query `text_`. A query with no piece
    (only punctuation, say) holds no word, so it matches nothing."""
    terms = _query_terms(text_)
    return Hazard.id.in_(_matching_ids(_dialect(), terms)) if terms else false()


def matches_any(text_):
    """A condition on Hazard: it holds at least one word of `text_` (the candidates of a repeat,
    compared by their words: a shared character or part of a number is no likeness)."""
    terms = [(term, False) for term in words(text_)]
    return Hazard.id.in_(_matching_ids(_dialect(), terms, every=False)) if terms else None
