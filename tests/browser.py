"""Driving the team server with a real browser: Debian's chromium through chromium-driver.

Used by ``test_server_browser.py`` and ``benchmarks/server_bench.py``. Nothing is
downloaded: Selenium is given the driver's path (no Selenium Manager) and the browser's.
Every page records what its websockets receive (the terminal's bytes) and when each key
went down, so a test can read everything the page was ever sent, not only what is on the
screen at the end (xterm.js draws on a canvas: the screen is not in the DOM).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,800",
]
ROOT = Path(__file__).resolve().parents[1]

# Before any page script: keep every websocket message received and every key pressed.
RECORDER = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__wbReceived = [];
  window.__wbKeys = [];
  class Recorded extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      window.__wbSocket = this;
      this.addEventListener("message", (event) => {
        window.__wbReceived.push(typeof event.data === "string" ? event.data
                                 : decoder.decode(event.data, {stream: true}));
      });
    }
  }
  window.WebSocket = Recorded;
  document.addEventListener("keydown", (event) => window.__wbKeys.push([event.key, Date.now()]), true);
})();
"""

_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def missing() -> str | None:
    """Why the browser cannot be driven here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists():
            return (
                f"{path} is absent: install Debian's chromium and chromium-driver "
                "(apt-get install -y chromium chromium-driver; the README's test command does it as root)"
            )
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


def require(environ=os.environ) -> None:
    """Skip the calling test where the browser cannot be driven, saying why; fail it instead
    under ``WORKBENCH_REQUIRE_BROWSER`` (CI, where the README's command installs Chromium)."""
    import pytest

    reason = missing()
    if reason and environ.get("WORKBENCH_REQUIRE_BROWSER"):
        pytest.fail(f"WORKBENCH_REQUIRE_BROWSER is set but {reason}")
    if reason:
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """`workbench serve PROJECT` on 127.0.0.1 and a free port, in a child process (its output
    in ``serve.log`` beside the project)."""

    def __init__(self, project: Path, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(project).parent / "serve.log"
        out = self.log.open("wb")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "workbench",
                "serve",
                str(project),
                "--port",
                str(self.port),
                *args,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        out.close()  # the child has its own handle
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.output()}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the server did not listen within 30 s: {self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def open_browser(downloads: Path | None = None, network_log: bool = False):
    """A fresh headless Chromium (its own profile: cookies are not shared); with ``network_log``,
    every request it makes is kept for ``requested(driver)``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="workbench-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    if network_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    if downloads is not None:
        options.add_experimental_option(
            "prefs",
            {
                "download.default_directory": str(downloads),
                "download.prompt_for_download": False,
                "profile.default_content_setting_values.popups": 1,
                "profile.default_content_setting_values.automatic_downloads": 1,
            },
        )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.profile_dir = profile
    if downloads is not None:
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    return driver


def requested(driver) -> list[str]:
    """The URL of every request the browser sent since the last call (``network_log``)."""
    import json

    events = (json.loads(entry["message"])["message"] for entry in driver.get_log("performance"))
    return [
        e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"
    ]


def close_browser(driver) -> None:
    driver.quit()
    shutil.rmtree(driver.profile_dir, ignore_errors=True)


def sign_in(driver, url: str, name: str, password: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver.get(url + "/")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password + Keys.ENTER)


def strip_escapes(text: str) -> str:
    return _ESCAPES.sub("", text)


def received(driver) -> str:
    """Everything the page's websockets received, as text without terminal escapes."""
    return strip_escapes("".join(driver.execute_script("return window.__wbReceived || []")))


def keys_down(driver) -> list[tuple[str, int]]:
    """(key, Date.now() in ms) of every key pressed in the page."""
    return [tuple(k) for k in driver.execute_script("return window.__wbKeys || []")]


def wait_for(predicate, timeout: float = 30.0, what: str = "the condition", every: float = 0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


def terminal(driver):
    """The terminal's keyboard input (xterm.js's helper textarea), focused."""
    from selenium.webdriver.common.by import By

    element = wait_for(
        lambda: driver.find_elements(By.CSS_SELECTOR, ".xterm-helper-textarea"), 30, "the terminal"
    )[0]
    return element


def press(driver, *keys: str) -> None:
    """Type keys into the terminal, one at a time, as a person would."""
    box = terminal(driver)
    for key in keys:
        box.send_keys(key)
