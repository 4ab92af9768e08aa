"""The coding widget in a real JupyterLab, clicked in headless Chromium: every action must reach the store.

A temporary copy of the example study is ingested and given the rules suggester's suggestions;
JupyterLab (this interpreter, the kernel version the ``notebook`` extra installs) serves a notebook
showing ``study.widget(coder="HT", document=...)``; selenium navigates, ticks a code, types a code id
(and a mistyped one), jumps to a segment, accepts and rejects a suggestion. The store must then hold
exactly those codings and decisions. The screenshot is kept in ``<tmp>/thematic-artifacts/``
(``$THEMATIC_ARTIFACTS`` to move it). CI sets ``THEMATIC_REQUIRE_BROWSER=1``, so it never skips there.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any, Callable

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from notebooks.jupyter_support import REQUIRE_ENV, Browser, JupyterLab, artifacts_dir, missing_browser, widget_texts

REPO = Path(__file__).resolve().parents[2]
CODER = "HT"
WAIT = 90.0


def _require_browser() -> None:
    why = missing_browser()
    if why is None:
        return
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"{REQUIRE_ENV} is set but the browser test cannot run: {why}")
    pytest.skip(f"browser test skipped: {why}")


def _copy_example(root: Path) -> Path:
    """The example study's settings, codebook and raw files (as the notebooks copy them)."""
    study = root / "study"
    study.mkdir(parents=True)
    shutil.copy2(REPO / "thematic.toml", study / "thematic.toml")
    shutil.copytree(REPO / "codebooks", study / "codebooks")
    shutil.copytree(REPO / "data" / "raw", study / "data" / "raw")
    return study


def _prepare(study_dir: Path) -> dict[str, Any]:
    """Ingest, store the rules suggester's suggestions, and pick a document with a segment holding two."""
    import thematic

    with thematic.Study.open(study_dir) as study:
        study.run_code(suggesters=["rules"])
        sugg = study.store.codings(status="suggested")
        per_seg = sugg.groupby("segment_id")["code_id"].nunique()
        for doc in sorted(set(sugg["document_id"].astype(str))):
            segs = study.store.segments(document=doc, include_interviewer=False).reset_index(drop=True)
            rich = [i for i, sid in enumerate(segs["segment_id"]) if per_seg.get(sid, 0) >= 2 and i >= 2]
            if rich and len(segs) > rich[0]:
                return {"document": doc, "segment_ids": list(segs["segment_id"].astype(str)), "target": rich[0],
                        "n_suggested": len(sugg),
                        "labels": {c.label: c.id for c in study.codebook.codes},
                        "codes": [c.id for t in study.codebook.themes for c in study.codebook.descendants(t.id)]}
    raise AssertionError("the example study gave no segment with two suggestions")


