"""Photo pipeline: formats by content, EXIF read then stripped, bombs and junk refused, replay-safe.

Every test on `app` runs on both photo stores: the folder and a bucket of the S3 server."""

import io
import os
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from PIL import Image
from sqlalchemy import func, select, update

from server.extensions import db
from server.models.field.photos import Photo
from server.services.field import photo_store
from tests.conftest import assert_problem
from tests.images import encoded, exif_block, jpeg, jpeg_bomb, jpeg_with_huge_exif, png_bomb


def upload(client, data, name="photo.jpg", client_uuid=None, **fields):
    form = {"file": (io.BytesIO(data), name), "client_uuid": client_uuid or str(uuid.uuid4()), **fields}
    return client.post("/api/v1/photos", data=form, content_type="multipart/form-data")


@pytest.fixture
def app(make_app, photo_store_settings):
    return make_app(**photo_store_settings)


# Refused before anything is stored: the bucket would add nothing to these.
FOLDER_ONLY = pytest.mark.parametrize("photo_store_settings", ["local"], indirect=True)


def stored_files(app):
    """The names of the objects in the app's photo store (folder or bucket)."""
    with app.app_context():
        return sorted(photo_store.names())


def stored_bytes(app):
    with app.app_context():
        return [photo_store.backend().open(name).stream.read() for name in photo_store.names()]


def photo_rows(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Photo))


def test_portrait_photo_comes_out_upright_with_metadata_read_then_stripped(app, login_as):
    client = login_as("worker")
    data = jpeg(1200, 900, exif_block(orientation=6, lat=30.2741, lng=120.1551, offset="+08:00"))
    response = upload(client, data)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["width"], body["height"]) == (900, 1200)
    assert body["lat"] == pytest.approx(30.2741, abs=1e-4) and body["lng"] == pytest.approx(
        120.1551, abs=1e-4
    )
    assert body["taken_at"] == "2026-11-20T01:30:00+00:00"
    full = client.get(f"/api/v1/photos/{body['id']}/full.jpg")
    image = Image.open(io.BytesIO(full.data))
    assert image.size == (900, 1200)
    assert (
        image.getpixel((450, 100))[0] > 150 and image.getpixel((450, 1100))[2] > 150
    )  # red top, blue bottom
    for rendition in ("full", "thumb"):
        raw = client.get(f"/api/v1/photos/{body['id']}/{rendition}.jpg").data
        assert b"Exif\x00\x00" not in raw and b"TestCam" not in raw and b"http://ns.adobe.com/xap" not in raw
    thumb = Image.open(io.BytesIO(client.get(f"/api/v1/photos/{body['id']}/thumb.jpg").data))
    assert max(thumb.size) == 320


def test_a_12_megapixel_photo_is_stored_at_1600_px(app, login_as):
    body = upload(login_as("worker"), jpeg(4000, 3000)).get_json()
    assert (body["width"], body["height"]) == (1600, 1200)


def test_capture_time_without_offset_is_site_time(login_as):
    body = upload(login_as("worker"), jpeg(exif=exif_block(taken="2026:11:20 09:30:00"))).get_json()
    assert body["taken_at"] == "2026-11-20T01:30:00+00:00" and body["lat"] is None


def test_phone_sent_metadata_fills_in_for_a_compressed_upload(login_as):
    body = upload(
        login_as("worker"), jpeg(), taken_at="2026-11-21T08:00:00+08:00", lat="30.5", lng="120.5"
    ).get_json()
    assert body["taken_at"] == "2026-11-21T00:00:00+00:00" and body["lat"] == 30.5 and body["lng"] == 120.5


@pytest.mark.parametrize("format_name", ["PNG", "WEBP", "HEIF"])
def test_png_webp_and_heic_are_stored_as_jpeg(login_as, format_name):
    client = login_as("worker")
    body = upload(client, encoded(format_name), name="x.bin").get_json()
    assert (body["width"], body["height"]) == (400, 300)
    assert client.get(f"/api/v1/photos/{body['id']}/full.jpg").data[:3] == b"\xff\xd8\xff"


def test_file_name_is_ignored(login_as):
    assert upload(login_as("worker"), jpeg(), name="../../instance/evil.php").status_code == 201


HOSTILE = {
    "zero bytes": b"",
    "random bytes": os.urandom(2048),
    "truncated jpeg": jpeg(800, 600)[:3000],
    "gif": encoded("GIF"),
    "bmp": encoded("BMP"),
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
    "html named jpg": b"<html><script>alert(1)</script></html>",
}


