"""QR signs: the URL a phone camera opens, drawn as SVG or PNG."""

import io
import ipaddress
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from flask import current_app

SIGN_PATHS = {"zone": "z", "post": "p", "party_day": "d", "hazard": "hazards"}


def sign_url(kind, token):
    """<PUBLIC_BASE_URL>/z/<token> or /p/<token>: any camera app opens the PWA there."""
    return f"{sign_base()}/{SIGN_PATHS[kind]}/{token}"


def sign_base():
    """What every sign encodes before its path: PUBLIC_BASE_URL."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def phones_reach_signs():
    """Whether a phone in the field can open what the signs encode: a PUBLIC_BASE_URL left at this
    machine's own name (the development default, localhost:5000) opens nothing on a phone."""
    host = urlsplit(sign_base()).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True  # a name: the company's DNS knows it
    return not (address.is_loopback or address.is_unspecified)


def _code(url):
    # Level M survives a scuffed or partly dirty sign outdoors.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_svg(url):
    image = _code(url).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def qr_png(url, box_size=10):
    code = _code(url)
    code.box_size = box_size
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()
