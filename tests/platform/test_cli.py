"""Command-line tasks: demo data, accounts and imports."""

from sqlalchemy import func, select

from server.extensions import db
from server.models.accounts.users import User
from server.models.field.checkins import CheckIn
from server.models.field.patrols import Patrol
from server.models.loop.hazards import Hazard, HazardEvent
from server.models.places.posts import Post
from server.models.places.zones import Zone
from server.services.platform.clock import site_today


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_demo_loads_a_realistic_company_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "safe-zone-2026" in result.output and "admin" in result.output
    with app.app_context():
        roles = set(db.session.scalars(select(User.role)))
        statuses = set(db.session.scalars(select(Hazard.status)))
        numbers = list(db.session.scalars(select(Hazard.number)))
    assert roles == {"worker", "zone_head", "supervisor", "admin"}
    assert statuses == {"reported", "rejected", "rectifying", "verifying", "closed"}
    assert len(numbers) == len(set(numbers)) >= 40
    assert _count(app, User) == 12 and _count(app, Zone) == 6 and _count(app, Post) == 3
    assert _count(app, Hazard, Hazard.level == "major") > 0
    with app.app_context():
        overdue = _count(app, Hazard, Hazard.status == "rectifying", Hazard.deadline < site_today())
    assert overdue > 0
    assert _count(app, HazardEvent) > _count(app, Hazard)
    assert _count(app, Patrol) > 0 and _count(app, CheckIn) > 0
    again = runner.invoke(args=["seed-demo"])
    assert "already present" in again.output and _count(app, Hazard) == len(numbers)


def test_seed_demo_if_empty_skips_a_database_with_users(app, world):
    assert app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"]).exit_code == 0
    assert _count(app, Hazard) == 0


def test_demo_logins_work(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    body = app.test_client().login("zhang", "safe-zone-2026").get_json()
    assert body["user"]["role"] == "zone_head" and len(body["user"]["zone_ids"]) == 2


def test_seed_demo_refuses_production(make_app):
    app = make_app(ENVIRONMENT="production", SECRET_KEY="k" * 40, AUDIT_KEY="a" * 40)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "production" in result.output


def test_users_create_makes_the_root_unit_on_an_empty_system(app):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "boss",
            "--name",
            "管理员",
            "--role",
            "admin",
            "--password",
            "a-long-password",
        ]
    )
    assert result.exit_code == 0, result.output
    assert app.test_client().login("boss", "a-long-password").get_json()["user"]["unit"]["code"] == "ROOT"


def test_users_create_prompts_for_the_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "boss", "--name", "N", "--role", "admin"],
        input="a-long-password\na-long-password\n",
    )
    assert result.exit_code == 0, result.output
    app.test_client().login("boss", "a-long-password")


def test_users_create_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "boss", "--name", "N", "--role", "admin", "--password", "password"]
    )
    assert result.exit_code != 0 and "password" in result.output.lower()
    assert _count(app, User) == 0


def test_users_and_zones_import_from_files(app, world, tmp_path):
    users_csv = tmp_path / "users.csv"
    users_csv.write_text(
        "username,name,role,unit_code,is_party_member\nh9,新区长,zone_head,A,1\n", encoding="utf-8"
    )
    result = app.test_cli_runner().invoke(args=["users", "import", str(users_csv)])
    assert result.exit_code == 0, result.output and "h9" in result.output
    zones_csv = tmp_path / "zones.csv"
    zones_csv.write_text("code,name,unit_code,head_username\nZ-CLI,命令行区,A,h9\n", encoding="utf-8")
    assert app.test_cli_runner().invoke(args=["zones", "import", str(zones_csv)]).exit_code == 0
    assert _count(app, Zone, Zone.code == "Z-CLI") == 1
    posts_csv = tmp_path / "posts.csv"
    posts_csv.write_text(
        "code,name,unit_code,holder_username,zone_code\nP-CLI,岗,A,h9,Z-NONE\n", encoding="utf-8"
    )
    failed = app.test_cli_runner().invoke(args=["posts", "import", str(posts_csv)])
    assert failed.exit_code != 0 and "row 2" in failed.output
