"""The page in a real browser: Debian's Chromium, driven headless by Playwright for Python
(which never downloads a browser of its own here), against a real `sitrep up` with the sample.

Environment: SITREP_BIN (the `sitrep` binary; default target/debug/sitrep, else release),
SITREP_GATEWAY_BIN (`sitrep-gateway`, for the protected-reads test), CHROMIUM (default
/usr/bin/chromium), SITREP_ARTIFACTS (where screenshots go; default target/browser-artifacts).
"""

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def binary(env, name):
    if os.environ.get(env):
        return os.environ[env]
    for profile in ("debug", "release"):
        p = ROOT / "target" / profile / name
        if p.exists():
            return str(p)
    pytest.fail(f"no {name} binary: build it (cargo build -p sitrep-cli) or set {env}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Up:
    """A running `sitrep up`: its web URL and the backends' URLs from its banner."""

    def __init__(self, args, data):
        self.data = data
        self.proc = subprocess.Popen(
            # the bundled sample of two countries: a debug build indexes the world in minutes
            # on a loaded 2-core machine, and the page's tests need only the sample's places
            [binary("SITREP_BIN", "sitrep"), "up", "--data", data, "--bundled", "sample",
             "--gateway-addr", f"127.0.0.1:{free_port()}", "--http-addr", "127.0.0.1:0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.urls = {}
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(240):
            self.stop()
            pytest.fail("sitrep up did not serve in 240 s:\n" + "".join(self.lines[-40:]))
        if self.proc.poll() is not None:
            pytest.fail("sitrep up stopped:\n" + "".join(self.lines[-40:]))
        self.web = self.urls["web"].rstrip("/")

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)
            m = re.match(r"\s+(web|gateway|ingest|gazetteer|timeline)\s+(http://\S+)", line)
            if m:
                self.urls[m.group(1)] = m.group(2)
            if line.startswith("serving; Ctrl-C to stop"):
                self.ready.set()
        self.ready.set()

    def api(self, path, token=None):
        req = urllib.request.Request(self.web + path)
        if token:
            req.add_header("authorization", "Bearer " + token)
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())

    def all_events(self, query=""):
        """Every event of a query, across pages, from the JSON API."""
        out, token = [], ""
        while True:
            sep = "&" if query else ""
            page = self.api(f"/api/v1/events?{query}{sep}page_size=1000" + (f"&page_token={token}" if token else ""))
            out += page.get("events", [])
            token = page.get("nextPageToken", "")
            if not token:
                return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def located(e):
    """An event the map can show: one of its places has coordinates."""
    return any("lat" in p and "lon" in p for p in e.get("places", []))


@pytest.fixture(scope="session")
def artifacts():
    d = Path(os.environ.get("SITREP_ARTIFACTS", ROOT / "target" / "browser-artifacts"))
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="session")
def up():
    data = tempfile.mkdtemp(prefix="sitrep-browser-")
    u = Up([], data)
    yield u
    u.stop()
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page whose console errors, failed requests and uncaught exceptions fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    problems = []
    pg.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    pg.on("response", lambda r: r.status >= 400 and r.status != 401 and problems.append(f"HTTP {r.status}: {r.url}"))
    pg.problems = problems
    yield pg
    context.close()
    assert not problems, "\n".join(problems)


def wait_ready(pg, after=None):
    """Wait until the page has loaded and drawn its events (a newer load than `after`)."""
    pg.wait_for_function(
        "([g]) => document.body.dataset.state === 'ready' && (+document.body.dataset.generation || 0) > g",
        arg=[int(after or 0)], timeout=60000)
    return int(pg.evaluate("document.body.dataset.generation"))


def generation(pg):
    return int(pg.evaluate("+document.body.dataset.generation || 0"))
