"""The kernel versions the ``notebook`` extra allows, and widget messages through a real kernel.

A new ipykernel changed where widget callbacks run (ipykernel 7: off the main thread) and the
widget silently stopped saving. So the extra bounds the kernel, the installed versions must lie
within those bounds, and a real kernel (started with jupyter_client, sent the messages a browser
sends) must store what the widget is told, whichever thread it runs the callbacks on.
"""

from __future__ import annotations

import json
import time
import tomllib
from importlib.metadata import version
from pathlib import Path

import psutil
import pytest
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"


def _extra(name: str) -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {Requirement(r).name: Requirement(r) for r in project["optional-dependencies"][name]}


def test_the_notebook_extra_bounds_the_kernel_and_the_installed_versions_lie_within() -> None:
    notebook = _extra("notebook")
    for name in ("ipykernel", "ipywidgets", "jupyterlab"):
        req = notebook[name]
        assert any(s.operator in ("<", "<=", "~=", "==") for s in req.specifier), f"{name} has no upper bound"
        assert req.specifier.contains(version(name)), f"installed {name} {version(name)} is outside {req}"
    dev = _extra("dev")
    assert dev["ipykernel"].specifier == notebook["ipykernel"].specifier  # tests run the kernel users get


SETUP = """
import json, sys, tempfile, threading
sys.path.insert(0, {tests!r})
from coding.manual_support import fill_study
from thematic.study import init_study
study = init_study(tempfile.mkdtemp() + "/study", name="kernel test")
fill_study(study)
w = study.widget(coder="AB")
threads = []
w.checkboxes["funding"].observe(lambda ch: threads.append(threading.current_thread() is threading.main_thread()),
                                names="value")
print(json.dumps({{"box": w.checkboxes["funding"].model_id, "next": w.next_button.model_id,
                   "text": w.shortcut.model_id}}))
"""

PROBE = """print(json.dumps({"codings": sorted(map(list, zip(study.codings(coder="AB")["segment_id"],
                                                          study.codings(coder="AB")["code_id"]))),
                  "position": w.position, "status": w.status.value, "main_thread": threads}))"""


def _run(kc, code: str, subshell: str | None = None) -> dict:
    """Execute ``code`` (on a subshell if given); the JSON its last printed line holds."""
    msg = kc.session.msg("execute_request", {"code": code, "silent": False, "store_history": False,
                                             "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    if subshell is not None:
        msg["header"]["subshell_id"] = subshell
    kc.shell_channel.send(msg)
    out: list[str] = []
    while True:
        m = kc.get_iopub_msg(timeout=180)
        if m["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
            continue
        if m["msg_type"] == "stream":
            out.append(m["content"]["text"])
        elif m["msg_type"] == "error":
            out.append("\n".join(m["content"]["traceback"]))
        elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    text = "".join(out).strip()
    assert text, "the kernel printed nothing"
    return json.loads(text.splitlines()[-1])


def _subshell(kc) -> str:
    """A new kernel subshell (its own thread), as JupyterLab opens them."""
    kc.control_channel.send(kc.session.msg("create_subshell_request", {}))
    reply = kc.control_channel.get_msg(timeout=60)
    assert reply["content"]["status"] == "ok", reply["content"]
    return str(reply["content"]["subshell_id"])


def _send(kc, comm_id: str, data: dict) -> None:
    kc.shell_channel.send(kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data}))


@pytest.mark.slow
def test_widget_messages_through_a_real_kernel_are_stored(tmp_path: Path) -> None:
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=180, cwd=str(tmp_path))
    pid = km.provisioner.process.pid
    try:
        ids = _run(kc, SETUP.format(tests=str(TESTS)))  # the store is opened on the main thread
        if "kernel subshells" in kc.kernel_info(reply=True, timeout=60)["content"].get("supported_features", []):
            # ipykernel 7 routes the browser's messages on a comm to the thread of the subshell that last
            # sent on it: change the three widgets from a subshell, as JupyterLab's own requests can.
            _run(kc, "for x in (w.next_button, w.checkboxes['funding'], w.shortcut): x.tooltip = 'from a subshell'\n"
                     "print('{}')", subshell=_subshell(kc))
        _send(kc, ids["next"], {"method": "custom", "content": {"event": "click"}})
        _send(kc, ids["box"], {"method": "update", "state": {"value": True}, "buffer_paths": []})
        _send(kc, ids["text"], {"method": "update", "state": {"value": "generativity"}, "buffer_paths": []})
        deadline, got = time.monotonic() + 120, {}
        while time.monotonic() < deadline:
            got = _run(kc, PROBE)
            if len(got["codings"]) == 2:
                break
            time.sleep(0.5)
        assert got["codings"] == [["int-01:3", "funding"], ["int-01:3", "generativity"]], got
        assert got["position"] == 1 and "Coded int-01:3 as generativity" in got["status"], got
        print(f"\nipykernel {version('ipykernel')}: widget callbacks on the main thread: {got['main_thread']}")
        if version("ipykernel") >= "7":
            assert got["main_thread"] == [False], "the test no longer sends callbacks off the main thread"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
