"""End to end in headless Chromium against a real ``streamlit run``, fully offline.

Search a debtor, open the network and see vis-network draw it, open a finding, download
the evidence PDF, run a Cypher query; every request the page makes must go to
127.0.0.1. Screenshots are kept in ``test-artifacts/`` (ignored by git).

Chromium is Debian's (``apt-get install chromium fonts-noto-cjk``), driven by the
``playwright`` Python package with ``executable_path``; ``playwright install`` (which
downloads a browser) is never used. Without /usr/bin/chromium the tests are skipped,
saying why. (No conftest.py here: a second ``conftest`` module would clash with
tests/conftest.py under ``--doctest-modules``.)
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlparse

import pytest

from debtorgraph.ui.sample import sample_entities

from app_server import CHROMIUM, CHROMIUM_ARGS, ROOT, served


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is missing: pip install playwright (never `playwright install`)"
    return None


pytestmark = [pytest.mark.browser, pytest.mark.skipif(_missing() is not None, reason=_missing() or "")]
TIMEOUT = 30_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    folder = ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder


#: A friend of the sample debtor whose name is an XSS payload: it must show as text only.
XSS_NAME = '</script><img src=x onerror="window.top.__xss=1;alert(1)">恶意<b onmouseover=alert(2)>'
HOSTILE = [
    {"id": "p-xss", "schema": "Person", "properties": {"name": [XSS_NAME]}},
    {"id": "assoc-xss", "schema": "Associate",
     "properties": {"person": ["p-wang"], "associate": ["p-xss"], "relationship": ["朋友"]}},
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("browser"), list(sample_entities()) + HOSTILE) as url:
        yield url


@pytest.fixture
def page(browser: Any, app_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT)
    pg.requests = []  # type: ignore[attr-defined]
    pg.on("request", lambda req: pg.requests.append(req.url))  # type: ignore[attr-defined]
    yield pg
    context.close()


def outside(urls: list[str]) -> list[str]:
    """Requests that left the machine (anything but 127.0.0.1 and in-page schemes)."""
    bad = []
    for u in urls:
        p = urlparse(u)
        if p.scheme in ("data", "blob", "about", "chrome-extension"):
            continue
        if p.hostname != "127.0.0.1":
            bad.append(u)
    return bad


def wait_idle(page: Any) -> None:
    """Until Streamlit has finished the current run."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)
    page.wait_for_timeout(300)


def nav(page: Any, title: str) -> None:
    page.get_by_role("link", name=title).first.click()
    page.wait_for_selector(f"h1:has-text('{title}')")
    wait_idle(page)


def test_investigator_journey(page: Any, app_url: str, artifacts: Path) -> None:
    page.goto(app_url + "/search")
    page.wait_for_selector("h1:has-text('检索')")
    box = page.get_by_role("textbox").first
    box.fill("王建")
    box.press("Enter")
    page.get_by_role("button", name="打开").first.click()

    # the network: vis-network draws on a canvas inside the iframe
    page.wait_for_selector("h1:has-text('关系网络')")
    frame_el = page.wait_for_selector("iframe[title='st.iframe'], iframe")
    frame = frame_el.content_frame()
    frame.wait_for_selector("#net[data-drawn]:not([data-drawn='0'])", timeout=TIMEOUT)
    drawn = frame.evaluate("() => { const c = document.querySelector('#net canvas');"
                           " return c ? [c.width, c.height, document.querySelector('#net').dataset.drawn] : null; }")
    assert drawn and drawn[0] > 300 and drawn[1] > 300 and int(drawn[2]) >= 15
    page.wait_for_timeout(1500)  # let the layout settle for the picture
    page.screenshot(path=str(artifacts / "network.png"), full_page=False)

    # findings: a list when detection runs, otherwise the clear note
    nav(page, "可疑行为")
    body = page.inner_text("main")
    if "尚未安装" in body:
        assert "debtorgraph.analysis" in body
    else:
        assert "共" in body and "条可疑行为" in body
        page.wait_for_selector("iframe", timeout=60_000)  # the acts drawn
    page.screenshot(path=str(artifacts / "findings.png"))

    # evidence: build and download the PDF
    nav(page, "证据链")
    body = page.inner_text("main")
    if "debtorgraph.analysis.evidence" in body and "尚未安装" in body:
        pass  # the clear message
    else:
        page.get_by_role("button", name="生成证据材料").click()
        page.get_by_role("button", name="下载 PDF").wait_for(timeout=90_000)
        with page.expect_download() as dl:
            page.get_by_role("button", name="下载 PDF").click()
        path = artifacts / "evidence.pdf"
        dl.value.save_as(str(path))
        assert path.read_bytes()[:5] == b"%PDF-" and path.stat().st_size > 5000
    page.screenshot(path=str(artifacts / "evidence.png"))

    # Cypher console
    nav(page, "Cypher 查询")
    page.get_by_role("tab", name="自由查询（只读）").click()
    area = page.get_by_role("textbox").first
    area.fill("MATCH (p:Entity)-[r:PAYMENT]->(q:Entity) WHERE p.caption = '王建国' "
              "RETURN q.caption AS who, r.amount AS amount ORDER BY amount DESC")
    page.get_by_role("button", name="运行").click()
    page.wait_for_selector("text=/\\d+ 行/")
    page.screenshot(path=str(artifacts / "cypher.png"))
    text = page.inner_text("main")
    assert re.search(r"(^|\s)5 行", text), text[-800:]

    assert outside(page.requests) == [], outside(page.requests)  # type: ignore[attr-defined]
    assert any("127.0.0.1" in u for u in page.requests)  # type: ignore[attr-defined]


