"""The team server in a real browser: Debian's chromium, driven through chromium-driver.

`workbench serve` runs on 127.0.0.1 and a free port; two coders sign in from two browsers
(separate profiles) and code comments from the keyboard at the same time; the project
file must hold each one's codings with their name as the audit trail's `who`, and
nothing coder A coded may ever reach coder B's page (everything B's page received over its
websocket is searched, not only the last screen). Forged requests (another user in the
query, a forged cookie, a websocket from another origin's page) fail.

Where Chromium is absent the tests skip, saying how to install it; under
``WORKBENCH_REQUIRE_BROWSER=1`` (set by ``.ci/run``) a missing browser fails them instead.
"""

from __future__ import annotations

import http.server
import json
import threading
import zipfile
from functools import partial

import pytest
from browser import (
    Served,
    close_browser,
    missing,
    open_browser,
    press,
    received,
    require,
    sign_in,
    strip_escapes,
    wait_for,
)

from workbench.server import accounts, passwords
from workbench.store import Store

PASSWORDS = {
    "coder_ana": "ana's long password",
    "coder_ben": "ben's long password",
    "lead_lee": "lee's long password",
}
MEMO_A, MEMO_B = "MEMO-ANA-7f3c", "MEMO-BEN-9d2e"


@pytest.fixture(scope="module")
def chromium():
    require()


def test_a_missing_browser_skips_here_and_fails_in_ci(monkeypatch, tmp_path):
    import browser

    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    assert "apt-get install -y chromium chromium-driver" in missing()
    with pytest.raises(pytest.skip.Exception, match="no-chromium is absent"):
        require({})
    with pytest.raises(
        pytest.fail.Exception, match="WORKBENCH_REQUIRE_BROWSER is set but .*no-chromium"
    ):
        require({"WORKBENCH_REQUIRE_BROWSER": "1"})


@pytest.fixture
def served(chromium, tmp_path, monkeypatch, request):
    from workbench.demo import build_demo, code_demo

    monkeypatch.setattr(
        passwords, "N", 2**10
    )  # stored with the hash; the server upgrades it on sign-in
    store, _ = build_demo(tmp_path / "team.db")
    if "coded" in request.keywords:
        code_demo(store)  # ana's and ben's codings and the agreed coding: tables to download
    for name, role in (("coder_ana", "coder"), ("coder_ben", "coder"), ("lead_lee", "lead")):
        accounts.add_user(store, name, role, PASSWORDS[name])
    store.close()
    server = Served(tmp_path / "team.db")
    yield server, tmp_path / "team.db"
    server.stop()


@pytest.fixture
def browsers():
    opened = []

    def make(**kw):
        opened.append(open_browser(**kw))
        return opened[-1]

    yield make
    for driver in opened:
        close_browser(driver)


def _codings(path, coder: str) -> dict[str, tuple]:
    store = Store.open(path)
    found = store.coder_named(coder)
    if found is None:
        return {}
    refs = {c.id: c.ref for c in store.comments()}
    codings = {
        refs[i]: (c.category_key, tuple(c.themes), c.memo)
        for i, c in store.codings_of(found.id).items()
    }
    store.close()
    return codings


def _code(driver, path, coder: str, keys: str, expected: dict[str, tuple]) -> None:
    press(driver, *keys)
    wait_for(lambda: _codings(path, coder) == expected, 30, f"{coder}'s codings {expected}")


def _memo(driver, path, coder: str, text: str, expected: dict[str, tuple]) -> None:
    from selenium.webdriver.common.keys import Keys

    press(driver, "\n")
    wait_for(lambda: "Memo on" in received(driver), 30, "the memo editor")
    press(driver, text, Keys.CONTROL + "s")  # the memo editor: enter is a new line, ctrl+s saves
    wait_for(lambda: _codings(path, coder) == expected, 30, f"{coder}'s memo")