def _notebook(path: Path, study_dir: Path, document: str) -> None:
    nb = new_notebook(cells=[
        new_code_cell(f"import os, thematic\nopen('kernel.pid', 'w').write(str(os.getpid()))\n"
                      f"study = thematic.Study.open({str(study_dir)!r})"),
        new_code_cell(f"w = study.widget(coder={CODER!r}, document={document!r})\nw"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def _until(what: str, check: Callable[[], Any], driver: Any, timeout: float = WAIT) -> Any:
    """Wait for ``check()`` to be truthy; on timeout fail showing what the widget shows."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            got = check()
        except Exception:  # noqa: BLE001 - the page is still changing: ask again
            got = None
        if got:
            return got
        time.sleep(0.25)
    shown = "\n".join(t for t in widget_texts(driver) if t.strip())
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}; the widget shows:\n{shown}")


@pytest.fixture
def lab(tmp_path: Path):
    """JupyterLab serving a temporary folder with the prepared study and the widget notebook; a browser."""
    _require_browser()
    study_dir = _copy_example(tmp_path / "root")
    server = JupyterLab(tmp_path / "root", tmp_path)  # boots while the study is prepared
    browser = None
    try:
        facts = _prepare(study_dir)
        _notebook(tmp_path / "root" / "widget.ipynb", study_dir, facts["document"])
        server.wait_ready()
        browser = Browser(tmp_path / "chromium-profile")
        yield server, browser.driver, study_dir, facts
    finally:
        left = browser.stop() if browser is not None else []
        kernel = tmp_path / "root" / "kernel.pid"
        server.pids += [int(kernel.read_text())] if kernel.is_file() else []
        left += server.stop()
    assert left == [], f"processes still running after teardown: {left}"


def _text(driver: Any, css: str) -> str:
    return str(driver.execute_script(f"const e = document.querySelector('{css}'); return e ? e.innerText : '';"))


def _header(driver: Any) -> str:
    return _text(driver, ".thematic-header")


def _status(driver: Any) -> str:
    return _text(driver, ".thematic-status")


def _click_button(driver: Any, label: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.XPATH, f"//button[contains(@class,'widget-button') and normalize-space()='{label}']").click()


def _type(driver: Any, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.CSS_SELECTOR, ".widget-text input")
    box.click()
    box.send_keys(text, Keys.ENTER)


def _suggestion_codes(driver: Any) -> list[str]:
    return list(driver.execute_script(
        "return Array.from(document.querySelectorAll('.thematic-suggestion code')).map(e => e.innerText);"))


def _evidence(driver: Any) -> list[str]:
    return list(driver.execute_script(
        "return Array.from(document.querySelectorAll('.thematic-suggestion')).map(e => Array.from("
        "e.querySelectorAll('.thematic-evidence')).map(x => x.innerText).join(' | '));"))


@pytest.mark.slow
def test_widget_in_jupyterlab_stores_every_click(lab) -> None:
    from selenium.webdriver.common.by import By

    import thematic

    server, driver, study_dir, facts = lab
    started = time.monotonic()
    segs, k = facts["segment_ids"], facts["target"]
    driver.get(server.url("lab/tree/widget.ipynb?reset"))
    _until("JupyterLab to load the notebook", lambda: driver.execute_script(
        "return !!(window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell'))"), driver, 180)
    _until("the kernel to start", lambda: driver.execute_script(
        "const w = window.jupyterapp.shell.currentWidget;"
        "return !!(w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
        " && w.sessionContext.session.kernel.status === 'idle');"), driver, 180)
    driver.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells');")
    _until("the widget", lambda: segs[0] in _header(driver), driver, 180)

    _click_button(driver, "next ▶")  # navigate
    _until(f"segment 2 ({segs[1]})", lambda: f"{segs[1]} " in _header(driver), driver)
    first_box = driver.find_element(By.CSS_SELECTOR, ".widget-checkbox")
    ticked = facts["labels"][first_box.text.split(". ", 1)[1].strip()]
    first_box.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()  # tick the first code
    _until(f"'Coded {segs[1]} as {ticked}'", lambda: f"Coded {segs[1]} as {ticked}" in _status(driver), driver)
    typed = next(c for c in reversed(facts["codes"]) if c != ticked)
    _type(driver, typed)  # type a code id
    _until(f"'Coded {segs[1]} as {typed}'", lambda: f"Coded {segs[1]} as {typed}" in _status(driver), driver)
    _type(driver, typed[:-1] + "x" + typed[-1])  # a mistyped code id
    _until("a did-you-mean", lambda: "Did you mean" in _status(driver) and typed in _status(driver), driver)

    _type(driver, f"g {k + 1}")  # jump to a segment
    _until(f"segment {k + 1} ({segs[k]})", lambda: f"{segs[k]} " in _header(driver)
           and f"segment {k + 1} of" in _header(driver), driver)
    codes = _until("two suggestions", lambda: (c := _suggestion_codes(driver)) and len(c) >= 2 and c, driver)
    accepted = codes[0]
    evidence = _evidence(driver)[0]  # why it was suggested: the rules suggester's match, score and threshold
    assert "thematic.rules.v1: " in evidence and "score " in evidence and "(threshold 0.30)" in evidence, evidence
    _click_button(driver, "accept (a1)")
    _until(f"'Accepted {accepted}'", lambda: f"Accepted {accepted}" in _status(driver), driver)
    rejected = _until("the next suggestion", lambda: (c := _suggestion_codes(driver)) and c[0] != accepted and c[0],
                      driver)
    _click_button(driver, "reject (r1)")
    _until(f"'Rejected {rejected}'", lambda: f"Rejected {rejected}" in _status(driver), driver)
    shot = artifacts_dir() / "widget-browser-test.png"
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    print(f"\nbrowser test: {time.monotonic() - started:.1f}s in the browser; screenshot {shot}")

    with thematic.Study.open(study_dir) as study:
        mine = study.store.codings(coder=CODER)
        assert sorted(zip(mine["segment_id"], mine["code_id"], mine["status"])) == sorted(
            [(segs[1], ticked, "manual"), (segs[1], typed, "manual")])
        decided = study.store.codings(status=["accepted", "rejected"])
        assert sorted(zip(decided["segment_id"], decided["code_id"], decided["status"], decided["reviewer"])) == [
            *sorted([(segs[k], accepted, "accepted", CODER), (segs[k], rejected, "rejected", CODER)])]
        assert len(study.store.codings(status="suggested")) == facts["n_suggested"] - 2
        events = study.store.events()
        assert sorted(events.loc[events["actor"] == CODER, "kind"]) == ["accept", "add", "add", "reject"]
