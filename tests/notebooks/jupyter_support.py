"""A real JupyterLab and a real headless Chromium for the browser test of the coding widget.

JupyterLab runs from this interpreter on 127.0.0.1 (a free port, no token, a temporary root folder
and temporary Jupyter settings); Chromium is Debian's ``chromium`` driven through its own
``chromium-driver`` by selenium (no driver download). Every process started here is recorded by PID
with its children and stopped by PID. Imported as ``notebooks.jupyter_support``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil
from process_support import popen_tied

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
#: Set by .ci/run: CI must run the browser test, so a missing browser is a failure there, not a skip.
REQUIRE_ENV = "THEMATIC_REQUIRE_BROWSER"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1400,1800")


def missing_browser() -> str | None:
    """Why the browser test cannot run here (None when it can): selenium, chromium or chromedriver absent."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    if not any(shutil.which(b) for b in BROWSERS):
        return "no Chromium found (apt-get install chromium chromium-driver)"
    if not shutil.which("chromedriver"):
        return "no chromedriver found (apt-get install chromium-driver)"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_pids(pids: list[int], *, grace: float = 15.0) -> list[int]:
    """SIGTERM each live PID, wait up to ``grace`` seconds, SIGKILL what is left; returns the PIDs still alive."""
    procs = []
    for pid in pids:
        try:
            p = psutil.Process(pid)
            p.send_signal(signal.SIGTERM)
            procs.append(p)
        except psutil.Error:
            pass
    _gone, alive = psutil.wait_procs(procs, timeout=grace)
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass
    _gone, alive = psutil.wait_procs(alive, timeout=5)
    return [p.pid for p in alive]


def family(pid: int) -> list[int]:
    """``pid`` and every process below it (children first, so they are stopped before their parent)."""
    try:
        p = psutil.Process(pid)
        return [c.pid for c in reversed(p.children(recursive=True))] + [pid]
    except psutil.Error:
        return []


class JupyterLab:
    """``jupyter lab`` on 127.0.0.1:port serving ``root``; ``url(path)`` opens a file; ``stop()`` ends it by PID."""

    def __init__(self, root: Path, home: Path) -> None:
        self.root, self.port = root, free_port()
        self.log_path = home / "jupyterlab.log"
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
               "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(home / "ws"),
               "IPYTHONDIR": str(home / "ipython"), "OPENBLAS_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
               "--port-retries=0", f"--ServerApp.root_dir={root}", "--IdentityProvider.token=",
               "--ServerApp.password=", "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
               "--LabServerApp.extension_manager=readonly", "--allow-root", "--ServerApp.terminals_enabled=False"]
        notify = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        notify.parent.mkdir(parents=True, exist_ok=True)
        notify.write_text('{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8")
        self._log = open(self.log_path, "wb")
        self.proc = popen_tied(cmd, cwd=root, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        self.pids: list[int] = [self.proc.pid]

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def wait_ready(self, timeout: float = 180.0) -> None:
        """Wait until the server answers ``/api/status`` (raise with its log if it dies or never does)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited ({self.proc.returncode}):\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=5) as r:
                    if r.status == 200:
                        json.load(r)
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f}s:\n{self.log()}")

    def log(self, tail: int = 6000) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-tail:]

    def stop(self) -> list[int]:
        """Stop the server and its kernels (every PID seen below it); returns any PID still alive."""
        pids = [*family(self.proc.pid), *self.pids]
        left = stop_pids(list(dict.fromkeys(pids)))
        self._log.close()
        return left


class Browser:
    """Headless Chromium under chromedriver, with every PID of both recorded for ``stop()``."""

    def __init__(self, profile: Path) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = next(shutil.which(b) for b in BROWSERS if shutil.which(b))
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        self.service = Service(executable_path=shutil.which("chromedriver"), log_output=str(profile.parent / "chromedriver.log"))
        self.driver = webdriver.Chrome(service=self.service, options=options)
        self.driver.set_page_load_timeout(120)
        self.pids = family(self.service.process.pid)

    def stop(self) -> list[int]:
        """Quit the browser, then stop by PID whatever of it is still running; returns any PID still alive."""
        pids = list(dict.fromkeys([*family(self.service.process.pid), *self.pids]))
        try:
            self.driver.quit()
        except Exception:  # noqa: BLE001 - the PIDs below are stopped whatever quit() did
            pass
        return stop_pids(pids, grace=5)


def artifacts_dir() -> Path:
    """Where the browser test keeps its screenshot: $THEMATIC_ARTIFACTS, else <tmp>/thematic-artifacts."""
    folder = Path(os.environ.get("THEMATIC_ARTIFACTS") or Path(tempfile.gettempdir()) / "thematic-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def widget_texts(driver: Any) -> list[str]:
    """The text of every ipywidgets HTML widget on the page, in page order."""
    return list(driver.execute_script(
        "return Array.from(document.querySelectorAll('.widget-html-content')).map(e => e.innerText);"))
