"""The photo store on an S3-compatible bucket (moto's server on loopback, through boto3): a store
that is down is a 503 that records nothing, and photos can be redirected to presigned URLs."""

import pytest
import requests
from sqlalchemy import func, select

from server import create_app
from server.extensions import db
from server.models.field.photos import Photo
from server.services.field import photo_store
from tests.conftest import TEST_SETTINGS, assert_problem
from tests.field.test_photos import upload
from tests.images import jpeg
from tests.live_server import free_port


def signed_in(app, username="worker-a"):
    client = app.test_client()
    client.login(username)
    return client


def down(settings):
    """The same bucket settings, pointed at a port nothing answers on."""
    return {**settings, "PHOTO_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}


def test_an_upload_while_the_store_is_down_is_503_and_records_nothing(make_app, world, s3_bucket):
    app = make_app(**down(s3_bucket))
    response = upload(signed_in(app), jpeg())
    body = assert_problem(response, 503, "photo-store-unavailable")
    assert response.headers["Retry-After"] == "30"
    assert "照片存储暂时无法访问" in body["detail"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Photo)) == 0


def test_a_photo_served_while_the_store_is_down_is_503_and_health_says_so(make_app, world, s3_bucket):
    photo_id = upload(signed_in(make_app(**s3_bucket)), jpeg()).get_json()["id"]
    app = make_app(**down(s3_bucket))  # the same database, the store gone
    assert_problem(signed_in(app).get(f"/api/v1/photos/{photo_id}/full.jpg"), 503, "photo-store-unavailable")
    health = app.test_client().get("/health")
    assert health.status_code == 503
    assert health.get_json() == {"status": "degraded", "database": "ok", "photo_store": "unavailable"}
    result = app.test_cli_runner().invoke(args=["photos", "gc"])
    assert result.exit_code == 1 and "photo store is not answering" in result.output


def test_redirect_mode_answers_a_presigned_url_after_the_access_check(make_app, world, s3_bucket):
    app = make_app(**s3_bucket, PHOTO_SERVE="redirect")
    owner = signed_in(app)
    data = jpeg()
    photo_id = upload(owner, data).get_json()["id"]
    response = owner.get(f"/api/v1/photos/{photo_id}/thumb.jpg")
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "private, max-age=30"
    location = response.headers["Location"]
    assert location.startswith(f"{s3_bucket['PHOTO_S3_ENDPOINT_URL']}/{s3_bucket['PHOTO_S3_BUCKET']}/")
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200 and fetched.headers["Content-Type"] == "image/jpeg"
    assert fetched.content[:3] == b"\xff\xd8\xff"
    assert f"filename*=UTF-8''photo-{photo_id}-thumb.jpg" in fetched.headers["Content-Disposition"]
    # The page may show images from the bucket; nobody else gets a URL.
    policy = response.headers["Content-Security-Policy"]
    assert f"img-src 'self' {s3_bucket['PHOTO_S3_ENDPOINT_URL']}" in policy
    assert_problem(signed_in(app, "worker-b").get(f"/api/v1/photos/{photo_id}/thumb.jpg"), 404)
    with app.app_context():
        photo_store.delete(next(name for name in photo_store.names() if name.endswith(".thumb.jpg")))
    assert_problem(owner.get(f"/api/v1/photos/{photo_id}/thumb.jpg"), 404, "not-found")


@pytest.mark.parametrize(
    "settings",
    [
        {"PHOTO_SERVE": "redirect"},  # a folder has no presigned URLs
        {"PHOTO_STORE": "s3"},  # no bucket named
        {"PHOTO_STORE": "ftp"},
    ],
)
def test_a_photo_store_configuration_that_cannot_work_refuses_to_start(tmp_path, settings):
    with pytest.raises(RuntimeError, match="PHOTO_"):
        create_app({**TEST_SETTINGS, "PHOTO_DIR": str(tmp_path), **settings})
