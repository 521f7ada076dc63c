"""Browser tests: Debian's chromium through Playwright, a phone viewport, against the real app
served from a thread on 127.0.0.1 (a secure context, so the service worker runs)."""

import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from server.extensions import db
from server.services.demo.seed import DEMO_PASSWORD, seed_demo
from tests.conftest import build_app, dispose, fresh_database_url
from tests.images import exif_block, jpeg

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOTS = Path(__file__).parent / "screenshots"
# How long a wait for a state may take before the test fails: a bound, never a pause (a passing
# run never reaches it), generous because a busy 2-core machine running other suites is slow.
STATE_TIMEOUT = 90_000
PWA_DIST = Path(__file__).resolve().parents[2] / "pwa" / "dist"


def pytest_collection_modifyitems(items):
    """Every browser test is `slow`: `make test-fast` needs no chromium."""
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.slow)


def serve(database, tmp_path_factory, **settings):
    """The app with the demo company on a free port (a generator: yields, then shuts down)."""
    if not (PWA_DIST / "index.html").exists():
        pytest.fail("the PWA is not built: run `make pwa` (make test does)")
    directory = tmp_path_factory.mktemp("e2e")
    app = build_app(
        fresh_database_url(database, directory), directory, PUBLIC_BASE_URL="http://127.0.0.1", **settings
    )
    with app.app_context():
        seed_demo()
        db.session.commit()
    http = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{http.server_port}"
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(app=app, url=f"http://127.0.0.1:{http.server_port}")
    http.shutdown()
    dispose(app)


@pytest.fixture(scope="module")
def server(database, tmp_path_factory):
    """The app with the demo company, on a free port, for one test module."""
    yield from serve(database, tmp_path_factory)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def api_client(app, username, password=DEMO_PASSWORD):
    """A test client signed in through the API, with its CSRF token: for setting up records."""
    client = app.test_client()
    answer = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.get_json()
    client.csrf_token = answer.get_json()["csrf_token"]
    return client


def ok(response):
    """The JSON of a response that must have succeeded."""
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


class Phone:
    """One person's phone: a browser context at 360×740 in Chinese, with location allowed."""

    def __init__(self, browser, server, scale=2, **options):
        self.server = server
        self.context = browser.new_context(
            **options,  # e.g. user_agent="…" for a phone of another kind
            viewport={"width": 360, "height": 740},
            device_scale_factor=scale,
            locale="zh-CN",
            permissions=["geolocation"],
            geolocation={"latitude": 30.2741, "longitude": 120.1551, "accuracy": 12},
        )
        self.context.set_default_timeout(STATE_TIMEOUT)
        self.page = self.context.new_page()
        self.problems = []
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on(
            "console",
            lambda message: "Content Security Policy" in message.text and self.problems.append(message.text),
        )

    def go(self, path):
        self.page.goto(self.server.url + path)

    def sign_in(self, username, password=DEMO_PASSWORD):
        self.go("/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("button:has-text('登录')")
        self.page.wait_for_selector("nav.tabs")

    def shot(self, name):
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def close(self):
        assert not self.problems, self.problems  # no script errors, no CSP violations
        self.context.close()


def save_readme_shot(page, path, down_to):
    """README's picture of a screen (`UPDATE_SCREENSHOTS=1`): its top down to the element
    `down_to` (a CSS selector), 360 px at one image pixel per CSS pixel, as small a PNG as Pillow
    makes it (256 colours: flat colours and text survive that)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    bottom = page.evaluate(f"document.querySelector({down_to!r}).getBoundingClientRect().bottom + scrollY")
    # A window as tall as the page puts the fixed tab bar at its foot, below the picture.
    page.set_viewport_size({"width": 360, "height": page.evaluate("document.documentElement.scrollHeight")})
    clip = {"x": 0, "y": 0, "width": 360, "height": bottom + 8}
    page.screenshot(path=str(path), full_page=True, scale="css", clip=clip)
    image = Image.open(path).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(path, optimize=True)


def wait_for(page, condition, what, timeout=STATE_TIMEOUT):
    """Poll `condition()` until it is true, letting the page's events (and route handlers) run
    in between."""
    deadline = time.monotonic() + timeout / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(100)


def wait_for_js(page, expression, timeout=STATE_TIMEOUT):
    """Poll a JavaScript expression until it is true. Playwright's wait_for_function evaluates its
    predicate with eval(), which our CSP (no 'unsafe-eval') refuses in current Chromium."""
    wait_for(page, lambda: page.evaluate(expression), expression, timeout)


def wait_for_service_worker(page):
    """Until the service worker controls the page: its install precaches the whole shell, which
    on a busy 2-core machine running other suites has taken longer than 15 s. A timeout says
    where the worker stood, for the next one to read."""
    try:
        wait_for_js(page, "navigator.serviceWorker.controller !== null")
    except AssertionError:
        state = page.evaluate("""async () => {
            const registration = await navigator.serviceWorker.getRegistration();
            const states = ['installing', 'waiting', 'active'].map((k) => registration?.[k]?.state);
            const [installing, waiting, active] = states;
            const caches_ = await caches.keys();
            return { registered: Boolean(registration), installing, waiting, active, caches: caches_ };
        }""")
        raise AssertionError(f"the service worker never took control: {state}") from None


@pytest.fixture
def phone(browser, server):
    """Opens a phone: `phone()`, or `phone("jiandu", "/dashboard")` signed in and on a screen."""
    phones = []

    def open_phone(username=None, path=None, **options):
        phones.append(Phone(browser, server, **options))
        if username:
            phones[-1].sign_in(username)
        if path:
            phones[-1].go(path)
        return phones[-1]

    yield open_phone
    for each in phones:
        each.close()


@pytest.fixture(scope="module")
def photo_file(tmp_path_factory):
    """A phone photo: 4000×3000 with EXIF orientation, capture time and GPS."""
    path = tmp_path_factory.mktemp("photos") / "IMG_0001.jpg"
    path.write_bytes(jpeg(2000, 1500, exif_block(orientation=6, lat=30.2741, lng=120.1551)))
    return str(path)
