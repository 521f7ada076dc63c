"""The image pipeline, without a database: decode safely, read EXIF, make stripped renditions.

Decisions measured in DESIGN §9 Photos: formats chosen by content; the pixel cap checked on
the header before any decoding (Pillow only raises above twice its limit); JPEG decoded with
draft() to an aspect-correct box; every decode error, SyntaxError included, is a typed refusal.
EXIF is whatever the file says, so every value read from it is checked: a wrong type, an
impossible date or position is unknown (None), never an exception and never stored.
"""

import io
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from numbers import Real

import pillow_heif
from PIL import Image, UnidentifiedImageError

from server.models.base import now_utc
from server.services.platform.errors import DomainError

pillow_heif.register_heif_opener()
FORMATS = ["JPEG", "PNG", "WEBP", "HEIF"]
MAX_PIXELS = 40_000_000
FULL_EDGE = 1600
THUMB_EDGE = 320
JPEG_QUALITY = 82
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
ORIENTATION, DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x0112, 0x9003, 0x9011
# A phone with a dead clock restarts at 2000-01-01 00:00 (some at 1970-01-01) and ticks on from
# there, so the whole first day of 2000 is as unknown as that instant itself; no photo sent to
# this app was really taken then. The floor is the camera's wall-clock reading, what it wrote.
DEAD_CLOCK_DAY_END = datetime(2000, 1, 2)
FUTURE_SLACK = timedelta(days=1)  # a phone clock a little ahead, or a wrong zone, is still a date
MAX_OFFSET = timedelta(hours=14)  # UTC+14 (Kiribati) is the furthest zone there is
EXIF_DATETIME = re.compile(r"(\d{4}):(\d\d):(\d\d) (\d\d):(\d\d):(\d\d)", re.ASCII)
EXIF_OFFSET = re.compile(r"([+-])(\d\d):(\d\d)", re.ASCII)
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class UnsupportedImage(DomainError):
    status = 415
    slug = "unsupported-image"


class ImageTooLarge(DomainError):
    status = 413
    slug = "image-too-large"


@dataclass
class Processed:
    full: bytes
    thumb: bytes
    width: int
    height: int
    taken_at: datetime | None
    lat: float | None
    lng: float | None


