from tests.conftest import assert_problem
from tests.live_server import free_port


def test_health_reports_the_database_without_versions_or_paths(app):
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "photo_store": "ok"}


def test_unknown_api_path_is_problem_json(app):
    assert_problem(app.test_client().get("/api/v1/nothing-here"), 404)


def test_health_names_redis_when_the_rate_limits_are_counted_there_and_fails_without_it(make_app):
    closed_port = free_port()  # nothing listens there: Redis is down
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{closed_port}/0")
    response = app.test_client().get("/health")
    assert response.status_code == 503
    answer = response.get_json()
    assert answer == {"status": "degraded", "database": "ok", "photo_store": "ok", "redis": "unavailable"}