def test_a_system_cjk_font_spares_the_apps_own(page: Any, app_url: str) -> None:
    """With a system CJK font (.ci/install-test-deps installs Noto), the app draws Chinese with it
    and never fetches its 4.6 MB file (debtorgraph.ui.fonts); without one, see test_app_pages_browser."""
    import subprocess

    system = subprocess.run(["fc-list", ":lang=zh", "fullname"], capture_output=True, text=True).stdout
    page.goto(app_url + "/")
    page.wait_for_selector("h1:has-text('总览')")
    wait_idle(page)
    fetched = [u for u in page.requests if u.endswith("wqy-microhei.ttf")]  # type: ignore[attr-defined]
    if "Noto Sans CJK SC" in system:
        assert fetched == []
    else:  # a machine without the named fonts fetches ours
        assert fetched


def test_the_store_table_is_drawn_when_its_box_opens(page: Any, app_url: str) -> None:
    """The Overview's folded store contents draw their table only once opened (the first page
    does not wait for Streamlit's table scripts)."""
    page.goto(app_url + "/")
    page.wait_for_selector("h1:has-text('总览')")
    wait_idle(page)
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    page.locator("[data-testid='stExpander'] summary").filter(has_text="库内数据").click()
    page.wait_for_selector("[data-testid='stDataFrame']")


def test_english_and_masking(page: Any, app_url: str, artifacts: Path) -> None:
    page.goto(app_url + "/search")
    page.wait_for_selector("h1:has-text('检索')")
    page.get_by_text("English").click()
    page.wait_for_selector("h1:has-text('Search')")
    box = page.get_by_role("textbox").first
    box.fill("6222021234")
    box.press("Enter")
    page.wait_for_selector("text=0123")
    text = page.inner_text("main")
    assert "6222021234567890123" not in text and "0123" in text
    page.screenshot(path=str(artifacts / "search-en.png"))
    assert outside(page.requests) == []  # type: ignore[attr-defined]


def test_xss_name_does_not_execute(page: Any, app_url: str, artifacts: Path) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # the search page lists the hostile person by name
    page.goto(app_url + "/search")
    page.wait_for_selector("h1:has-text('检索')")
    box = page.get_by_role("textbox").first
    box.fill("恶意")
    box.press("Enter")
    wait_idle(page)
    page.wait_for_function("() => document.querySelector('main').innerText.includes('恶意')",
                           timeout=TIMEOUT)  # a busy machine renders the results late
    assert "恶意" in page.inner_text("body")
    # the debtor's network draws the hostile friend, labels and tooltips as text
    page.goto(app_url + "/investigate?debtor=p-wang")
    frame = page.wait_for_selector("iframe").content_frame()
    frame.wait_for_selector("#net[data-drawn]:not([data-drawn='0'])", timeout=TIMEOUT)
    for node in frame.query_selector_all("#net canvas"):
        box_ = node.bounding_box()
        if box_:  # sweep the canvas so any tooltip (vis-network's title popups) gets shown
            for fx in (0.2, 0.4, 0.5, 0.6, 0.8):
                for fy in (0.2, 0.4, 0.5, 0.6, 0.8):
                    page.mouse.move(box_["x"] + box_["width"] * fx, box_["y"] + box_["height"] * fy)
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "xss-network.png"))
    assert frame.evaluate("() => JSON.stringify(document.body.innerHTML).includes('p-xss')") or \
        "恶意" in frame.inner_text("body") or frame.evaluate("() => document.body.innerHTML.includes('恶意')")
    assert frame.query_selector('img[src="x"]') is None and page.query_selector('img[src="x"]') is None
    assert page.evaluate("() => window.__xss === undefined")
    assert dialogs == []
    assert outside(page.requests) == []  # type: ignore[attr-defined]