@FOLDER_ONLY
@pytest.mark.parametrize("name", list(HOSTILE))
def test_non_images_are_415_and_leave_nothing_behind(app, login_as, name):
    client = login_as("worker")
    assert_problem(upload(client, HOSTILE[name]), 415)
    assert stored_files(app) == [] and photo_rows(app) == 0


@FOLDER_ONLY
def test_a_decompression_bomb_is_413_before_decoding(app, login_as):
    response = upload(login_as("worker"), png_bomb(), name="bomb.png")  # 900 MP in 109 KB
    assert_problem(response, 413, "image-too-large")
    assert stored_files(app) == [] and photo_rows(app) == 0


@FOLDER_ONLY
def test_an_image_between_the_cap_and_twice_it_is_refused(app, login_as):
    buffer = io.BytesIO()
    Image.new("1", (8000, 7000)).save(buffer, "PNG")  # 56 MP: Pillow alone would only warn
    assert_problem(upload(login_as("worker"), buffer.getvalue()), 413)


@FOLDER_ONLY
def test_a_body_over_the_limit_is_413(app, login_as):
    assert_problem(upload(login_as("worker"), b"\xff" * (8 * 1024 * 1024 + 10)), 413)
    assert stored_files(app) == []


@FOLDER_ONLY
@pytest.mark.parametrize(
    "form",
    [
        {"client_uuid": "not-a-uuid"},
        {"client_uuid": ""},
        {"lat": "91"},
        {"lat": "30"},
        {"taken_at": "yesterday"},
    ],
)
def test_bad_form_fields_are_422(app, login_as, form):
    client = login_as("worker")
    data = {"file": (io.BytesIO(jpeg()), "p.jpg"), "client_uuid": str(uuid.uuid4()), **form}
    response = client.post("/api/v1/photos", data=data, content_type="multipart/form-data")
    assert_problem(response, 422)
    assert stored_files(app) == []


@FOLDER_ONLY
def test_missing_file_is_422_and_json_is_415(login_as):
    client = login_as("worker")
    response = client.post(
        "/api/v1/photos", data={"client_uuid": str(uuid.uuid4())}, content_type="multipart/form-data"
    )
    assert "file" in assert_problem(response, 422)["errors"]
    assert_problem(client.post("/api/v1/photos", json={"client_uuid": str(uuid.uuid4())}), 415)


def test_the_same_client_uuid_replays_the_first_photo(app, login_as):
    client = login_as("worker")
    key, data = str(uuid.uuid4()), jpeg()
    first = upload(client, data, client_uuid=key)
    again = upload(client, data, client_uuid=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert photo_rows(app) == 1 and len(stored_files(app)) == 2
    assert_problem(upload(client, jpeg(quality=50), client_uuid=key), 422)
    other = upload(login_as("worker", "B"), data, client_uuid=key)
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]


def test_racing_replays_store_one_photo(app, world):
    clients = [app.test_client() for _ in range(4)]
    for client in clients:
        client.login("worker-a")
    key, data, statuses = str(uuid.uuid4()), jpeg(), []

    def send(client):
        statuses.append(upload(client, data, client_uuid=key).status_code)

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 200, 201]
    assert photo_rows(app) == 1 and len(stored_files(app)) == 2


def test_an_unattached_photo_is_seen_only_by_its_uploader_and_admins(login_as):
    owner = login_as("worker")
    photo_id = upload(owner, jpeg()).get_json()["id"]
    response = owner.get(f"/api/v1/photos/{photo_id}/full.jpg")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert response.headers["Content-Disposition"] == f'inline; filename="photo-{photo_id}.jpg"'
    etag = {"If-None-Match": response.headers["ETag"]}
    again = owner.get(f"/api/v1/photos/{photo_id}/full.jpg", headers=etag)
    assert again.status_code == 304
    # A 304 updates the cached copy's headers: "no-store" here would evict the photo it confirms.
    assert again.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert login_as("admin").get(f"/api/v1/photos/{photo_id}/thumb.jpg").status_code == 200
    for role in ("zone_head", "supervisor"):
        assert_problem(login_as(role).get(f"/api/v1/photos/{photo_id}/full.jpg"), 404)
    assert_problem(owner.get("/api/v1/photos/999999/full.jpg"), 404)


def test_daily_quota(make_app, world):
    app = make_app(PHOTO_DAILY_QUOTA=2)
    client = app.test_client()
    client.login("worker-a")
    assert upload(client, jpeg()).status_code == 201 and upload(client, jpeg(quality=80)).status_code == 201
    response = upload(client, jpeg(quality=70))
    assert_problem(response, 429)
    assert response.headers["Retry-After"]


