"""JSON answers gzip-compressed for clients that accept it (a page of 50 hazards is ~30 KB of
JSON, a few KB gzipped: seconds on a weak 4G link). Photos are JPEG already and keep their ETag and
304; streamed ledger exports and files sent from disk are left alone; the PWA's assets are
precompressed at build (server/pages.py)."""

import gzip

from flask import current_app, request

COMPRESSIBLE = ("application/json", "application/problem+json")


def compress_json(response):
    if (
        response.mimetype not in COMPRESSIBLE
        or response.is_streamed
        or response.direct_passthrough
        or "Content-Encoding" in response.headers
    ):
        return response
    response.vary.add("Accept-Encoding")
    body = response.get_data()
    if not request.accept_encodings["gzip"] or len(body) < current_app.config["COMPRESS_MIN_BYTES"]:
        return response
    response.set_data(gzip.compress(body, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    tag, weak = response.get_etag()
    if tag:  # the same resource in other bytes: a strong validator must differ
        response.set_etag(f"{tag}-gzip", weak)
    return response


def register_compression(app):
    app.after_request(compress_json)
