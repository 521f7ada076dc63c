"""Real images made in the tests: photos with EXIF, other formats, and hostile files."""

import io
import struct
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


# TIFF field types by name: their code and the struct format of one value.
TIFF_TYPES = {
    "byte": (1, "B"),
    "ascii": (2, "s"),
    "short": (3, "H"),
    "long": (4, "L"),
    "rational": (5, "LL"),
    "sbyte": (6, "b"),
    "undefined": (7, "s"),
    "sshort": (8, "h"),
    "slong": (9, "l"),
    "srational": (10, "ll"),
    "float": (11, "f"),
    "double": (12, "d"),
    "long8": (16, "Q"),
}


def exif_entry(tag, kind, values):
    """One IFD entry of any type, whatever the tag: bytes for ascii/undefined, else a list of
    numbers (pairs for rationals). Pillow's own writer refuses most wrong types; a file may not."""
    code, fmt = TIFF_TYPES[kind]
    if fmt == "s":
        return tag, code, len(values), bytes(values)
    flat = [number for value in values for number in (value if isinstance(value, tuple) else (value,))]
    return tag, code, len(values), struct.pack("<" + fmt[0] * len(flat), *flat)


def _ifd(out, entries):
    """Append one IFD (entries sorted, values over 4 bytes after it); return where each sub-IFD
    pointer's value sits, to be filled in once that IFD is written."""
    start = len(out)
    entries = sorted(entries, key=lambda entry: entry[0])
    data_at = start + 2 + 12 * len(entries) + 4
    table, data, pointers = bytearray(struct.pack("<H", len(entries))), bytearray(), {}
    for tag, code, count, payload in entries:
        if payload is None:  # a sub-IFD pointer
            pointers[tag] = start + len(table) + 8
            payload = bytes(4)
        if len(payload) <= 4:
            table += struct.pack("<HHL", tag, code, count) + payload.ljust(4, b"\0")
        else:
            table += struct.pack("<HHLL", tag, code, count, data_at + len(data))
            data += payload + b"\0" * (len(payload) % 2)
    out += table + bytes(4) + data
    return pointers


def raw_exif(ifd0=(), exif=(), gps=()):
    """An APP1 EXIF payload written byte by byte from exif_entry() lists (little-endian TIFF)."""
    out = bytearray(b"II*\0" + struct.pack("<L", 8))
    subs = {0x8769: exif, 0x8825: gps}
    pointers = _ifd(out, [*ifd0, *((tag, 4, 1, None) for tag, entries in subs.items() if entries)])
    for tag, position in pointers.items():
        out[position : position + 4] = struct.pack("<L", len(out))
        _ifd(out, subs[tag])
    return b"Exif\0\0" + bytes(out)


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
