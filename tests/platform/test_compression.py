"""Bytes on the wire: JSON gzipped above a threshold for clients that accept it; photos, streamed
ledger exports and 304s untouched; the build's precompressed assets chosen by Accept-Encoding."""

import gzip
import json

import pytest

from tests.hazard_helpers import place_hazard, upload_photo

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def hazards(app, world):
    for _ in range(12):
        place_hazard(app, world.zones["A"], world.people[("worker", "A")], "reported")


def test_a_json_list_is_gzipped_for_a_client_that_accepts_it(login_as, hazards):
    client = login_as("supervisor")
    plain = client.get("/api/v1/hazards?limit=50")
    packed = client.get("/api/v1/hazards?limit=50", headers=GZIP)
    assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 3
    assert json.loads(gzip.decompress(packed.data)) == plain.get_json()


def test_small_json_and_problems_stay_plain(login_as, world):
    client = login_as("worker")
    assert "Content-Encoding" not in client.get("/api/v1/auth/me", headers=GZIP).headers
    missing = client.get("/api/v1/hazards/999999", headers=GZIP)
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert "Content-Encoding" not in missing.headers


def test_photos_keep_their_etag_and_304(login_as):
    owner = login_as("worker")
    photo_id = upload_photo(owner)
    response = owner.get(f"/api/v1/photos/{photo_id}/full.jpg", headers=GZIP)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    again = owner.get(
        f"/api/v1/photos/{photo_id}/full.jpg", headers={**GZIP, "If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304 and again.headers["ETag"] == response.headers["ETag"]


def test_the_streamed_ledger_export_is_not_buffered_to_compress(login_as, hazards):
    response = login_as("supervisor").get("/api/v1/hazards/export.csv", headers=GZIP)
    assert response.status_code == 200 and response.is_streamed and "Content-Encoding" not in response.headers
    assert response.data.decode("utf-8-sig").count("\n") == 14  # header, 12 hazards, audit anchor


@pytest.mark.parametrize(
    ("accept", "encoding", "suffix"),
    [("br, gzip", "br", ".br"), ("gzip", "gzip", ".gz"), ("identity", None, "")],
)
def test_assets_are_served_precompressed_and_immutable(make_app, tmp_path, accept, encoding, suffix):
    assets = tmp_path / "dist" / "assets"
    assets.mkdir(parents=True)
    for name, data in (("app-X.js", b"plain"), ("app-X.js.gz", b"gzipped"), ("app-X.js.br", b"brotli")):
        (assets / name).write_bytes(data)
    client = make_app(PWA_DIST=str(tmp_path / "dist")).test_client()
    response = client.get("/assets/app-X.js", headers={"Accept-Encoding": accept})
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers.get("Content-Encoding") == encoding
    assert response.data == (assets / f"app-X.js{suffix}").read_bytes()
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