def test_gc_removes_old_unattached_photos_and_stray_files(app, login_as):
    client = login_as("worker")
    old_id = upload(client, jpeg()).get_json()["id"]
    new_id = upload(client, jpeg(quality=60)).get_json()["id"]
    with app.app_context():
        db.session.execute(
            update(Photo).where(Photo.id == old_id).values(created_at=datetime.now(UTC) - timedelta(days=8))
        )
        db.session.commit()
    with app.app_context():
        photo_store.backend().write("ab/tmp-deadbeef", b"half a photo")  # a crash mid-write
        photo_store.backend().write("cd/cd0123.full.jpg", b"no row names it")  # a crash before the row
    with time_machine.travel(datetime.now(UTC) + timedelta(days=2)):  # past the strays' 24 hours
        result = app.test_cli_runner().invoke(args=["photos", "gc"])
    assert result.exit_code == 0, result.output
    assert "1 unattached photos and 2 stray" in result.output
    assert "ab/tmp-deadbeef" not in stored_files(app) and "cd/cd0123.full.jpg" not in stored_files(app)
    assert_problem(client.get(f"/api/v1/photos/{old_id}/full.jpg"), 404)
    assert client.get(f"/api/v1/photos/{new_id}/full.jpg").status_code == 200
    assert len(stored_files(app)) == 2


def test_a_photo_whose_file_is_gone_is_404_and_gc_reports_it(app, login_as):
    client = login_as("worker")
    photo_id = upload(client, jpeg()).get_json()["id"]
    with app.app_context():
        for name in photo_store.names():
            if name.endswith(".full.jpg"):
                photo_store.delete(name)  # restored without the photo store, say
    body = assert_problem(client.get(f"/api/v1/photos/{photo_id}/full.jpg"), 404, "not-found")
    assert "照片文件缺失" in body["detail"]
    assert client.get(f"/api/v1/photos/{photo_id}/thumb.jpg").status_code == 200
    result = app.test_cli_runner().invoke(args=["photos", "gc"])
    assert result.exit_code == 1, result.output  # cron mails a failing job's output
    assert f"photo {photo_id}" in result.output and "file missing" in result.output
    assert photo_rows(app) == 1  # the row stays: it is what the history points at


def _multipart(parts):
    """A raw multipart body, for names no client library would send."""
    boundary = b"hostile-boundary"
    body = b"".join(
        b"--" + boundary + b"\r\nContent-Disposition: form-data; " + header + b"\r\n\r\n" + value + b"\r\n"
        for header, value in parts
    )
    return body + b"--" + boundary + b"--\r\n", "multipart/form-data; boundary=hostile-boundary"


@FOLDER_ONLY
def test_a_jpeg_decompression_bomb_is_413_and_leaves_nothing(app, login_as):
    assert_problem(upload(login_as("worker"), jpeg_bomb()), 413, "image-too-large")
    assert stored_files(app) == [] and photo_rows(app) == 0


@FOLDER_ONLY
def test_a_30_mb_body_is_413_and_leaves_nothing(app, login_as):
    assert_problem(upload(login_as("worker"), b"\xff" * (30 * 1024 * 1024)), 413)
    assert stored_files(app) == [] and photo_rows(app) == 0


def test_a_jpeg_html_polyglot_is_stored_without_its_payload(app, login_as):
    response = upload(login_as("worker"), jpeg(320, 240) + b"<html><script>alert(1)</script></html>")
    assert response.status_code == 201
    assert all(b"<script" not in data for data in stored_bytes(app))


SECRETS = (b"Exif", b"SECRET", b"http://ns.adobe.com")


def _with_every_metadata(orientation=None, **options):
    """An 800 px JPEG with every kind of metadata a file may carry, and a payload after its end."""
    buffer = io.BytesIO()
    Image.open(io.BytesIO(jpeg(800, 600))).save(
        buffer, "JPEG", quality=80, exif=exif_block(orientation=orientation, lat=30.2741, lng=120.1551),
        xmp=b"<x:xmpmeta>XMP-SECRET</x:xmpmeta>", icc_profile=b"ICC-SECRET" * 50, comment=b"COMMENT-SECRET",
        **options,
    )  # fmt: skip
    return buffer.getvalue() + b"<html>PAYLOAD-SECRET</html>"


