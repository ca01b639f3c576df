"""The web playground in headless Chromium (Debian's), against a real `bioql serve`."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.server.live import ROOT, bioql_serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def server(tmp_path):  # type: ignore[no-untyped-def]
    live = bioql_serve(tmp_path / "home", tmp_path / "serve.log", BIOQL_PROVIDER="template")
    live.wait_ready(read_first_line=True)
    key_file = Path(json.loads(live.first_line)["admin"]["api_key_file"])
    yield live, key_file.read_text().strip()
    live.stop()


def test_generate_then_run_shows_code_cost_balance_and_a_histogram(server, tmp_path):
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Debian's chromium is missing: run `make browser-deps`.")
    from playwright.sync_api import expect, sync_playwright

    live, key = server
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1100, "height": 1300},
        )
        try:
            page = browser.new_page()
            page.goto(live.url + "/")
            page.fill("#api-key", key)
            page.fill("#prompt", "Create a Bell state and measure it 1000 times")
            page.click("#generate")
            expect(page.locator("#code")).to_contain_text("quantum(", timeout=60_000)
            expect(page.locator("#user-cost")).to_have_text(re.compile(r"^\$0\.\d{2,9}$"))
            expect(page.locator("#markup")).to_have_text("40% markup = 28.57% margin")
            price = Decimal(page.locator("#user-cost").inner_text()[1:])
            balance = Decimal(page.locator("#balance").inner_text()[1:])
            assert price > 0 and balance + price == 10  # the $10 admin account, less this request
            expect(page.locator("#reasoning")).not_to_be_empty()

            page.click("#run")
            bars = page.locator("#histograms svg rect.bar")
            expect(bars.first).to_be_visible(timeout=60_000)
            outcomes = {bars.nth(i).get_attribute("data-outcome") for i in range(bars.count())}
            assert outcomes == {"00", "11"}
            total = sum(int(bars.nth(i).get_attribute("data-count")) for i in range(bars.count()))
            assert total == 1000
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "playground.png"), full_page=True)

            # the API reference renders with no network access (Swagger UI served locally)
            docs = browser.new_page()
            docs.goto(live.url + "/docs")
            expect(
                docs.locator(".opblock-summary-path", has_text="/v1/generate").first
            ).to_be_visible(timeout=30_000)

            # a bad key is reported on the page, not silently ignored
            page.fill("#api-key", "bioql_" + "z" * 43)
            page.click("#generate")
            expect(page.locator("#status")).to_contain_text("not valid", timeout=10_000)
        finally:
            browser.close()
