"""Photo store benchmark: the folder against a bucket of moto's S3 server on loopback, in one run.

Per photo (a 366 KB 1600 px rendition and its 20 KB thumbnail): store both (what an upload adds
to the image pipeline), read the full one back (what serving it costs), and list the whole store
(what `photos gc` and a backup walk). moto is a test server, not a production store:
the bucket figures are boto3's overhead plus moto's, an upper bound for a store on the LAN.

    .venv/bin/python -m tests.perf.bench_photo_store [--photos 50] [--smoke]
"""

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from server import create_app
from server.services.field import photo_store
from tests.conftest import TEST_SETTINGS
from tests.object_store import CREDENTIALS, MotoServer, stored_bytes
from tests.perf.bench_photos import photo_like


def timed_ms(action):
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def measure(settings, photos, full, thumb):
    app = create_app({**TEST_SETTINGS, **settings})
    with app.app_context():
        timed = [timed_ms(lambda: photo_store.save({"full": full, "thumb": thumb})) for _ in range(photos)]
        saves, keys = [ms for ms, _ in timed], [key for _, key in timed]
        reads = [timed_ms(lambda key=key: stored_bytes(key))[0] for key in keys]
        listing, names = timed_ms(photo_store.names)
    return statistics.median(saves), statistics.median(reads), listing, len(names)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--smoke", action="store_true", help="3 photos: checks the script runs")
    args = parser.parse_args()
    photos = 3 if args.smoke else args.photos
    os.environ.update(CREDENTIALS)
    full, thumb = photo_like(1600, 1200, 85), photo_like(320, 240, 85)
    server = MotoServer().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            stores = {
                "folder": {"PHOTO_DIR": str(Path(tmp) / "photos")},
                "bucket (moto, loopback)": {**server.new_bucket(), "PHOTO_DIR": tmp},
            }
            print(f"{photos} photos of {len(full) // 1024} KB + {len(thumb) // 1024} KB, medians")
            print(f"{'store':<26}{'save both':>12}{'read full':>12}{'list all':>12}")
            for name, settings in stores.items():
                save, read, listing, count = measure(settings, photos, full, thumb)
                print(f"{name:<26}{save:>9.1f} ms{read:>9.1f} ms{listing:>9.1f} ms ({count} objects)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