def test_two_coders_code_at_once_each_blind_to_the_other(served, browsers, tmp_path):
    server, path = served
    ana, ben = browsers(), browsers()
    sign_in(ana, server.url, "coder_ana", PASSWORDS["coder_ana"])
    sign_in(ben, server.url, "coder_ben", PASSWORDS["coder_ben"])
    for driver, name in ((ana, "coder_ana"), (ben, "coder_ben")):
        wait_for(
            lambda d=driver: "FG1-002" in received(d) and "Themes" in received(d),
            60,
            f"{name}'s coding screen",
        )
        assert f"coding as {name}" in received(driver)

    # Keys alternate between the two browsers; each decision is in the file before the next key.
    a, b = {}, {}
    a["FG1-002"] = ("effective", (), "")
    _code(ana, path, "coder_ana", "2", a)
    b["FG1-002"] = ("ineffective", (), "")
    _code(ben, path, "coder_ben", "3", b)
    a["FG1-002"] = ("effective", ("learning",), "")
    _code(ana, path, "coder_ana", "l", a)
    b["FG1-002"] = ("ineffective", ("role_shift",), "")
    _code(ben, path, "coder_ben", "r", b)
    a["FG1-003"] = ("benefits", (), "")
    _code(ana, path, "coder_ana", "j4", a)
    b["FG1-003"] = ("defining", (), "")
    _code(ben, path, "coder_ben", "j1", b)
    a["FG1-003"] = ("benefits", (), MEMO_A)
    _memo(ana, path, "coder_ana", MEMO_A, a)
    b["FG1-003"] = ("defining", (), MEMO_B)
    _memo(ben, path, "coder_ben", MEMO_B, b)

    # The audit trail names the signed-in user for every change, and their sign-ins.
    rows = Store.open(path).audit_rows()
    coded = [(r["actor"], r["entity_ref"]) for r in rows if r["entity"] == "coding"]
    assert sorted(set(coded)) == [
        ("coder_ana", "FG1-002"),
        ("coder_ana", "FG1-003"),
        ("coder_ben", "FG1-002"),
        ("coder_ben", "FG1-003"),
    ]
    assert len(coded) == 8
    assert {r["actor"] for r in rows if r["action"] == "sign-in"} == {"coder_ana", "coder_ben"}

    # Coder B looks everywhere a coding session lets them: home, and the keys it keeps.
    press(ben, "\x1b")
    wait_for(lambda: "to code" in received(ben), 30, "coder B's home screen")
    for key in "Rtm":
        press(ben, key)
    wait_for(lambda: "the model screen shows" in received(ben), 30, "the refusal of m")
    page_b, page_a = received(ben), received(ana)
    assert "coder_ana" not in page_b and MEMO_A not in page_b and "Reconcile:" not in page_b
    assert "coder_ben" not in page_a and MEMO_B not in page_a

    # Forged requests for another coder, from coder B's own signed-in page: the query of the
    # page and of the websocket are ignored, the app is coder B's.
    ben.get(server.url + "/?user=coder_ana&role=lead&as-user=coder_ana")
    wait_for(lambda: "coding as coder_ben" in received(ben), 60, "coder B's app again")
    ben.execute_script(
        "window.forged = []; const s = new WebSocket((location.origin + '/ws?user=coder_ana&role=lead"
        "&as-user=coder_ana&width=120&height=40').replace('http', 'ws')); s.binaryType = 'arraybuffer';"
        "const d = new TextDecoder(); s.onmessage = (e) => window.forged.push(typeof e.data === 'string' ?"
        " e.data : d.decode(e.data, {stream: true}));"
    )
    forged = lambda: strip_escapes("".join(ben.execute_script("return window.forged")))  # noqa: E731
    wait_for(lambda: "coding as coder_" in forged(), 60, "the forged websocket's app")
    assert "coding as coder_ben" in forged() and "coder_ana" not in received(ben) + forged()

    # A forged session cookie gets the sign-in page, not an app.
    intruder = browsers()
    intruder.get(server.url + "/login")
    intruder.add_cookie({"name": "workbench_session", "value": "f" * 43, "path": "/"})
    intruder.get(server.url + "/")
    assert intruder.current_url.endswith("/login")

    # Another origin's page (same site: 127.0.0.1, so the SameSite cookie goes along) may
    # not open coder B's websocket: the Origin check refuses it.
    (tmp_path / "evil.html").write_text(
        f"<script>const s = new WebSocket('ws://127.0.0.1:{server.port}/ws'); window.result = 'pending';"
        "s.onopen = () => { window.result = 'open'; }; s.onclose = () => { if (window.result !== 'open') "
        "window.result = 'refused'; };</script>"
    )
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        ben.get(f"http://127.0.0.1:{evil.server_address[1]}/evil.html")
        assert (
            wait_for(
                lambda: ben.execute_script("return window.result") in ("open", "refused"),
                30,
                "the cross-origin websocket",
            )
            and ben.execute_script("return window.result") == "refused"
        )
    finally:
        evil.shutdown()
    assert "websocket refused for coder_ben: origin 'http://127.0.0.1:" in server.output()
    assert _codings(path, "coder_ana") == a and _codings(path, "coder_ben") == b