def _stored_clean(app, response):
    """(full, thumb) as stored, after checking that neither holds any of the upload's metadata."""
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["taken_at"] and response.get_json()["lat"] == pytest.approx(30.2741, abs=1e-4)
    full, thumb = sorted(stored_bytes(app), key=len, reverse=True)
    for data in (full, thumb):
        assert not Image.open(io.BytesIO(data)).getexif()
        assert [secret for secret in SECRETS if secret in data] == []
    return full, thumb


@pytest.mark.parametrize(
    "options",
    [{}, {"progressive": True}, {"restart_marker_blocks": 4}],
    ids=["baseline", "progressive", "restarts"],
)
def test_an_upright_jpeg_is_kept_as_sent_without_any_metadata(app, login_as, options):
    """The app's own upload (drawn upright at 1600 px or less, pwa/src/photos.js) is not decoded
    and encoded again (the most of an upload's CPU, and a generation of quality): its coded pixels
    are kept byte for byte, and its metadata cut out."""
    sent = _with_every_metadata(**options)
    full, thumb = _stored_clean(app, upload(login_as("worker"), sent))
    assert Image.open(io.BytesIO(full)).tobytes() == Image.open(io.BytesIO(sent)).tobytes()
    assert Image.open(io.BytesIO(thumb)).size == (320, 240)


def _segment(marker, payload):
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


@pytest.mark.parametrize(
    "extra",
    [
        _segment(0xE0, b"JFXX\x00\x10" + b"<html>PAYLOAD-SECRET</html>"),  # a JFIF extension's thumbnail
        _segment(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01" + b"<html>PAYLOAD-SECRET</html>"),
        _segment(0xDC, b"PAYLOAD-SECRET"),  # DNL: decoders skip it where it stands
    ],
    ids=["jfxx-thumbnail", "long-adobe", "unknown-segment"],
)
def test_whatever_a_jpeg_holds_besides_its_picture_is_not_stored(app, login_as, extra):
    sent = _with_every_metadata()
    _stored_clean(app, upload(login_as("worker"), sent[:2] + extra + sent[2:]))


def test_a_turned_camera_file_is_encoded_upright_without_any_metadata(app, login_as):
    """A file that needs turning is decoded and encoded again: its comment went along (Pillow
    writes the source's COM segment again unless told not to)."""
    full, thumb = _stored_clean(app, upload(login_as("worker"), _with_every_metadata(orientation=6)))
    assert Image.open(io.BytesIO(full)).size == (600, 800) and Image.open(io.BytesIO(thumb)).size == (
        240,
        320,
    )


def test_a_jpeg_cut_short_is_refused(app, login_as):
    sent = _with_every_metadata()
    assert_problem(upload(login_as("worker"), sent[: len(sent) // 2]), 415, "unsupported-image")
    assert stored_files(app) == [] and photo_rows(app) == 0


def test_a_huge_exif_block_is_read_and_stripped(app, login_as):
    response = upload(login_as("worker"), jpeg_with_huge_exif())
    assert response.status_code == 201, response.get_json()
    assert all(b"MMMMMMMM" not in data and b"Exif\x00\x00" not in data for data in stored_bytes(app))


@FOLDER_ONLY
@pytest.mark.parametrize(
    "header",
    [
        'name="file"; filename="照片.jpg"'.encode("gb18030"),  # non-UTF-8 bytes in the file name
        b'name="file"; filename="\xff\xfe\x00.jpg"',
    ],
)
def test_non_utf8_file_names_are_422_and_leave_nothing(app, login_as, header):
    """Werkzeug drops a form whose part headers are not UTF-8, so the file is missing."""
    body, content_type = _multipart([(header, jpeg()), (b'name="client_uuid"', str(uuid.uuid4()).encode())])
    response = login_as("worker").post("/api/v1/photos", data=body, content_type=content_type)
    assert_problem(response, 422, "validation")
    assert stored_files(app) == [] and photo_rows(app) == 0


@FOLDER_ONLY
@pytest.mark.parametrize("path", ["/api/v1/photos", "/api/v1/users/import", "/api/v1/zones/import"])
def test_a_part_without_a_name_is_a_4xx_not_a_500(app, login_as, path):
    """Found by schemathesis: Flask-WTF looked through the form's field names for a token, and
    Werkzeug names a part whose Content-Disposition has a bare `name` None."""
    body, content_type = _multipart([(b"name", b"true"), (b'name="file"; filename="f.jpg"', b"x")])
    response = login_as("admin").post(path, data=body, content_type=content_type)
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert stored_files(app) == [] and photo_rows(app) == 0