def _open(data):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except UnidentifiedImageError as error:
        raise UnsupportedImage("errors.image_unsupported") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageTooLarge("errors.image_too_many_pixels", limit=MAX_PIXELS // 1_000_000) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise UnsupportedImage("errors.image_corrupt") from error
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageTooLarge("errors.image_too_many_pixels", limit=MAX_PIXELS // 1_000_000)
    return image


def _fit(image, edge, resample, reducing_gap):
    """The image scaled down so its long side is at most edge (never up). reducing_gap: how
    close to the final size the cheap integer reduce() (a box average) may go before resample
    does the rest (Pillow's resize); 1.0 lets reduce() take the whole integer factor."""
    if max(image.size) <= edge:
        return image
    return image.resize(_box(image.size, edge), resample, reducing_gap=reducing_gap)


def _exif_directories(image):
    """(IFD0, Exif IFD, GPS IFD) as plain dicts, empty when the block cannot be parsed."""
    try:
        exif = image.getexif()
        return dict(exif), dict(exif.get_ifd(EXIF_IFD)), dict(exif.get_ifd(GPS_IFD))
    except Exception:  # metadata is optional: a block Pillow cannot parse is no metadata
        return {}, {}, {}


def _text(value, pattern):
    """The match of an ASCII tag's whole text; bytes, numbers and tuples are not text."""
    if not isinstance(value, str):
        return None
    return pattern.fullmatch(value.strip("\x00 "))


def _offset(value):
    """OffsetTimeOriginal ("+08:00") as a zone; None when absent, malformed or beyond ±14 h."""
    match = _text(value, EXIF_OFFSET)
    if match is None or int(match[3]) >= 60:
        return None
    offset = timedelta(hours=int(match[2]), minutes=int(match[3]))
    if offset > MAX_OFFSET:
        return None
    return timezone(-offset if match[1] == "-" else offset)


def _taken_at(values, site_zone):
    """DateTimeOriginal is the camera's local time; its offset tag wins, else the site's zone.
    Before the dead-clock day or more than a day ahead of now, the time is unknown."""
    match = _text(values.get(DATETIME_ORIGINAL), EXIF_DATETIME)
    if match is None:
        return None
    try:
        moment = datetime(*(int(part) for part in match.groups()))
    except ValueError:  # 2026:02:30, 24:00:00 or year 0
        return None
    latest = now_utc() + FUTURE_SLACK
    # The wall-clock reading is bounded before any zone arithmetic, with a day to spare for the
    # zone: year 1 or 9999 shifted by an offset overflowed datetime (a 500).
    if not DEAD_CLOCK_DAY_END <= moment <= latest.replace(tzinfo=None) + timedelta(days=1):
        return None
    zone = _offset(values.get(OFFSET_TIME_ORIGINAL))
    taken_at = moment.replace(tzinfo=site_zone if zone is None else zone).astimezone(UTC)
    return taken_at if taken_at <= latest else None


def _degrees(parts, ref, hemispheres, limit):
    """Signed degrees from (degrees, minutes, seconds) and its N/S or E/W letter, or None."""
    if not (isinstance(parts, tuple) and len(parts) == 3 and all(isinstance(p, Real) for p in parts)):
        return None
    hemisphere = ref.strip("\x00 ") if isinstance(ref, str) else None
    if hemisphere not in hemispheres:
        return None
    degrees, minutes, seconds = (float(part) for part in parts)
    # A zero denominator reads as NaN, which fails every comparison, as inf does; LONG8 and
    # SRATIONAL parts arrive as huge or negative numbers.
    if not (0 <= degrees <= limit and 0 <= minutes < 60 and 0 <= seconds < 60):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if value > limit:
        return None
    return -value if hemisphere == hemispheres[1] else value


def _gps(gps):
    """(lat, lng) when both are plausible; 0/0 is a receiver without a fix, not a place."""
    lat = _degrees(gps.get(2), gps.get(1), ("N", "S"), 90)
    lng = _degrees(gps.get(4), gps.get(3), ("E", "W"), 180)
    if lat is None or lng is None or (lat == 0 and lng == 0):
        return None, None
    return round(lat, 7), round(lng, 7)


def _turn(orientation):
    """The transpose an EXIF orientation asks for, None when the pixels stand as they are."""
    return TRANSPOSE.get(orientation) if isinstance(orientation, int) else None


def _upright(image, orientation):
    """The orientation applied to the pixels. Not ImageOps.exif_transpose: it writes the whole
    EXIF block back, and a value Pillow reads but cannot write (a LONG8) raised struct.error."""
    method = _turn(orientation)
    return image if method is None else image.transpose(method)


# After a scan's header, its entropy-coded data runs to the next marker: an 0xFF that is not a
# stuffed zero, a restart marker or a fill byte.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
# The segments a picture is made of, kept: frames coded as browsers decode them everywhere
# (baseline, extended and progressive Huffman), their tables, restart interval and scans.
_PICTURE = {0xC0, 0xC1, 0xC2, 0xC4, 0xDB, 0xDD, 0xDA}
_ADOBE = b"Adobe"  # APP14, 12 bytes: how the colours are coded (RGB or YCbCr), kept when exactly so
_METADATA = {*range(0xE0, 0xF0), 0xFE}  # APPn (JFIF, EXIF, XMP, ICC, IPTC, makers') and comments


def _jpeg_without_metadata(data):
    """The JPEG's picture as sent, without its metadata: its APPn segments (but an Adobe colour
    note of the standard size), comments and whatever follows the end of the image (a polyglot's
    payload, a second picture). None for anything else a file may hold (a JFXX thumbnail is in
    APP0, which goes; an arithmetic-coded frame, a DNL or an unknown segment), or when it is not
    laid out as JPEG segments should be: it is then decoded and encoded again instead."""
    if data[:2] != b"\xff\xd8":
        return None
    kept, at, size = [b"\xff\xd8"], 2, len(data)
    while at + 4 <= size and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:  # a fill byte before a marker
            at += 1
            continue
        end = at + 2 + int.from_bytes(data[at + 2 : at + 4], "big")
        if end <= at + 3 or end > size:
            return None
        segment = data[at:end]
        if marker == 0xEE and len(segment) == 16 and segment[4:9] == _ADOBE:
            kept.append(segment)
        elif marker in _PICTURE:
            kept.append(segment)
        elif marker not in _METADATA:
            return None
        at = end
        if marker == 0xDA:  # a scan: its coded data up to the next marker
            found = _NEXT_MARKER.search(data, at)
            if found is None:
                return None
            kept.append(data[at : found.start()])
            at = found.start()
            if data[at + 1] == 0xD9:  # the end of the image
                return b"".join([*kept, b"\xff\xd9"])
    return None


def _jpeg(image):
    """Encode without EXIF, XMP or ICC: nothing of the original's metadata leaves."""
    buffer = io.BytesIO()
    # Baseline, not progressive+optimized: that cost 37 ms more per 1600 px photo for ~10 % bytes.
    # Pillow writes the source's JPEG comment (COM) again unless told otherwise.
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, comment=b"")
    return buffer.getvalue()


def _as_sent(data, image, orientation):
    """The phone's own JPEG, kept as sent but for its metadata, when nothing needs redoing: the
    app draws every photo upright at 1600 px or less (pwa/src/photos.js) and encodes it once at
    q 0.8; decoding and encoding it again cost the most of an upload's CPU and a generation of
    quality. None for any other image, and for one coded more richly than 3 bits a pixel (a
    q 100 file from a desktop: encoded again, it takes a third of the room)."""
    width, height = image.size
    if image.format != "JPEG" or image.mode not in ("RGB", "L") or max(width, height) > FULL_EDGE:
        return None
    if _turn(orientation) is not None or len(data) * 8 > width * height * 3:
        return None
    return _jpeg_without_metadata(data)


def _box(size, edge):
    """(width, height) scaled so the long side is `edge`, aspect kept."""
    scale = edge / max(size)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _draft(image, edge):
    """Decode a JPEG no larger than needed for `edge`, to an aspect-correct box ((1600, 1600)
    would decode a 4:3 photo full size): libjpeg scales by 1/2, 1/4 or 1/8 as it decodes,
    reading every coded byte all the same."""
    if image.format == "JPEG":
        image.draft("RGB", _box(image.size, edge))


def _renditions(image, orientation):
    """(full JPEG, its size, the image the thumbnail is made from) of a decoded upload."""
    image = _fit(image, FULL_EDGE, Image.Resampling.LANCZOS, 2.0)
    # Turned once scaled down: the same size either way, fewer pixels to move.
    image = _upright(image, orientation)
    return _jpeg(image), image.size, image


def process_image(data, site_zone=UTC):
    """Decode an upload and return stripped renditions and the metadata read before stripping."""
    if not data:
        raise UnsupportedImage("errors.image_empty")
    image = _open(data)
    try:
        ifd0, details, gps = _exif_directories(image)
        taken_at = _taken_at(details, site_zone)
        lat, lng = _gps(gps)
        orientation, sent_size = ifd0.get(ORIENTATION), image.size
        kept = _as_sent(data, image, orientation)
        _draft(image, FULL_EDGE if kept is None else THUMB_EDGE)
        if image.mode != "RGB":
            image = image.convert("RGB")
        if kept is None:
            full, (width, height), image = _renditions(image, orientation)
        else:
            full, (width, height) = kept, sent_size
        # The thumbnail mostly by reduce(): 0.6 ms instead of 5 ms from a 640 px photo, 2.7
        # instead of 8.4 from a 1600 px one (bench_report_cost.py), sharp enough at 320 px.
        thumb = _fit(image, THUMB_EDGE, Image.Resampling.BICUBIC, 1.0)
        return Processed(full, _jpeg(thumb), width, height, taken_at, lat, lng)
    except DomainError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        raise UnsupportedImage("errors.image_corrupt") from error
