"""The photo store's S3 backend: a bucket on any S3-compatible object store, through boto3.

Production points it at MinIO, Ceph RGW or a cloud's S3-compatible store; the tests at moto's
server on loopback, through the same calls. Credentials come from the environment as boto3 reads
them (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), never from our config.
"""

import logging
from urllib.parse import quote, urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from server.services.field.photo_store import Missing, Stored, StoreUnavailable

log = logging.getLogger(__name__)
NOT_THERE = {"NoSuchKey", "404", "NotFound"}


def _client_config(path_style):
    return Config(
        s3={"addressing_style": "path" if path_style else "auto"},
        # A store that is down must fail an upload in seconds (503, the outbox retries), not hold
        # a request thread for boto3's default minute per try.
        connect_timeout=3,
        read_timeout=15,
        retries={"mode": "standard", "max_attempts": 2},
        # botocore's default CRC checksums on every PUT are refused by some S3-compatible stores.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )


class S3Bucket:
    """Objects in one bucket, named as the folder names its files."""

    def __init__(self, client, bucket):
        self.client = client
        self.bucket = bucket

    @classmethod
    def from_config(cls, config):
        if not config.get("PHOTO_S3_BUCKET"):
            raise RuntimeError("PHOTO_STORE=s3 needs PHOTO_S3_BUCKET")
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=config.get("PHOTO_S3_ENDPOINT_URL") or None,
            region_name=config.get("PHOTO_S3_REGION") or None,
            config=_client_config(config.get("PHOTO_S3_PATH_STYLE")),
        )
        return cls(client, config["PHOTO_S3_BUCKET"])

    def _call(self, operation, **params):
        """One S3 call; a missing object is Missing, any other failure StoreUnavailable."""
        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **params)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code in NOT_THERE:
                raise Missing(params.get("Key")) from error
            log.error("photo store: %s failed: %s", operation, code)
            raise StoreUnavailable() from error
        except BotoCoreError as error:
            log.error("photo store: %s failed: %s", operation, type(error).__name__)
            raise StoreUnavailable() from error

    def write(self, name, data):
        self._call("put_object", Key=name, Body=data, ContentType="image/jpeg")

    def open(self, name):
        answer = self._call("get_object", Key=name)
        return Stored(answer["Body"], answer["ContentLength"])

    def url(self, name, download_name, seconds):
        """A presigned GET, after checking the object is there (else the phone gets S3's 404)."""
        self._call("head_object", Key=name)
        params = {
            "Bucket": self.bucket,
            "Key": name,
            "ResponseContentType": "image/jpeg",
            "ResponseContentDisposition": f"inline; filename*=UTF-8''{quote(download_name)}",
            "ResponseCacheControl": f"private, max-age={seconds}",
        }
        return self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=seconds)

    def origin(self):
        """Where presigned URLs point (scheme and host), worked out locally by presigning one."""
        params = {"Bucket": self.bucket, "Key": "x"}
        url = urlsplit(self.client.generate_presigned_url("get_object", Params=params))
        return f"{url.scheme}://{url.netloc}"

    def delete(self, name):
        self._call("delete_object", Key=name)

    def listing(self):
        """(name, modified as a Unix time) of every object, a page of 1,000 at a time."""
        token = {}
        while True:
            page = self._call("list_objects_v2", **token)
            for item in page.get("Contents", ()):
                yield item["Key"], item["LastModified"].timestamp()
            if not page.get("IsTruncated"):
                return
            token = {"ContinuationToken": page["NextContinuationToken"]}

    def check(self):
        self._call("head_bucket")
        return True
