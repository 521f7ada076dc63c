"""QR sign images, shared by zones and posts."""

from flask import Response

from server.services.places.qr import qr_png, qr_svg, sign_url

# The image is built from our own token only; the sandbox CSP keeps an SVG from running anything.
IMAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "Cache-Control": "private, max-age=300",
}


def sign_image(kind, place, image_format):
    url = sign_url(kind, place.qr_token)
    if image_format == "svg":
        return Response(qr_svg(url), mimetype="image/svg+xml", headers=IMAGE_HEADERS)
    return Response(qr_png(url), mimetype="image/png", headers=IMAGE_HEADERS)
