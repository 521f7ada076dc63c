"""EXIF is whatever the file says (issue 20): any capture time, offset, position or orientation,
of any type, in a real upload or a guest report gives a stored photo whose metadata is unknown or
plausible, and nothing of the block survives in the stored files; never a 5xx.

Hypothesis writes the blocks byte by byte (tests/images.py raw_exif), wrong types included;
the examples are fixed (derandomize) so a run never fails by chance."""

import io
import os
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.field.photos import Photo
from server.models.places.zones import Zone
from server.services.accounts.users import GUEST_USERNAME
from tests.conftest import assert_problem
from tests.images import exif_block, exif_entry, jpeg, raw_exif
from tests.object_store import stored_bytes

# Pillow warns of every tag with more values than it expects; here that is the point.
pytestmark = pytest.mark.filterwarnings("ignore:Metadata Warning:UserWarning")
FLOOR = datetime(2000, 1, 1, tzinfo=UTC)
FUZZ = settings(
    max_examples=int(os.environ.get("EXIF_EXAMPLES", "40")),  # EXIF_EXAMPLES=2000 for a long run
    deadline=None,
    derandomize=True,
    database=None,
    # The app, its database and the signed-in client are shared by every example on purpose:
    # each example uploads under a new client UUID, so none sees another's state.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# --- strategies: each tag absent, plausible, hostile, or of any other TIFF type --------------

U32 = st.one_of(st.sampled_from([0, 1, 59, 60, 90, 180, 2**31, 2**32 - 1]), st.integers(0, 2**32 - 1))
S32 = st.integers(-(2**31), 2**31 - 1)
ONE_VALUE = {
    "byte": st.integers(0, 255),
    "sbyte": st.integers(-128, 127),
    "short": st.integers(0, 2**16 - 1),
    "sshort": st.integers(-(2**15), 2**15 - 1),
    "long": U32,
    "slong": S32,
    "long8": st.integers(0, 2**64 - 1),
    "rational": st.tuples(U32, U32),  # zero denominators included
    "srational": st.tuples(S32, S32),
    "float": st.floats(width=32),  # NaN and inf included
    "double": st.floats(),
}


def wrong_type(tag):
    """The tag as raw bytes, NULs and high bytes included, or as 0-4 numbers of any type."""
    raw = st.sampled_from(["ascii", "undefined"]).flatmap(
        lambda kind: st.binary(max_size=40).map(lambda data: exif_entry(tag, kind, data))
    )
    numbers = st.sampled_from(sorted(ONE_VALUE)).flatmap(
        lambda kind: st.lists(ONE_VALUE[kind], max_size=4).map(lambda values: exif_entry(tag, kind, values))
    )
    return st.one_of(raw, numbers)


def text(tag, texts):
    return texts.map(lambda value: exif_entry(tag, "ascii", value.encode("latin-1") + b"\0"))


def exif_time(moment):
    return f"{moment.year:04d}:{moment.month:02d}:{moment.day:02d} {moment:%H:%M:%S}"


DATES = st.one_of(
    st.sampled_from(
        [
            "0001:01:01 00:00:00",
            "9999:12:31 23:59:59",
            "1970:01:01 00:00:00",
            "2000:01:01 00:00:00",
            "0000:00:00 00:00:00",
            "    :  :     :  :  ",
            "2026:02:30 10:00:00",
            "2026:11:20 24:00:00",
        ]
    ),
    st.datetimes(datetime(1999, 12, 30), datetime(2027, 1, 5)).map(exif_time),  # around the bounds
    st.datetimes(datetime(1, 1, 1), datetime(9999, 12, 31)).map(exif_time),
    st.text("0123456789: \0\xb2\xff", max_size=24),  # Pillow reads ASCII tags as Latin-1
)
OFFSETS = st.one_of(
    st.sampled_from(["+08:00", "-14:00", "+14:00", "+14:01", "-99:59", "+00:60", "+99999999999999999999:00"]),
    st.builds("{}{:02d}:{:02d}".format, st.sampled_from("+- "), st.integers(0, 99), st.integers(0, 99)),
    st.text("+-0123456789: \0", max_size=12),
)
HEMISPHERES = st.sampled_from(["N", "S", "E", "W", "X", "", "n", "NS", "N\0S"])
POSITION = st.tuples(st.integers(0, 180), st.integers(0, 59), st.integers(0, 5999)).map(
    lambda dms: [(dms[0], 1), (dms[1], 1), (dms[2], 100)]
)
RATIONALS = st.one_of(POSITION, st.lists(st.tuples(U32, U32), max_size=4))


def gps_entries(lat_parts, lng_parts, refs=("N", "E")):
    """A GPS IFD as a camera writes it: hemisphere letters and (d, m, s) rationals."""
    return [
        exif_entry(1, "ascii", refs[0].encode() + b"\0"),
        exif_entry(2, "rational", lat_parts),
        exif_entry(3, "ascii", refs[1].encode() + b"\0"),
        exif_entry(4, "rational", lng_parts),
    ]


WELL_FORMED_GPS = st.builds(
    gps_entries, POSITION, POSITION, st.tuples(st.sampled_from("NS"), st.sampled_from("EW"))
)


def tag(number, plausible):
    """Absent, plausible (twice as likely) or of a wrong type."""
    return st.one_of(st.none(), plausible, plausible, wrong_type(number))


@st.composite
def exif_blocks(draw):
    """A whole EXIF block: orientation and resolution (Pillow reads them while opening), capture
    time and offset, and the GPS position (well-formed, to be kept when in range, or tag by tag)."""
    ifd0 = [
        draw(tag(0x0112, st.integers(0, 9).map(lambda value: exif_entry(0x0112, "short", [value])))),
        draw(tag(0x011A, st.just(exif_entry(0x011A, "rational", [(72, 1)])))),
        draw(tag(0x0128, st.just(exif_entry(0x0128, "short", [2])))),
    ]
    details = [draw(tag(0x9003, text(0x9003, DATES))), draw(tag(0x9011, text(0x9011, OFFSETS)))]
    gps = draw(st.one_of(st.none(), WELL_FORMED_GPS)) or [
        draw(tag(1, text(1, HEMISPHERES))),
        draw(tag(2, RATIONALS.map(lambda parts: exif_entry(2, "rational", parts)))),
        draw(tag(3, text(3, HEMISPHERES))),
        draw(tag(4, RATIONALS.map(lambda parts: exif_entry(4, "rational", parts)))),
    ]
    return raw_exif(*([entry for entry in entries if entry] for entries in (ifd0, details, gps)))


# --- the real endpoints ---------------------------------------------------------------------


def upload(client, data):
    form = {"file": (io.BytesIO(data), "photo.jpg"), "client_uuid": str(uuid.uuid4())}
    return client.post("/api/v1/photos", data=form, content_type="multipart/form-data")


def guest_report(client, token, data):
    form = {
        "client_uuid": str(uuid.uuid4()),
        "title": "电缆沟盖板破损",
        "photos": [(io.BytesIO(data), "p.jpg")],
    }
    return client.post(f"/api/v1/public/zones/{token}/reports", data=form, content_type="multipart/form-data")


@pytest.fixture
def worker(login_as):
    return login_as("worker")


@pytest.fixture
def guest_zone(app, world):
    """The token of team A's zone, opened to guest reports."""
    with app.app_context():
        zone = db.session.get(Zone, world.zones["A"].id)
        zone.guest_reports = True
        db.session.commit()
        return zone.qr_token


def stored(app, photo_id=None):
    """The photo's row and its two stored files; without an id, the guests' latest photo."""
    with app.app_context():
        query = select(Photo)
        if photo_id is None:
            guest = select(User.id).where(User.username == GUEST_USERNAME).scalar_subquery()
            query = query.where(Photo.uploader_id == guest).order_by(Photo.id.desc()).limit(1)
        else:
            query = query.where(Photo.id == photo_id)
        photo = db.session.scalars(query).one()
        files = [stored_bytes(photo.storage_key, name) for name in ("full", "thumb")]
        return photo, files


def refused_unreadable(response):
    """Never a 5xx: a 201, or the one refusal an image may earn, 415 problem+json. Pillow 13
    cannot open a JPEG whose XResolution is an empty string (an IndexError in its DPI reader
    reads as "not a JPEG"), so that block is refused cleanly rather than stored."""
    assert response.status_code in (201, 415), response.get_data(as_text=True)
    if response.status_code == 201:
        return False
    assert_problem(response, 415, "unsupported-image")
    return True


def assert_stored_sanely(photo, files):
    """The capture time and position unknown or plausible; no metadata in either file."""
    assert photo.taken_at is None or FLOOR <= photo.taken_at <= datetime.now(UTC) + timedelta(days=1)
    assert (photo.lat is None) == (photo.lng is None)
    assert photo.lat is None or (-90 <= photo.lat <= 90 and -180 <= photo.lng <= 180)
    for data in files:
        image = Image.open(io.BytesIO(data))
        assert not image.getexif() and not image.getexif().get_ifd(0x8825)
        assert b"Exif\0\0" not in data


@FUZZ
@given(block=exif_blocks())
def test_any_exif_block_in_an_upload_is_stored_with_sane_metadata_and_stripped(app, worker, block):
    response = upload(worker, jpeg(64, 48, exif=block))
    if not refused_unreadable(response):
        assert_stored_sanely(*stored(app, response.get_json()["id"]))


@FUZZ
@given(block=exif_blocks())
def test_any_exif_block_in_a_guest_report_is_stored_with_sane_metadata_and_stripped(app, guest_zone, block):
    response = guest_report(app.test_client(), guest_zone, jpeg(64, 48, exif=block))
    if not refused_unreadable(response):
        assert_stored_sanely(*stored(app))


# --- the probe's cases, one by one ----------------------------------------------------------


HERE = [(30, 1), (16, 1), (2676, 100)], [(120, 1), (9, 1), (1836, 100)]


@pytest.mark.parametrize(
    "taken, offset",
    [
        ("0001:01:01 00:00:00", "+08:00"),  # overflowed datetime: a 500
        ("9999:12:31 23:59:59", "-08:00"),  # overflowed datetime: a 500
        ("9999:12:31 23:59:59", "+08:00"),  # stored as an impossible date
        ("9999:12:31 23:59:59", None),
        ("1970:01:01 00:00:00", None),  # a dead clock (Unix epoch)
        ("1970:01:01 08:00:00", "+08:00"),
        ("2000:01:01 00:00:00", None),  # a dead clock (the usual reset)
        ("2000:01:01 00:00:00", "+08:00"),
        ("2000:01:01 17:42:05", None),  # a dead clock that ticked on since
    ],
)
def test_an_impossible_capture_time_is_unknown(app, worker, taken, offset):
    response = upload(worker, jpeg(64, 48, exif=exif_block(taken=taken, offset=offset)))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["taken_at"] is None
    assert stored(app, response.get_json()["id"])[0].taken_at is None


@pytest.mark.parametrize(
    "offset, taken_at",
    [
        ("+14:00", "2026-11-19T19:30:00+00:00"),
        ("-14:00", "2026-11-20T23:30:00+00:00"),
        ("+14:30", "2026-11-20T01:30:00+00:00"),  # beyond ±14 h: the site's zone
        ("+08:60", "2026-11-20T01:30:00+00:00"),
        ("+99999999999999999999:00", "2026-11-20T01:30:00+00:00"),
    ],
)
def test_an_offset_beyond_14_hours_is_unknown_and_the_site_zone_applies(worker, offset, taken_at):
    body = upload(
        worker, jpeg(64, 48, exif=exif_block(taken="2026:11:20 09:30:00", offset=offset))
    ).get_json()
    assert body["taken_at"] == taken_at


def test_a_capture_time_more_than_a_day_ahead_of_the_clock_is_unknown(worker):
    now = datetime.now(UTC).replace(microsecond=0)
    bound = (now + timedelta(days=1)).astimezone(timezone(timedelta(hours=8)))
    with time_machine.travel(now, tick=False):
        answers = [
            upload(worker, jpeg(64, 48, exif=exif_block(taken=exif_time(moment), offset="+08:00")))
            for moment in (bound, bound + timedelta(seconds=1))
        ]
    assert [answer.status_code for answer in answers] == [201, 201]
    assert [answer.get_json()["taken_at"] for answer in answers] == [bound.astimezone(UTC).isoformat(), None]


@pytest.mark.parametrize(
    "gps",
    [
        gps_entries([(30, 0), (0, 0), (0, 0)], [(120, 0), (0, 0), (0, 0)]),  # zero denominators
        gps_entries([(30, 1), (75, 1), (0, 1)], HERE[1]),  # 75 minutes
        gps_entries([(30, 1), (16, 1), (60, 1)], HERE[1]),  # 60 seconds
        gps_entries([(91, 1), (0, 1), (0, 1)], HERE[1]),
        gps_entries(HERE[0], [(180, 1), (0, 1), (1, 100)]),  # just beyond 180°
        gps_entries(*HERE, refs=("X", "E")),  # no such hemisphere
        gps_entries(*HERE, refs=("N", "")),
        gps_entries([(30, 1), (16, 1)], HERE[1]),  # two parts, not three
        [*gps_entries(*HERE)[:3], exif_entry(4, "double", [120.15, float("nan"), 0.0])],
        [*gps_entries(*HERE)[:3], exif_entry(4, "long8", [2**64 - 1, 0, 0])],
        [*gps_entries(*HERE)[:3], exif_entry(4, "srational", [(-120, 1), (9, 1), (1836, 100)])],
        [*gps_entries(*HERE)[:3], exif_entry(4, "ascii", b"120.1551\0")],
    ],
)
def test_an_impossible_position_is_unknown(app, worker, gps):
    response = upload(worker, jpeg(64, 48, exif=raw_exif(gps=gps)))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert (response.get_json()["lat"], response.get_json()["lng"]) == (None, None)


def test_a_plausible_position_in_the_southern_and_western_hemispheres_is_kept(worker):
    body = upload(worker, jpeg(64, 48, exif=raw_exif(gps=gps_entries(*HERE, refs=("S", "W"))))).get_json()
    assert (body["lat"], body["lng"]) == pytest.approx((-30.2741, -120.1551), abs=1e-4)


@pytest.mark.parametrize(
    "entry",
    [
        exif_entry(0x9003, "undefined", b"2026:11:20 09:30:00"),
        exif_entry(0x9003, "long8", [2**64 - 1]),
        exif_entry(0x9003, "double", [float("nan")]),
        exif_entry(0x9003, "ascii", b"2026:11:20\x0009:30:00\0"),
    ],
)
def test_a_capture_time_of_the_wrong_type_is_unknown(worker, entry):
    response = upload(worker, jpeg(64, 48, exif=raw_exif(exif=[entry])))
    assert response.status_code == 201 and response.get_json()["taken_at"] is None


def test_a_rotated_photo_with_a_value_pillow_cannot_write_back_is_stored_upright(worker):
    block = raw_exif(ifd0=[exif_entry(0x0112, "short", [6])], exif=[exif_entry(0x9010, "long8", [2**64 - 1])])
    response = upload(worker, jpeg(64, 48, exif=block))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert (response.get_json()["width"], response.get_json()["height"]) == (48, 64)


def test_an_impossible_capture_time_in_a_guest_report_is_unknown(app, guest_zone):
    data = jpeg(64, 48, exif=exif_block(taken="0001:01:01 00:00:00", offset="+08:00"))
    response = guest_report(app.test_client(), guest_zone, data)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert stored(app)[0].taken_at is None
