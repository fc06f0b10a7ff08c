"""The web page on the sample, in headless Chromium: markers, filters, the event panel, the
control strip, the paste box, hostile documents, a token. Counts come from the JSON API, not
from constants, so they hold whatever gazetteer places the sample."""

import subprocess
import tempfile
import urllib.parse

from conftest import Up, binary, free_port, generation, located, wait_ready

SAMPLE_TITLE = "Qalamoun offensive (May–June 2015)"


def sample_doc(up):
    for e in up.all_events():
        return e["documentId"]
    raise AssertionError("the sample has no events")


def map_markers(pg):
    return pg.locator("#map [data-event-id]")


def test_the_map_shows_one_marker_per_located_event(up, page, artifacts):
    doc = sample_doc(up)
    events = up.all_events(f"document={doc}")
    want = [e["id"] for e in events if located(e)]
    assert len(want) >= 10, "the sample's events have places"
    page.goto(up.web + "/#document=" + urllib.parse.quote(doc))
    wait_ready(page)
    shown = map_markers(page).evaluate_all("ns => ns.map(n => n.dataset.eventId)")
    assert sorted(shown) == sorted(want)
    # every event is on the timeline, located or not
    bars = page.locator("#timeline [data-event-id]").evaluate_all("ns => ns.map(n => n.dataset.eventId)")
    dated = [e["id"] for e in events if e.get("when", {}).get("earliest")]
    assert sorted(bars) == sorted(dated)
    # places on the map carry their ids
    assert page.locator("#map .place-label[data-place-id]").count() >= 5
    page.screenshot(path=str(artifacts / "main.png"))


def test_filtering_by_kind_shows_that_kind_only_and_the_url_keeps_it(up, page):
    page.goto(up.web + "/")
    g = wait_ready(page)
    everything = [e for e in up.all_events() if located(e)]
    assert map_markers(page).count() == len(everything)
    captures = [e["id"] for e in up.all_events("kind=capture") if located(e)]
    assert 0 < len(captures) < len(everything)
    page.select_option("#f-kind", "capture")
    wait_ready(page, g)
    assert sorted(map_markers(page).evaluate_all("ns => ns.map(n => n.dataset.eventId)")) == sorted(captures)
    assert set(map_markers(page).evaluate_all("ns => ns.map(n => n.dataset.kind)")) == {"CAPTURE"}
    assert "kind=capture" in page.url
    # the URL is the view: opened afresh it shows the same
    page.goto(page.url)
    page.reload()
    wait_ready(page)
    assert map_markers(page).count() == len(captures)
    assert page.locator("#f-kind").input_value() == "capture"


def test_clicking_a_marker_shows_its_sentence_with_its_citations(up, page):
    doc = sample_doc(up)
    cited = [e for e in up.all_events(f"document={doc}") if located(e) and e.get("citations")]
    assert cited, "the sample cites its sources"
    e = cited[0]
    page.goto(up.web + "/#document=" + urllib.parse.quote(doc))
    wait_ready(page)
    page.locator(f'#map [data-event-id="{e["id"]}"]').click()
    panel = page.locator("#event-panel")
    panel.wait_for(state="visible")
    assert panel.get_attribute("data-event-id") == e["id"]
    sentence = page.locator("#ev-sentence")
    text = sentence.text_content()
    assert e["sentence"] in text
    assert page.locator("#ev-sentence sup.citation").all_text_contents() == [f"[{c}]" for c in e["citations"]]
    # selected in both views
    assert "selected" in page.locator(f'#map [data-event-id="{e["id"]}"]').get_attribute("class")
    assert "selected" in page.locator(f'#timeline [data-event-id="{e["id"]}"]').get_attribute("class")
    page.wait_for_function("() => document.querySelector('#ev-facts .doc-title')")
    assert page.locator("#ev-facts .doc-title").text_content() == SAMPLE_TITLE
    assert "event=" in page.url
    # clicking its bar on the timeline selects it too
    other = cited[-1]
    page.locator(f'#timeline [data-event-id="{other["id"]}"]').click()
    page.wait_for_function("id => document.querySelector('#event-panel').dataset.eventId === id", arg=other["id"])


def test_the_control_strip_of_tallat_mussa_shows_the_government_from_13_may_2015(up, page):
    history = up.api("/api/v1/control/history?place=" + urllib.parse.quote("Tallat Mussa"))
    government = [i for i in history["intervals"] if i.get("since") == "2015-05-13"]
    assert government, history
    page.goto(up.web + "/#placeview=" + urllib.parse.quote("Tallat Mussa"))
    page.wait_for_function("() => document.querySelector('#place-panel').dataset.state === 'ready'")
    assert page.locator("#pl-name").text_content() == history["place"]["name"]
    assert page.locator("#pl-strip .segment").count() == len(history["intervals"])
    rows = page.locator("#pl-intervals li").all_text_contents()
    held = [r for r in rows if "from 13 May 2015" in r]
    assert held and "Syrian government" in held[0], rows
    seg = page.locator('#pl-strip .segment[data-since="2015-05-13"]')
    assert seg.count() == 1 and "Syrian government" in seg.get_attribute("title")


