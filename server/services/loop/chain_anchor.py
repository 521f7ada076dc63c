"""The audit anchor: each hazard's chain head, appended to a file outside the database.

The keyed chain (services/loop/event_chain.py) shows an edited or forged event, but not a deleted last one:
the shorter chain is just as valid. So when a transaction that sealed events commits, each
hazard's new head is appended to the anchor file (AUDIT_ANCHOR, see anchor_path), where the
database, its superuser and a copied database file cannot reach; `flask audit verify` fails when
the database's chain is shorter than, or differs from, an anchored head.

Why at commit rather than only from cron: a periodic run leaves every event written since its last
run unanchored, and a last event deleted inside that window would never be missed. Appending at
commit leaves only the instant between the commit and the write; a crash there leaves a head
unanchored, which `verify` reports and `flask audit anchor` (cron) repairs.

Lines: `<UTC time> head <hazard id> <event id> <hash>`, and `<UTC time> rebase` where an operator
restarted the anchor after a restore (`flask audit anchor --rebase`): heads above the last rebase
line stay as the record of what the restore lost, and no longer bind. Each write is one O_APPEND
write, so processes never interleave their lines (several hosts: a shared volume whose appends are
atomic, which NFS's are not).
"""

import errno
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import event as orm_event
from sqlalchemy import inspect, make_url

from server.extensions import db
from server.models.base import now_utc

PENDING = "audit_anchor_pending"  # session.info key: (event, hazard id, hash) sealed, not committed


@dataclass(frozen=True)
class Head:
    event_id: int
    hash: str


@dataclass
class Anchor:
    heads: dict = field(default_factory=dict)  # hazard id → its latest anchored Head
    unreadable: list = field(default_factory=list)  # line numbers


def anchor_path():
    """AUDIT_ANCHOR; by default beside an SQLite database file, so that each database has its own
    anchor (instance/safety.audit-anchor.log for the default one), else instance/audit-anchor.log."""
    if current_app.config["AUDIT_ANCHOR"]:
        return Path(current_app.config["AUDIT_ANCHOR"])
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        database = Path(url.database)
        return database.with_name(f"{database.stem}.audit-anchor.log")
    return Path(current_app.instance_path) / "audit-anchor.log"


def anchor_on_commit(event):
    """Anchor this event's hazard head once the session's outermost transaction commits; an event
    rolled back with its savepoint or transaction is never anchored."""
    db.session().info.setdefault(PENDING, []).append((event, event.hazard_id, event.hash))


def register_anchor(sessions):
    """Write the pending heads when a transaction of `sessions` commits (create_app passes
    db.session). Listeners live on the class, so once per process, whatever the number of apps."""
    if not orm_event.contains(sessions, "after_commit", _anchor_committed):
        orm_event.listen(sessions, "after_commit", _anchor_committed)


def _anchor_committed(session):
    if session.in_nested_transaction() or not session.info.get(PENDING):
        return  # nothing sealed, or a savepoint released whose events may still roll back
    pending, session.info[PENDING] = session.info[PENDING], []
    heads = {}
    for event, hazard_id, digest in pending:  # kept at seal time: the committed event is expired
        state = inspect(event)
        if state.persistent:  # rolled-back inserts are transient again
            heads[hazard_id] = (hazard_id, state.identity[0], digest)
    try:
        append_heads(heads.values())
    except OSError:
        # The commit stands; the head stays unanchored until `flask audit anchor` writes it, and
        # `verify` names it meanwhile. Failing the request now would only make the phone retry.
        current_app.logger.exception("audit_anchor_write_failed")


def append_heads(heads, rebase=False):
    """Append (hazard id, event id, hash) heads, after a rebase line if asked, in one write."""
    moment = now_utc().isoformat(timespec="microseconds")
    lines = [f"{moment} rebase\n"] if rebase else []
    lines += [f"{moment} head {hazard_id} {event_id} {digest}\n" for hazard_id, event_id, digest in heads]
    if not lines:
        return
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(lines).encode()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        if os.write(descriptor, data) < len(data):  # a full disk, say: end the torn line, so
            os.write(descriptor, b"\n")  # the next append starts a line of its own
            raise OSError(errno.ENOSPC, "the audit anchor write was cut short")
    finally:
        os.close(descriptor)


def read_anchor():
    """Each hazard's latest anchored head since the last rebase line (the highest event id: two
    commits may append in either order), and the numbers of lines that do not parse."""
    anchor, path = Anchor(), anchor_path()
    if not path.exists():
        return anchor
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            parts = line.split()
            if parts[1:2] == ["rebase"] and len(parts) == 2:
                anchor.heads.clear()
            elif _is_head(parts):
                hazard_id, head = int(parts[2]), Head(int(parts[3]), parts[4])
                current = anchor.heads.get(hazard_id)
                if current is None or head.event_id >= current.event_id:
                    anchor.heads[hazard_id] = head
            else:
                anchor.unreadable.append(number)
    return anchor


def _is_head(parts):
    return len(parts) == 5 and parts[1] == "head" and parts[2].isdigit() and parts[3].isdigit()


def anchor_head():
    """(lines, short sha256) of the whole anchor file: printed on an export, it pins the file as it
    stood, and `head -n <lines> audit-anchor.log | sha256sum` must start with that digest later."""
    path = anchor_path()
    digest, count = hashlib.sha256(), 0
    if path.exists():
        with path.open("rb") as lines:
            for line in lines:
                digest.update(line)
                count += 1
    return count, digest.hexdigest()[:16]
