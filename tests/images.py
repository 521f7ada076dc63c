"""Real images made in the tests: photos with EXIF, other formats, and hostile files."""

import io
from functools import cache

import pillow_heif
from PIL import Image, TiffImagePlugin

pillow_heif.register_heif_opener()


def _rational(value):
    return TiffImagePlugin.IFDRational(round(value * 10000), 10000)


def exif_block(orientation=None, taken="2026:11:20 09:30:00", lat=None, lng=None, offset=None):
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    exif[0x010F] = "TestCam maker"  # Make: metadata that must not survive
    details = exif.get_ifd(0x8769)
    if taken:
        details[0x9003] = taken
    if offset:
        details[0x9011] = offset
    if lat is not None:
        gps = exif.get_ifd(0x8825)
        for ref_tag, value_tag, value, signs in ((1, 2, lat, "NS"), (3, 4, lng, "EW")):
            gps[ref_tag] = signs[0] if value >= 0 else signs[1]
            degrees = abs(value)
            whole, minutes = int(degrees), (degrees - int(degrees)) * 60
            gps[value_tag] = (
                _rational(whole),
                _rational(int(minutes)),
                _rational((minutes - int(minutes)) * 60),
            )
    return exif


def picture(width, height):
    """A landscape-shaped test picture: left half red, right half blue (so rotation shows)."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (width // 2, 0, width, height))
    return image


def jpeg(width=1200, height=900, exif=None, quality=90):
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    picture(width, height).save(buffer, "JPEG", quality=quality, **kwargs)
    return buffer.getvalue()


def encoded(format_name, width=400, height=300):
    buffer = io.BytesIO()
    picture(width, height).save(buffer, format_name)
    return buffer.getvalue()


@cache
def png_bomb():
    """A small file that claims 30000 × 30000 pixels (900 MP)."""
    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def jpeg_bomb():
    """A real 64 × 48 JPEG whose frame header claims 60000 × 60000 pixels (3,600 MP)."""
    data = bytearray(jpeg(64, 48))
    frame = data.index(b"\xff\xc0")  # SOF0: length(2) precision(1) height(2) width(2)
    data[frame + 5 : frame + 9] = (60000).to_bytes(2, "big") * 2
    return bytes(data)


def jpeg_with_huge_exif():
    """A JPEG carrying an EXIF block near the 64 KB segment limit (a long maker note)."""
    exif = exif_block()
    exif.get_ifd(0x8769)[0x927C] = b"M" * 60000  # MakerNote
    return jpeg(320, 240, exif=exif)