@pytest.mark.coded
def test_the_lead_downloads_a_report_table(served, browsers, tmp_path):
    server, path = served
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    lead = browsers(downloads=downloads)
    sign_in(lead, server.url, "lead_lee", PASSWORDS["lead_lee"])
    wait_for(lambda: "Focus groups" in received(lead), 60, "the lead's home screen")
    press(lead, "t")
    wait_for(lambda: "Categories by focus group" in received(lead), 60, "the report screen")
    press(lead, "e")
    wait_for(lambda: "Download the table as" in received(lead), 30, "the download prompt")
    press(lead, "\n")
    docx = wait_for(lambda: [p for p in downloads.glob("*.docx")], 60, "the downloaded .docx")[0]
    wait_for(lambda: zipfile.is_zipfile(docx), 30, "the whole file")
    assert (
        docx.name == "categories.docx" and "word/document.xml" in zipfile.ZipFile(docx).namelist()
    )
    runs = [r for r in Store.open(path).audit_rows() if r["action"] == "report"]
    assert [r["actor"] for r in runs] == ["lead_lee"]


def test_a_coders_theme_export_is_a_download_never_a_file_on_the_server(served, browsers, tmp_path):
    """Browse by theme's export wrote to the path a served coder typed, on the server's disk,
    and nothing reached the browser."""
    server, path = served
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    target = tmp_path / "server-side" / "stolen-quotes.docx"
    target.parent.mkdir()
    ana = browsers(downloads=downloads)
    sign_in(ana, server.url, "coder_ana", PASSWORDS["coder_ana"])
    wait_for(
        lambda: "FG1-002" in received(ana) and "Themes" in received(ana), 60, "the coding screen"
    )
    _code(ana, path, "coder_ana", "2l", {"FG1-002": ("effective", ("learning",), "")})
    press(ana, "\x1b")
    wait_for(lambda: "to code" in received(ana), 30, "the home screen")
    press(ana, "b")
    wait_for(lambda: "Codes: your coding" in received(ana), 60, "browse by theme")
    press(ana, "e")
    wait_for(lambda: "the comments coded" in received(ana), 30, "the prompt")
    press(ana, str(target), "\n")  # the default is selected: typing replaces it
    docx = wait_for(lambda: list(downloads.glob("*.docx")), 60, "the downloaded .docx")[0]
    wait_for(lambda: zipfile.is_zipfile(docx), 30, "the whole file")
    assert docx.name == "stolen-quotes.docx"
    assert "word/document.xml" in zipfile.ZipFile(docx).namelist()
    assert list(target.parent.iterdir()) == []  # nothing where the coder pointed
    runs = [r for r in Store.open(path).audit_rows() if r["action"] == "report"]
    assert [(r["actor"], json.loads(r["after"])["outputs"]) for r in runs] == [
        ("coder_ana", ["stolen-quotes.docx (download)"])
    ]


def test_a_tab_over_the_cap_gets_a_page_that_says_so(served, browsers):
    from selenium.webdriver.common.by import By

    first, path = served
    first.stop()
    server = Served(path, "--apps-per-user", "1")
    try:
        ana = browsers()
        sign_in(ana, server.url, "coder_ana", PASSWORDS["coder_ana"])
        wait_for(lambda: "FG1-002" in received(ana), 60, "the coding screen")
        app_tab = ana.current_window_handle
        ana.switch_to.new_window("tab")
        ana.get(server.url + "/")
        refused = ana.find_element(By.ID, "refused").text
        assert refused.startswith("You have 1 Workbench window open, the most one account may have")
        ana.find_element(By.ID, "sign-out").click()  # from the refusal page: the app closes
        wait_for(lambda: ana.current_url.endswith("/login"), 30, "the sign-in page")
        ana.switch_to.window(app_tab)
        why = wait_for(lambda: ana.find_element(By.ID, "closed-why").text, 30, "the reason shown")
        assert why == "signed out"  # the app page says why it closed
        assert "-closed" in ana.find_element(By.TAG_NAME, "body").get_attribute("class")
    finally:
        server.stop()
