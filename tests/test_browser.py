"""A person's path through ``visitdata serve`` in real headless Chromium (Debian's package).

Starts the server on a free loopback port, searches for a person, opens one of their visits
and checks what the page shows; the screenshot is kept for a human to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import visitdata
import visitdata.cli

pytestmark = pytest.mark.slow

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver"
#: Where screenshots are kept (default: the test's temporary folder, printed in the test's output).
SCREENSHOTS_ENV = "VISITDATA_SCREENSHOTS"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
)


#: Set by .ci/run, with the reason, when apt-get could not install Chromium.
NO_CHROMIUM_ENV = "VISITDATA_NO_CHROMIUM"


def _missing(reason: str) -> None:
    """Skip, saying why, where Chromium cannot be installed; in CI, fail unless .ci/run tried and could not."""
    if os.environ.get(NO_CHROMIUM_ENV):
        pytest.skip(f"{reason}: {os.environ[NO_CHROMIUM_ENV]}")
    if os.environ.get("CI"):
        pytest.fail(f"{reason}, and .ci/run did not report that it could not install it")
    pytest.skip(f"{reason}: apt-get install chromium chromium-driver")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_command(port: int) -> list[str]:
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--release", str(visitdata.release_dir())]
    if "serve" in getattr(visitdata.cli, "COMMANDS", {}):
        return [sys.executable, "-m", "visitdata.cli", *args]
    return [sys.executable, "-m", "visitdata.serve", *args[1:]]  # until the CLI wires `serve`


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(_serve_command(port), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"visitdata serve did not start: {(tmp_path / 'serve.log').read_text()[-2000:]}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def browser(tmp_path):
    chromium = next((p for p in CHROMIUM if Path(p).exists()), None)
    if chromium is None:
        _missing("Chromium is not installed")
    if not Path(CHROMEDRIVER).exists():
        _missing("chromedriver is not installed")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ModuleNotFoundError:
        pytest.fail("selenium is part of the test extra: pip install -e '.[test]'")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)  # no Selenium Manager, no downloads
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def test_search_a_person_and_open_one_of_their_visits(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{server}/visitdata/persons")
    search = browser.find_element(By.NAME, "_search")
    search.send_keys("Kim Jong Un", Keys.ENTER)
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert len(rows) == 1 and "Kim Jong Un" in rows[0].text and "김정은" in rows[0].text

    rows[0].find_element(By.CSS_SELECTOR, "a[href$='/persons/kim-jong-un']").click()
    assert "kim-jong-un" in browser.current_url
    browser.find_element(By.CSS_SELECTOR, "a[href*='/attendees?person_id=kim-jong-un']").click()
    attendances = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert len(attendances) >= 2 and all("Kim Jong Un" in row.text for row in attendances)

    browser.find_element(By.CSS_SELECTOR, "a[href$='/visits/kim-jong-un-chn-2025-09']").click()
    page = browser.find_element(By.TAG_NAME, "body").text
    for shown in (
        "kim-jong-un-chn-2025-09",
        "CHN",
        "Beijing",
        "2025-09-02",
        "2025-09-04",
        "ceremony",
        "took_place",
        "80th anniversary of the victory over Japan",
        "Country where the visit took place",
        "Links from other tables",
    ):
        assert shown in page, f"the visit's page does not show {shown!r}"
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / "visit-kim-jong-un-chn-2025-09.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")

    browser.find_element(By.PARTIAL_LINK_TEXT, "Attendees of this visit").click()
    table = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns").text
    assert "Kim Jong Un" in table and "lead" in table and "Chairman of the State Affairs Commission" in table
    assert "Korea JoongAng Daily" in table  # the sources of each attendance
