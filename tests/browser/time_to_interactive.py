"""Time to an interactive page: from navigation until every event is loaded and the map and
the timeline are drawn (`body[data-state=ready]`), in headless Chromium; the median of five
fresh loads. Used by `cargo bench -p sitrep-tests --bench web`.

    python3 tests/browser/time_to_interactive.py http://127.0.0.1:8080/ 10000
"""

import os
import sys
import time

from playwright.sync_api import sync_playwright

from conftest import CHROMIUM_FLAGS


def main(url, expected):
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_FLAGS)
        times, markers = [], 0
        for _ in range(5):
            ctx = b.new_context(viewport={"width": 1280, "height": 800})
            pg = ctx.new_page()
            t = time.monotonic()
            pg.goto(url)
            pg.wait_for_function("() => document.body.dataset.state === 'ready'", timeout=120000)
            times.append(time.monotonic() - t)
            markers = pg.evaluate("document.querySelectorAll('#map [data-event-id]').length")
            clusters = pg.evaluate("document.querySelectorAll('#map .marker-cluster').length")
            shown = pg.text_content("#count")
            shots = os.environ.get("SITREP_ARTIFACTS", os.path.join(os.path.dirname(__file__), "..", "..", "target", "browser-artifacts"))
            os.makedirs(shots, exist_ok=True)
            pg.screenshot(path=os.path.join(shots, "bench-page.png"))
            ctx.close()
        b.close()
    times.sort()
    print(f"page: interactive in {times[2] * 1000:.0f} ms (median of 5 loads; {shown.strip()}; "
          f"{markers} single markers and {clusters} clusters drawn; expected {expected} events)")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main(sys.argv[1], sys.argv[2])
