"""An S3-compatible server on loopback for the photo store's bucket backend: moto in server mode,
a child process on a free port, reached by the same boto3 calls as a production bucket (MinIO,
Ceph RGW, a cloud's store). Each test gets its own bucket."""

import os
import signal
import subprocess
import sys
import time
import uuid

import boto3
import requests

from server.services.field import photo_store
from tests.live_server import ROOT, free_port

# moto accepts any credentials; boto3 reads them from the environment as in production.
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test-access-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret-key",
    "AWS_DEFAULT_REGION": "us-east-1",
}


class MotoServer:
    """`python -m moto.server` on 127.0.0.1, started in its own process group and stopped by it."""

    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command
            command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server exited with {self.process.returncode}")
            try:
                requests.get(self.endpoint + "/moto-api/", timeout=5)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("moto_server did not start in 60 s")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=10)

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1")

    def new_bucket(self):
        """A fresh bucket, and the app settings that put the photo store in it."""
        name = f"photos-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return {
            "PHOTO_STORE": "s3",
            "PHOTO_S3_ENDPOINT_URL": self.endpoint,
            "PHOTO_S3_BUCKET": name,
            "PHOTO_S3_REGION": "us-east-1",
            "PHOTO_S3_PATH_STYLE": True,
        }


def stored_bytes(key, rendition="full"):
    """A rendition's bytes as the app's photo store (folder or bucket) holds them (app context)."""
    stored = photo_store.open_rendition(key, rendition)
    try:
        return stored.stream.read()
    finally:
        stored.stream.close()
