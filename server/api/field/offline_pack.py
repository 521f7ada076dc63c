"""The offline pack: one request for everything the phone needs with no signal (DESIGN §6)."""

from flask import Response, json, request
from flask_login import current_user
from flask_smorest import Blueprint

from server.schemas.field.offline_pack import OfflinePackSchema
from server.services.field import offline_pack

blp = Blueprint(
    "offline_pack",
    __name__,
    url_prefix="/api/v1/offline-pack",
    description="What the phone keeps for working with no signal (离线数据)",
)


@blp.route("", methods=["GET"])
@blp.response(200, OfflinePackSchema)
@blp.alt_response(304, description="Unchanged since the ETag sent in If-None-Match; no body")
@blp.doc(parameters=[{"in": "header", "name": "If-None-Match", "schema": {"type": "string"}}])
def get_offline_pack():
    """The caller's zones and posts with their sign tokens, open tasks and Party days; ETag/304."""
    content = OfflinePackSchema().dump(offline_pack.build_pack(current_user))
    etag = offline_pack.pack_etag(content)
    # The gzipped answer carries "<tag>-gzip" (server/compression.py): either one is this pack.
    for tag in (etag, f"{etag}-gzip"):
        if request.if_none_match.contains_weak(tag):
            return Response(status=304, headers={"ETag": f'"{tag}"'})
    response = Response(json.dumps(content, ensure_ascii=False), mimetype="application/json")
    response.set_etag(etag)
    return response
