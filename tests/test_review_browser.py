"""align review in a real browser (Debian chromium + chromedriver, driven by selenium).

One browser session: the seed's `align run` folder is reviewed end to end with the
keyboard (flagged filter, accept, merge, edit, glossary fix, export), the server is
killed with SIGKILL between edits and restarted, and screenshots at 1400 px and
390 px are written to the test's temp folder.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from review_helpers import ROOT, run_folder, small_tmx

from align.tmx import read_tmx, validate_tmx

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

pytestmark = [
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
        reason="needs Debian's chromium and chromium-driver (apt-get install chromium "
        "chromium-driver; .ci/run installs them)",
    ),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402


class Server:
    """`align review FOLDER --no-browser` in a child process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> str:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from align.cli import main; main()", "review",
             str(self.folder), "--no-browser"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            m = re.search(r"open:\s+(http://127\.0\.0\.1:\d+/\?token=\S+)", line)
            if m:
                self.url = m.group(1)
                return self.url
            if not line and self.proc.poll() is not None:
                break
        self.kill()
        raise AssertionError("align review did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGINT)
        self.proc.communicate(timeout=20)
        return self.proc.returncode


def run_flagged(folder) -> int:
    """How many beads ``align run`` flagged for review (its scores.json)."""
    import json

    scores = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
    return scores["alignment"]["review"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return run_folder(tmp_path_factory.mktemp("review-browser") / "outputs")


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    opts = Options()
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1400,900",
    ):  # fmt: skip
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    opts.binary_location = CHROMIUM
    # An explicit chromedriver path: selenium-manager never tries to download one.
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_window_size(1400, 900)
    yield drv
    drv.quit()


def wait(drv, script: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = drv.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {script}")


def press(drv, *keys: str) -> None:
    ActionChains(drv).send_keys(*keys).perform()


def rows(drv) -> list:
    return drv.find_elements(By.CSS_SELECTOR, "#rows .row")


def open_page(drv, url: str) -> None:
    drv.get(url)
    wait(drv, "return window.__reviewReady")


def search(drv, text: str) -> None:
    press(drv, "/")
    box = drv.find_element(By.ID, "f-search")
    box.clear()
    box.send_keys(text)
    box.send_keys(Keys.ENTER)
    wait(drv, f"return document.getElementById('f-search').value === {text!r} && "
              "document.activeElement.id !== 'f-search'")  # fmt: skip
    time.sleep(0.2)  # the search box filters after a 150 ms pause


def status_says(drv, text: str) -> None:
    wait(drv, f"return document.getElementById('status').textContent.includes({text!r})")


def test_review_end_to_end(folder, driver, tmp_path):
    server = Server(folder)
    open_page(driver, server.start())
    try:
        assert "0 reviewed · 68 remaining of 68" in driver.find_element(By.ID, "counts").text
        assert "token=" not in driver.current_url  # dropped from the address bar

        # Flagged only: the aligner's flagged beads (as many as the run counted), each
        # with its reason in words.
        flagged = run_flagged(folder)
        assert flagged >= 1
        counts = driver.find_element(By.ID, "counts").text
        assert f"flagged {flagged} ({flagged} not reviewed)" in counts
        press(driver, "f")
        wait(driver, "return document.querySelectorAll('#rows .row:not(.flagged)').length === 0")
        row = rows(driver)[0]
        assert "⚑ flagged" in row.text  # not colour alone
        assert row.find_elements(By.CSS_SELECTOR, "ul.reasons li")
        press(driver, "a")
        status_says(driver, "saved")
        wait(
            driver, "return document.querySelector('#rows .row').textContent.includes('✓ accepted')"
        )
        press(driver, "f")

        # Merge two beads.
        search(driver, "recent cooling")
        press(driver, "m")
        status_says(driver, "merged")
        wait(driver, "return document.querySelector('#rows .row .kind').textContent === '2-2'")

        # Edit a target (it gets a forbidden glossary variant and another change).
        search(driver, "Khankendi")
        assert len(rows(driver)) == 2
        press(driver, "e")
        boxes = wait(
            driver,
            "const t = document.querySelectorAll('#editor textarea'); return t.length ? t : null",
        )
        assert len(boxes) == 2
        edited = boxes[1].get_attribute("value").replace("в Ханкенди", "в Степанакерте")
        edited = edited.replace("публично", "открыто")
        boxes[1].clear()
        boxes[1].send_keys(edited)
        ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(
            Keys.CONTROL
        ).perform()
        status_says(driver, "text edited")
        wait(driver, "return document.querySelector('#rows .row.focused mark.bad')")
        assert "forbidden rendering of Khankendi" in rows(driver)[0].text
        driver.save_screenshot(str(tmp_path / "review-1400.png"))
    finally:
        server.kill()  # SIGKILL between edits: nothing but the journal survives

    open_page(driver, server.start())
    try:
        search(driver, "recent cooling")
        assert rows(driver)[0].find_element(By.CSS_SELECTOR, ".kind").text == "2-2"
        search(driver, "открыто")
        press(driver, "p")  # glossary problems only
        wait(driver, "return document.querySelectorAll('#rows .row').length === 1")
        bad = rows(driver)[0].find_elements(By.CSS_SELECTOR, ".tgt mark.bad")
        assert [m.text for m in bad] == ["Степанакерте"]
        # Source terms are highlighted neutrally, never as problems.
        assert not rows(driver)[0].find_elements(By.CSS_SELECTOR, ".src mark.bad")
        assert rows(driver)[0].find_elements(By.CSS_SELECTOR, ".src mark.term")
        press(driver, "g")
        status_says(driver, "glossary fix applied")
        wait(driver, "return document.querySelectorAll('#rows .row').length === 0")
        press(driver, "p")
        wait(driver, "return document.querySelectorAll('#rows .row').length === 1")
        assert "в Ханкенди он открыто призвал" in rows(driver)[0].text
        press(driver, "a")
        status_says(driver, "review status set")

        # Help overlay lists every action; focus is visible.
        press(driver, "?")
        help_text = wait(
            driver, "const h = document.getElementById('help'); return !h.hidden && h.innerText"
        )
        for words in ("merge with the next bead", "split", "unmatched", "undo", "glossary fix"):
            assert words in help_text
        press(driver, Keys.ESCAPE)
        wait(driver, "return document.getElementById('help').hidden")
        press(driver, "j")
        outline = driver.execute_script(
            "return getComputedStyle(document.activeElement).outlineStyle"
        )
        assert outline == "solid"

        press(driver, "x")
        status_says(driver, "wrote interview.en-ru.reviewed.tmx")
    finally:
        server.kill()

    tmx = folder / "interview.en-ru.reviewed.tmx"
    assert validate_tmx(tmx) == []
    units = {u.tuid: u for u in read_tmx(tmx, "en", "ru")}
    assert len(units) == 67  # 68 beads, two merged
    merged = units["interview-2.r1"]
    assert (
        merged.source.startswith("The recent cooling") and "Against the backdrop" in merged.source
    )
    assert merged.props["review"] == "edited" and merged.props["bead"] == "2-2"
    assert len(merged.props["original-score"].split(",")) == 2
    fixed = next(u for u in units.values() if "открыто" in u.target)
    assert "в Ханкенди он открыто призвал" in fixed.target and "Степанакерт" not in fixed.target
    assert fixed.props["review"] == "edited" and 0.0 < float(fixed.props["score"]) < 1.0
    # The first flagged bead was accepted: its original (calibrated) score is kept.
    from align.aligner.calibration import load

    accepted = [u for u in units.values() if u.props["review"] == "accepted"]
    assert len(accepted) == 1
    assert float(accepted[0].props["score"]) < load().threshold(False)
    assert sum(u.props["review"] == "unreviewed" for u in units.values()) == 64


def test_phone_width_layout(folder, driver, tmp_path):
    server = Server(folder)
    try:
        driver.set_window_size(390, 844)
        open_page(driver, server.start())
        assert driver.execute_script("return window.innerWidth") <= 400
        press(driver, "f")  # flagged beads, their reasons and the action bar at phone width
        wait(driver, "return document.querySelectorAll('#rows .row.flagged').length > 0 && "
                     "document.querySelectorAll('#rows .row:not(.flagged)').length === 0")  # fmt: skip
        driver.save_screenshot(str(tmp_path / "review-390.png"))
        assert driver.find_element(By.CSS_SELECTOR, "nav.actions button").is_displayed()
        nav = driver.find_element(By.CSS_SELECTOR, "nav.actions").rect
        assert nav["height"] >= 30 and nav["y"] + nav["height"] <= driver.execute_script(
            "return window.innerHeight"
        )
        press(driver, "f")
        # Nothing is cut off: no sideways scrolling, both sides inside the viewport.
        assert driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth"
        )
        right = driver.execute_script(
            "return Math.max(...[...document.querySelectorAll('#rows .side')]"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert right <= driver.execute_script("return window.innerWidth")
        tgt = driver.find_element(By.CSS_SELECTOR, "#rows .row.focused .side.tgt")
        assert tgt.is_displayed() and "По второму вопросу подвижки" in tgt.text
        # Virtualised: only what is near the screen is in the DOM.
        assert 0 < len(rows(driver)) < 20
        assert server.stop() == 0  # Ctrl-C: clean stop

        # The static report of the same run is readable at phone width too.
        driver.get((folder / "report.html").as_uri())
        assert driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth"
        )
        driver.save_screenshot(str(tmp_path / "report-390.png"))
        total = len(driver.find_elements(By.CSS_SELECTOR, "table.beads tbody tr"))
        driver.find_element(By.ID, "flagged-only").click()
        shown = [
            r
            for r in driver.find_elements(By.CSS_SELECTOR, "table.beads tbody tr")
            if r.is_displayed()
        ]
        assert total == 68 and len(shown) == run_flagged(folder)
        assert all("⚑" in r.text or "flagged" in r.text.lower() for r in shown)
    finally:
        server.kill()
        driver.set_window_size(1400, 900)


def test_every_structural_action_has_a_working_key(driver, tmp_path):
    tmx = small_tmx(tmp_path / "small.tmx")
    server = Server(tmx)
    try:
        open_page(driver, server.start())

        def kinds():
            return driver.execute_script(
                "return [...document.querySelectorAll('#rows .row .kind')].map(e => e.textContent)"
            )

        def do(key, expected):
            before = driver.execute_script("return window.__reviewEdits || 0")
            press(driver, key)
            wait(driver, f"return (window.__reviewEdits || 0) > {before}")
            assert kinds() == expected, key

        assert kinds() == ["1-1"] * 4
        do("m", ["2-2", "1-1", "1-1"])  # merge with next
        do("s", ["1-1", "1-1", "1-1", "1-1"])  # split
        do("}", ["1-0", "1-2", "1-1", "1-1"])  # last target line to the next bead
        press(driver, "j")
        do("u", ["1-0", "1-1", "0-1", "1-1", "1-1"])  # last target line unmatched
        do("[", ["2-0", "0-1", "0-1", "1-1", "1-1"])  # first source line to the previous bead
        do("z", ["1-0", "1-1", "0-1", "1-1", "1-1"])
        do("z", ["1-0", "1-2", "1-1", "1-1"])
        do("y", ["1-0", "1-1", "0-1", "1-1", "1-1"])
        rows(driver)[1].click()  # the mouse selects a bead too
        do("M", ["2-1", "0-1", "1-1", "1-1"])  # merge with the previous bead
        do("r", ["2-1", "0-1", "1-1", "1-1"])
        assert "✗ rejected" in driver.find_element(By.CSS_SELECTOR, "#rows .row").text
        # A refused action says why and changes nothing.
        press(driver, "k")
        press(driver, "M")
        status_says(driver, "no previous bead")
        assert kinds() == ["2-1", "0-1", "1-1", "1-1"]
    finally:
        server.kill()
