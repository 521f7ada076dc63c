"""Command-line tasks: `flask --app wsgi <command>`."""

import time
from datetime import timedelta
from functools import partial
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from server.extensions import db
from server.i18n import translate
from server.models.accounts.users import User
from server.services.accounts import users
from server.services.demo import seed
from server.services.field import photo_store, photos
from server.services.insight import rollup
from server.services.loop import chain_anchor, digests, event_chain, overdue
from server.services.places import posts, zones
from server.services.places.units import find_by_code, root_unit
from server.services.platform import backups, channels, deliveries
from server.services.platform.clock import site_today, site_zone
from server.services.platform.errors import DomainError
from server.vocabulary import ROLES


class SystemActor:
    """The operator at the server's console acts with admin rights."""

    id = None
    role = "admin"


def _fail(error):
    lines = [translate(error.message_key, "en", **error.params)]
    for where, problem in (error.errors or {}).items():
        lines.append(f"  {where}: {problem}")
    raise click.ClickException("\n".join(lines))


def _run(action):
    """Run a service call and commit, or print its error in words and roll back."""
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        _fail(error)
    db.session.commit()
    return result


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
@with_appcontext
def seed_demo_command(if_empty):
    """Load the demo company (units, users of every role, zones, posts, hazards)."""
    if current_app.config["ENVIRONMENT"] == "production":
        raise click.ClickException("seed-demo refuses to run with the production configuration")
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        return
    created = _run(seed.seed_demo)
    click.echo("Demo data loaded." if created else "Demo data already present.")
    click.echo(f"Demo logins (password for all: {seed.DEMO_PASSWORD}):")
    for username, name, role in seed.demo_logins():
        click.echo(f"  {username:<10} {role:<11} {name}")


