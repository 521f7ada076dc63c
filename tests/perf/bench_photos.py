"""Photo ingest benchmark (DESIGN §8): a raw 12 MP phone JPEG and a 1600 px phone-compressed one.

Runs the server's pipeline (decode, orientation, EXIF, two stripped JPEG renditions) on photo-like
images made here, with and without Pillow's draft() in the same run, and prints the medians, the
ratio and the peak Python memory of one ingest.

    .venv/bin/python -m tests.perf.bench_photos [--runs 9] [--smoke]
"""

import argparse
import io
import multiprocessing
import statistics
import time
from unittest import mock

from PIL import Image, JpegImagePlugin

from server.services.field.images import process_image
from tests.images import exif_block


def photo_like(width, height, quality):
    """Noise over gradients: compresses like a real photo, not like a flat test card."""
    noise = Image.effect_noise((width, height), 10)
    red = Image.linear_gradient("L").resize((width, height))
    blue = red.transpose(Image.Transpose.ROTATE_90).resize((width, height))
    image = Image.merge("RGB", (Image.blend(red, noise, 0.5), noise, Image.blend(blue, noise, 0.5)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif_block(orientation=6, lat=30.27, lng=120.15))
    return buffer.getvalue()


def median_ms(data, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        process_image(data)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _high_water_kib():
    """VmHWM: this process's peak resident memory (ru_maxrss would carry the parent's over exec)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def _peak_child(data, queue):
    before = _high_water_kib()
    process_image(data)
    queue.put((_high_water_kib() - before) / 1024)


def peak_mib(data):
    """How much one ingest raises a fresh process's peak resident memory (Pillow's buffers included)."""
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter, not a copy of this one
    queue = spawn.Queue()
    child = spawn.Process(target=_peak_child, args=(data, queue))
    child.start()
    peak = queue.get()
    child.join()
    return peak


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--smoke", action="store_true", help="small images, one run: check the script runs")
    args = parser.parse_args(argv)
    runs, scale = (1, 10) if args.smoke else (args.runs, 1)
    cases = {
        "12 MP raw (4000x3000)": photo_like(4000 // scale, 3000 // scale, 92),
        "1600 px phone (1600x1200)": photo_like(1600 // scale, 1200 // scale, 80),
    }
    print(
        f"{'image':28} {'bytes':>10} {'draft ms':>9} {'no draft ms':>12} {'ratio':>6} {'+peak RSS MiB':>14}"
    )
    for name, data in cases.items():
        process_image(data)  # warm up
        with_draft = median_ms(data, runs)
        with mock.patch.object(JpegImagePlugin.JpegImageFile, "draft", lambda self, mode, size: None):
            without = median_ms(data, runs)
        print(
            f"{name:28} {len(data):>10,} {with_draft:>9.1f} {without:>12.1f} "
            f"{without / with_draft:>5.2f}x {peak_mib(data):>14.1f}"
        )
    print(f"median of {runs} runs each; budgets (DESIGN §8): 1600 px <= 20 ms, 12 MP <= 150 ms")


if __name__ == "__main__":
    main()
