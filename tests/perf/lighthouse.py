"""Lighthouse 12 (mobile profile: simulated Slow 4G, mid-range phone CPU) on the built PWA served by
granian (as `make run` serves it) with the demo company, signed in as a worker: the home and report
screens, median of 3 runs each: performance score, LCP, TBT, CLS, bytes transferred. Then a repeat
visit in a browser whose service worker is installed: what still comes over the network.

Needs `make pwa`, Debian's chromium and Lighthouse, pinned in tests/perf/package.json (`make test`
installs it; by hand: `npm ci --prefix tests/perf`):

    .venv/bin/python -m tests.perf.lighthouse [--runs 3] [--smoke]
"""

import argparse
import contextlib
import http.cookiejar
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.live_server import free_port
from tests.perf.bench_api import ROOT, serve

CHROME = "/usr/bin/chromium"
FLAGS = "--headless=new --no-sandbox --disable-gpu"
DEMO_PASSWORD = "safe-zone-2026"  # README, "Demo logins"
ATTEMPTS = 3


def flask(env, *args):
    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,  # noqa: S603
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def sign_in(base, username):
    """The session cookie of a worker, as the header Lighthouse sends with every request."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = json.dumps({"username": username, "password": DEMO_PASSWORD}).encode()
    request = urllib.request.Request(f"{base}/api/v1/auth/login", body, {"Content-Type": "application/json"})  # noqa: S310
    opener.open(request).read()  # noqa: S310 (our own http://127.0.0.1 server)
    answer = opener.open(f"{base}/api/v1/zones?limit=1").read()  # noqa: S310
    zones = json.loads(answer)
    zone_id = (zones["items"] if isinstance(zones, dict) else zones)[0]["id"]
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar), zone_id


def lighthouse(binary, url, cookie, out, *extra):
    command = [binary, url, "--quiet", "--only-categories=performance", "--output=json",
               f"--output-path={out}", f"--extra-headers={json.dumps({'Cookie': cookie})}",
               f"--chrome-flags={FLAGS}", *extra]  # fmt: skip
    for attempt in range(ATTEMPTS):
        # Lighthouse sometimes loses the trace on a busy machine (NO_NAVSTART) and says to run
        # it again: a fault of the measurement, not of the page.
        done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME})  # noqa: S603
        if done.returncode == 0:
            break
        print(f"lighthouse exited {done.returncode} (attempt {attempt + 1} of {ATTEMPTS})", file=sys.stderr)
    else:
        sys.exit("lighthouse failed every attempt")
    report = json.loads(Path(out).read_text())
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        "score": report["categories"]["performance"]["score"] * 100,
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "kb": audits["total-byte-weight"]["numericValue"] / 1024,
        "from_network": sum(1 for item in requests if item.get("transferSize", 0) > 0),
        "requests": len(requests),
    }


def median_of(runs):
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def show(name, figures):
    score, lcp, tbt, cls = (figures[key] for key in ("score", "lcp_ms", "tbt_ms", "cls"))
    print(
        f"{name:34} {score:5.0f} {lcp:7.0f} {tbt:6.0f} {cls:6.3f} "
        f"{figures['kb']:8.1f} {figures['from_network']:4.0f}/{figures['requests']:.0f}"
    )


def repeat_visit(binary, url, cookie, out):
    """A browser we keep: the first load installs the service worker, the measured one reuses it."""
    port = free_port()
    profile = tempfile.mkdtemp(prefix="lh-profile-")
    chrome = subprocess.Popen(  # noqa: S603
        [
            CHROME,
            *FLAGS.split(),
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):  # until its debugging port answers
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port)).close()
                break
            time.sleep(0.2)
        keep = ("--disable-storage-reset", f"--port={port}")
        lighthouse(binary, url, cookie, out, *keep)  # installs the service worker
        time.sleep(2)  # let it activate and finish precaching
        return lighthouse(binary, url, cookie, out, *keep)
    finally:
        chrome.send_signal(signal.SIGTERM)
        chrome.wait()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", default=str(ROOT / "tests/perf/node_modules/.bin/lighthouse"))
    parser.add_argument("--port", type=int, default=5098)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="one run of each page: check the script runs")
    args = parser.parse_args(argv)
    runs = 1 if args.smoke else args.runs
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'demo.db'}",
        "FLASK_PHOTO_DIR": str(work / "photos"),
        "FLASK_SECRET_KEY": "lighthouse-run-" + "x" * 32,
    }
    flask(env, "db", "upgrade")
    flask(env, "seed-demo")
    base = f"http://127.0.0.1:{args.port}"
    with serve("granian", args.port, **env):
        cookie, zone_id = sign_in(base, "chen")
        print(f"{'page (median of ' + str(runs) + ')':34} score LCP ms TBT ms    CLS       KB network")
        for name, path in (("worker home", "/"), ("report screen", f"/zones/{zone_id}/report")):
            results = [
                lighthouse(args.lighthouse, base + path, cookie, work / "report.json") for _ in range(runs)
            ]
            show(name, median_of(results))
        show(
            "worker home, repeat visit (SW)",
            repeat_visit(args.lighthouse, base + "/", cookie, work / "r.json"),
        )


if __name__ == "__main__":
    main()