users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--unit", "unit_code", help="Unit code; default: the root unit (created if none).")
@click.option("--party-member", is_flag=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(username, name, role, unit_code, party_member, password):
    """Create an account (the first admin, typically)."""

    def create():
        unit = find_by_code(unit_code) if unit_code else root_unit()
        if unit is None:
            raise click.ClickException(f"no unit with code {unit_code}")
        data = {
            "username": username,
            "name": name,
            "role": role,
            "unit_id": unit.id,
            "is_party_member": party_member,
            "password": password,
        }
        return users.add_user(data)

    user = _run(create)
    click.echo(f"Created {user.username} ({user.role}).")


@users_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_users_command(file):
    """Import accounts from CSV; prints the one-time passwords to hand out."""
    result = _run(lambda: users.import_users(SystemActor(), file.read_bytes()))
    click.echo(f"Imported {result['created']} users. One-time passwords:")
    for row in result["passwords"]:
        click.echo(f"  {row['username']}\t{row['one_time_password']}")


zones_cli = AppGroup("zones", help="Manage zones.")
posts_cli = AppGroup("posts", help="Manage demonstration posts.")


@zones_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_zones_command(file):
    """Import zones from CSV (all rows or none)."""
    count = _run(lambda: zones.import_zones(SystemActor(), file.read_bytes()))
    click.echo(f"Imported {count} zones.")


@posts_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_posts_command(file):
    """Import demonstration posts from CSV (all rows or none)."""
    count = _run(lambda: posts.import_posts(SystemActor(), file.read_bytes()))
    click.echo(f"Imported {count} posts.")


photos_cli = AppGroup("photos", help="Maintain the photo store.")


@photos_cli.command("gc")
def photos_gc_command():
    """Remove unattached photos older than 7 days and stray objects older than 24 hours, in the
    folder or the bucket; report photos whose objects are missing (exit 1, so that cron mails it)."""
    stale, strays = _run(photos.collect_garbage)
    # Rows are gone (committed) before their objects: a crash here leaves only strays for next time.
    try:
        for key in stale:
            photo_store.remove(key)
        for name in strays:
            photo_store.delete(name)
        click.echo(f"Removed {len(stale)} unattached photos and {len(strays)} stray files.")
        missing = photos.photos_without_files()
    except DomainError as error:  # the bucket is down: say so, exit 1
        _fail(error)
    for photo_id, number in missing:
        click.echo(f"photo {photo_id} ({number or 'not attached'}): file missing; restore the photo store")
    if missing:
        raise SystemExit(1)


hazards_cli = AppGroup("hazards", help="The rectification loop.")


@hazards_cli.command("notify-deadlines")
def notify_deadlines_command():
    """Remind of deadlines, once per hazard per day: assignees and zone heads the day before,
    and assignees, zone heads and supervisors each day a hazard is overdue."""
    due = _run(lambda: overdue.remind_due_tomorrow(site_today()))
    late = _run(lambda: overdue.remind_overdue(site_today()))
    click.echo(f"Reminded of hazards: {due} due tomorrow, {late} overdue.")


audit_cli = AppGroup("audit", help="The tamper-evident hazard history.")


def _echo_anchor_head():
    lines, digest = chain_anchor.anchor_head()
    click.echo(f"Anchor head: {lines} lines, sha256 {digest}… ({chain_anchor.anchor_path()})")


@audit_cli.command("verify")
def audit_verify_command():
    """Check every hazard's keyed chain, its anchored head and its row; exit 1 naming each problem."""
    problems = list(event_chain.verify_history())
    for where, problem in problems:
        click.echo(f"{where}: {problem}")
    _echo_anchor_head()
    if problems:
        raise click.ClickException(f"{len(problems)} problems in the hazard history")
    click.echo("Every hazard's history is intact.")


@audit_cli.command("anchor")
@click.option("--rebase", is_flag=True, help="After a restore: anchor the restored heads from here on.")
def audit_anchor_command(rebase):
    """Append each hazard's head that the anchor file lacks (cron; after an upgrade or a crash)."""
    written, refused = event_chain.anchor_heads(rebase=rebase)
    click.echo(f"Anchored {written} heads.")
    _echo_anchor_head()
    if refused:
        listed = ", ".join(refused[:20]) + (" …" if len(refused) > 20 else "")
        hint = "" if rebase else " (after a restore: --rebase)"
        raise click.ClickException(f"not anchored, see `audit verify`{hint}: {listed}")


dashboard_cli = AppGroup("dashboard", help="The supervisors' dashboard.")


@dashboard_cli.command("rebuild-rollup")
def rebuild_rollup_command():
    """Recompute the dashboard rollup from the hazard table (safe while the app runs)."""
    count = _run(lambda: rollup.rebuild_rollup(db.session.connection(), site_zone()))
    click.echo(f"Rebuilt the dashboard rollup from {count} hazards.")


@click.command("backup")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(target):
    """Back up the database (SQLite, or PostgreSQL with pg_dump) and then the photo store (folder
    or bucket) into TARGET while the app runs."""
    copied = _run(lambda: backups.backup(target, photo_store))
    click.echo(f"Backed up the database and {copied} photo files into {target}.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(source):
    """Restore a backup made by `flask backup` (stop the app first): the database, then the photos."""
    written = _run(lambda: backups.restore(source, photo_store))
    click.echo(f"Restored the database and {written} photo files from {source}.")


def _deliver_due(send, batch, lease, max_attempts):
    """Claim and send batches until nothing is due; answers (sent, failed)."""
    sent = failed = 0
    while rows := deliveries.claim_due(batch, lease):
        db.session.commit()  # the claim is seen by any other worker before a message goes out
        for delivery in rows:
            went = deliveries.send_one(delivery, send, max_attempts)
            db.session.commit()  # each outcome on its own: a kill loses at most the one in hand
            sent, failed = sent + went, failed + (not went)
    return sent, failed


notify_cli = AppGroup("notify", help="Notifications to WeCom, DingTalk, Feishu, e-mail and webhooks.")


@notify_cli.command("deliver")
@click.option("--once", is_flag=True, help="Send what is due now and exit (for cron).")
@click.option("--batch", default=20, show_default=True, help="Deliveries claimed at a time.")
def deliver_command(once, batch):
    """Make the digests that are due, send the due deliveries, retrying failures with growing
    pauses; loops unless --once."""
    config = current_app.config
    channels.point_robots(config["NOTIFY_ENDPOINTS"])
    send = partial(channels.send, smtp_url=config["NOTIFY_SMTP_URL"])
    lease = timedelta(seconds=config["NOTIFY_LEASE_SECONDS"])
    while True:
        digests.make_due_digests()
        db.session.commit()
        sent, failed = _deliver_due(send, batch, lease, config["NOTIFY_MAX_ATTEMPTS"])
        if sent or failed or once:
            click.echo(f"Sent {sent}, failed {failed}.")
        if once:
            return
        time.sleep(config["NOTIFY_POLL_SECONDS"])


def register_commands(app):
    commands = (
        seed_demo_command,
        users_cli,
        zones_cli,
        posts_cli,
        photos_cli,
        hazards_cli,
        audit_cli,
        dashboard_cli,
        notify_cli,
    )
    for command in (*commands, backup_command, restore_command):
        app.cli.add_command(command)
