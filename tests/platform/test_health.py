from tests.conftest import assert_problem


def test_health_reports_the_database_without_versions_or_paths(app):
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "photo_store": "ok"}


def test_unknown_api_path_is_problem_json(app):
    assert_problem(app.test_client().get("/api/v1/nothing-here"), 404)