def test_the_paste_box_ingests_a_text_and_shows_its_events(up, page):
    page.goto(up.web + "/")
    g = wait_ready(page)
    page.fill("#p-title", "Palmyra retaken")
    page.fill("#p-published", "2017-03-03")
    page.fill("#p-text", "On 2 March 2017, the Syrian Army captured Palmyra from the Islamic State. "
                         "On 1 March 2017, Syrian Army forces shelled Palmyra.")
    page.click("#p-submit")
    page.wait_for_function("() => ['done', 'failed'].includes(document.querySelector('#p-result').dataset.state)", timeout=60000)
    assert page.locator("#p-result").get_attribute("data-state") == "done", page.locator("#p-result").text_content()
    doc = page.locator("#p-result").get_attribute("data-document-id")
    wait_ready(page, g)
    events = up.all_events("document=" + urllib.parse.quote(doc))
    assert events, "the text has events"
    assert "document=" in page.url
    assert sorted(page.locator("#timeline [data-event-id]").evaluate_all("ns => ns.map(n => n.dataset.eventId)")) == sorted(e["id"] for e in events)
    assert map_markers(page).count() == len([e for e in events if located(e)])


HOSTILE = ("On 4 June 2015, Hezbollah captured Flita <script>window.__pwned = 1</script> and "
           "<img src=x onerror=\"window.__pwned = 2\"> near [the hills](javascript:window.__pwned=3) "
           "<a href=\"javascript:window.__pwned=4\">click</a>.")


def test_a_hostile_document_renders_as_text(up, page):
    page.goto(up.web + "/")
    g = wait_ready(page)
    page.fill("#p-title", "<img src=x onerror=\"window.__pwned = 5\"> title")
    page.fill("#p-source", "javascript:window.__pwned=6")
    page.fill("#p-text", HOSTILE)
    page.eval_on_selector("#p-source", "n => n.type = 'text'")  # let the form send a non-http URL
    page.click("#p-submit")
    page.wait_for_function("() => ['done', 'failed'].includes(document.querySelector('#p-result').dataset.state)", timeout=60000)
    assert page.locator("#p-result").get_attribute("data-state") == "done", page.locator("#p-result").text_content()
    wait_ready(page, g)
    doc = page.locator("#p-result").get_attribute("data-document-id")
    events = up.all_events("document=" + urllib.parse.quote(doc))
    assert events
    first = events[0]
    page.locator(f'#timeline [data-event-id="{first["id"]}"]').click()
    page.wait_for_function("() => document.querySelector('#ev-facts .doc-title')")
    panel = page.locator("#event-panel")
    text = panel.text_content()
    assert "<script>" in page.locator("#ev-sentence").text_content() or "<img" in text
    assert "<img src=x" in page.locator("#ev-facts .doc-title").text_content()
    assert "javascript:window.__pwned=6" in text
    # nothing was made of it: no element, no link, no script run
    assert page.locator("#side script, #side img, #timeline img, #map img").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_with_protected_reads_the_page_asks_for_the_token(up, page, tmp_path):
    """A second gateway in front of the same backends, with a token for everything."""
    token = "browser-test-token-9d1e"
    (tmp_path / "token").write_text(token)
    port = free_port()
    gw = subprocess.Popen([
        binary("SITREP_GATEWAY_BIN", "sitrep-gateway"), "--listen", f"127.0.0.1:{free_port()}",
        "--http-listen", f"127.0.0.1:{port}", "--ingest-url", up.urls["ingest"],
        "--gazetteer-url", up.urls["gazetteer"], "--timeline-url", up.urls["timeline"],
        "--token-file", str(tmp_path / "token"), "--protect-reads"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        web = f"http://127.0.0.1:{port}"
        page.wait_for_timeout(200)
        for _ in range(100):
            try:
                page.request.get(web + "/api/v1/status")
                break
            except Exception:
                page.wait_for_timeout(100)
        page.goto(web + "/")
        page.locator("#token-dialog").wait_for(state="visible")
        page.fill("#token-input", token)
        page.press("#token-input", "Enter")
        wait_ready(page)
        want = [e for e in up.all_events() if located(e)]
        assert map_markers(page).count() == len(want)
        assert page.evaluate("sessionStorage.getItem('sitrep-token')") == token
        assert page.evaluate("localStorage.length") == 0
        # the refused first read is expected: the browser logs its 401
        page.problems[:] = [p for p in page.problems if "401" not in p]
    finally:
        gw.terminate()
        gw.wait(30)


def test_brushing_the_timeline_keeps_that_period_on_the_map(up, page):
    doc = sample_doc(up)
    page.goto(up.web + "/#document=" + urllib.parse.quote(doc))
    g = wait_ready(page)
    box = page.locator("#timeline svg").bounding_box()
    y = box["y"] + 1
    page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=5)
    page.mouse.up()
    wait_ready(page, g)
    view = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).fragment)
    start, end = view["from"][0], view["to"][0]
    assert start <= end
    want = [e["id"] for e in up.all_events(f"document={doc}&from={start}&to={end}") if located(e)]
    assert sorted(map_markers(page).evaluate_all("ns => ns.map(n => n.dataset.eventId)")) == sorted(want)
    assert page.locator("#f-from").input_value() == start
