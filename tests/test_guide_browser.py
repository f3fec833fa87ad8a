"""The user guide reads in a graphical browser and at 80 columns in a text browser.

Graphical: Debian's Chromium, driven as tests/test_server_browser.py drives it (tests/browser.py:
the system's chromium and chromedriver, nothing downloaded), opens the built guide from the file
system, takes a screenshot of the first page and of the chapter that shows the coding screen, and
checks they are not blank, that every picture loaded at the width of the text, that nothing was
fetched from anywhere but the guide's own files, and that no page scrolls sideways, wide or
narrow. Text: every chapter dumped by w3m at 80 columns keeps its headings, its pictures' alt
texts and its prose, in lines of at most 80 columns, with no markup showing.

Where Chromium or w3m is absent the tests skip, saying how to install them; under
``WORKBENCH_REQUIRE_BROWSER=1`` (CI, whose README command installs both) they fail instead.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from browser import close_browser, open_browser, requested, require, wait_for
from guide import images, pages, source

# The first page, and the coding chapter (every key of the coding screen, with its pictures).
SCREENSHOTS = ["index.md", "coding.md"]
W3M = "w3m"


@pytest.fixture
def site(guide_site) -> Path:
    return guide_site


@pytest.fixture(scope="module")
def chromium():
    require()
    driver = open_browser(network_log=True)
    yield driver
    close_browser(driver)


def _title(page: str) -> str:
    return re.search(r"^# (.+)$", source(page), re.M)[1].strip()


def _loaded(driver) -> bool:
    return driver.execute_script(
        "return document.readyState === 'complete' && "
        "Array.from(document.images).every(i => i.complete)"
    )


def _not_blank(png: bytes) -> tuple[float, int]:
    """(share of the commonest colour, number of colours) of a screenshot."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 24)
    return max(count for count, _ in colours) / (image.width * image.height), len(colours)


def _sideways(driver) -> int:
    """How far the page scrolls sideways, in CSS pixels (0: it fits the window)."""
    return driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("page", SCREENSHOTS)
def test_a_graphical_browser_shows_the_page_whole_from_its_own_files(
    page, site, chromium, tmp_path
):
    from selenium.webdriver.common.by import By

    driver = chromium
    driver.set_window_size(1280, 900)
    requested(driver)  # forget earlier pages' requests
    driver.get((site / page.replace(".md", ".html")).as_uri())
    wait_for(lambda: _loaded(driver), 30, f"{page} and its pictures")
    png = driver.get_screenshot_as_png()
    (tmp_path / f"{page}.png").write_bytes(png)
    commonest, colours = _not_blank(png)
    assert commonest < 0.95 and colours > 50, f"the screenshot ({tmp_path / page}.png) looks blank"
    assert driver.find_element(By.CSS_SELECTOR, "article h1").text.strip() == _title(page)
    assert len(driver.find_element(By.CSS_SELECTOR, "article").text) > 800

    article = driver.find_element(By.CSS_SELECTOR, "article").size["width"]
    pictures = driver.find_elements(By.CSS_SELECTOR, "article img.screen")
    assert len(pictures) == len(images(page))
    for picture in pictures:
        assert driver.execute_script("return arguments[0].naturalWidth", picture) > 0, (
            picture.get_attribute("src")
        )
        assert picture.size["width"] >= 0.9 * article - 40, "a picture narrower than the text"

    fetched = requested(driver)
    elsewhere = [url for url in fetched if not re.match(r"(file|data|blob|about):", url)]
    assert not elsewhere, f"fetched from elsewhere: {elsewhere}"
    assert any(url.endswith(".svg") for url in fetched) == bool(images(page)) and len(fetched) > 3
    assert _sideways(driver) <= 0
    driver.set_window_size(420, 900)  # a phone, or a window beside the terminal
    wait_for(
        lambda: _sideways(driver) <= 0, 5, f"{page} to fit 420 pixels without scrolling sideways"
    )


def test_the_check_of_requests_sees_one_to_another_host(chromium, tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<img src="https://fonts.example.invalid/a.png"><p>text</p>', encoding="utf-8")
    requested(chromium)
    chromium.get(page.as_uri())
    wait_for(lambda: _loaded(chromium), 30, "the page")
    assert "https://fonts.example.invalid/a.png" in requested(chromium)


def _w3m_missing() -> str | None:
    if shutil.which(W3M) is None:
        return (
            "w3m is absent: install Debian's w3m (apt-get install -y w3m; the README's test "
            "command "
            "does it as root)"
        )
    return None


@pytest.fixture(scope="module")
def w3m():
    reason = _w3m_missing()
    if reason and os.environ.get("WORKBENCH_REQUIRE_BROWSER"):
        pytest.fail(f"WORKBENCH_REQUIRE_BROWSER is set but {reason}")
    if reason:
        pytest.skip(reason)


def _columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _prose(page: str) -> list[str]:
    """The first sentence of each paragraph of prose (not tables, lists, code or headings)."""
    text = re.sub(r"^```.*?^```", "", source(page), flags=re.S | re.M)
    found = []
    for paragraph in re.split(r"\n\s*\n", text):
        first = paragraph.strip().splitlines()[0] if paragraph.strip() else ""
        if not first or first[0] in "#|-!<[*0123456789" or "`" in paragraph or "](" in paragraph:
            continue
        found.append(re.split(r"(?<=[.:;])\s", " ".join(paragraph.split()))[0])
    return found


@pytest.mark.parametrize("page", pages())
def test_a_text_browser_reads_the_page_at_80_columns(page, site, w3m):
    dump = subprocess.run(
        [W3M, "-dump", "-cols", "80", "-O", "UTF-8", str(site / page.replace(".md", ".html"))],
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    ).stdout
    lines = dump.splitlines()
    wide = [f"{n}: {line}" for n, line in enumerate(lines, 1) if _columns(line) > 80]
    assert not wide, "lines wider than 80 columns:\n" + "\n".join(wide)
    flat = " ".join(dump.split())
    headings = [
        h.strip()
        for h in re.findall(
            r"^#{1,3} (.+)$", re.sub(r"^```.*?^```", "", source(page), flags=re.S | re.M), re.M
        )
    ]
    missing = [h for h in headings if f"{h}¶" not in flat and h not in lines]
    assert not missing, f"headings not in the text: {missing}"
    for alt, _ in images(page):
        assert alt in flat, f"the picture's alt text is not in the text: {alt}"

    def plain(text: str) -> str:
        return " ".join(re.sub(r"[*_`]|\[([^\]]*)\]\([^)]*\)", r"\1", text).split())

    lost = [sentence for sentence in _prose(page) if plain(sentence) not in flat]
    assert not lost, f"prose not in the text: {lost}"
    for leak in ("{ .screen }", "<!--", "&lt;", "&amp;", "```"):
        assert leak not in dump, f"{leak} shows in the text"
    start = next(n for n, line in enumerate(lines) if line.startswith(_title(page)))
    assert start < 60, f"the page's text starts at line {start}, after the navigation"
