"""A real ``streamlit run`` of the app on a free 127.0.0.1 port, and headless Chromium.

Chromium is Debian's (``apt-get install chromium fonts-noto-cjk``), driven by the
``playwright`` Python package with ``executable_path``; ``playwright install`` (which
downloads a browser) is never used. Without /usr/bin/chromium the tests are skipped,
saying why.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from app_server import CHROMIUM, CHROMIUM_ARGS, ROOT

ARTIFACTS = ROOT / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            reason = "the playwright package is missing: pip install playwright (never `playwright install`)"
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
