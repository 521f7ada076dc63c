"""QR signs: the URL a phone camera opens, drawn as SVG or PNG."""

import io

import qrcode
import qrcode.image.svg
from flask import current_app

SIGN_PATHS = {"zone": "z", "post": "p", "party_day": "d", "hazard": "hazards"}


def sign_url(kind, token):
    """<PUBLIC_BASE_URL>/z/<token> or /p/<token>: any camera app opens the PWA there."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/{SIGN_PATHS[kind]}/{token}"


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
