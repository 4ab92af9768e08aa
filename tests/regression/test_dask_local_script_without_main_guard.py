"""`[code] scheduler = "local"` from a plain Python script: Dask starts each worker as a new Python process that runs
the user's script again, so a script without `if __name__ == "__main__":` repeated its work in every worker and
ended in distributed's raw RuntimeError ("Nanny failed to start"). Now such a script is refused before any worker
starts (E706, naming the script's line), and a cluster that still cannot start its workers is E705."""

from __future__ import annotations

from pathlib import Path

import pytest

from regression.dask_scripts import run_script, study_with_scheduler

pytest.importorskip("distributed")


def test_unguarded_script_is_refused_before_any_worker_reruns_it(tmp_path: Path) -> None:
    from thematic.study import Study

    root = study_with_scheduler(tmp_path / "study", "local:1")
    runs = tmp_path / "runs.txt"
    script = tmp_path / "code_it.py"
    script.write_text(
        "import os, pathlib\n"
        "import thematic\n"
        f"with pathlib.Path({str(runs)!r}).open('a') as f:\n"
        "    f.write(f'{os.getpid()}\\n')\n"
        f"study = thematic.Study.open({str(root)!r})\n"
        "try:\n"
        "    study.run_code(suggesters='rules')\n"
        "    print('RAN')\n"
        "except thematic.ThematicError as exc:\n"
        "    print('ERROR', exc)\n", encoding="utf-8")
    result = run_script(script, timeout=240)
    assert result.returncode == 0, result.stderr
    assert len(runs.read_text().splitlines()) == 1  # the script ran once: no worker process ran it again
    assert result.stdout.startswith("ERROR [E706]"), result.stdout + result.stderr
    assert f"{script}, line 7" in result.stdout
    assert 'if __name__ == "__main__":' in result.stdout and "thematic.toml" in result.stdout
    assert "Traceback" not in result.stderr and "RuntimeError" not in result.stderr, result.stderr
    with Study.open(root) as st:
        assert st.store.document_hashes() == {}  # refused before anything was ingested


def test_guarded_script_runs_on_the_local_cluster(tmp_path: Path) -> None:
    root = study_with_scheduler(tmp_path / "study", "local:1")
    script = tmp_path / "code_it.py"
    script.write_text(
        "import thematic\n\n"
        "def main():\n"
        f"    study = thematic.Study.open({str(root)!r})\n"
        "    print('RAN', study.run_code(suggesters='rules').runs[0].status)\n\n"
        "if __name__ == '__main__':\n"
        "    main()\n", encoding="utf-8")
    result = run_script(script, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "RAN ran", result.stdout + result.stderr


def test_workers_that_cannot_start_are_a_coded_error(tmp_path: Path) -> None:
    root = study_with_scheduler(tmp_path / "study", "local:1")
    script = tmp_path / "code_it.py"
    script.write_text(  # a "guard" that also lets the code run in the workers
        "import thematic\n"
        "if __name__ in ('__main__', '__mp_main__'):\n"
        f"    thematic.Study.open({str(root)!r}).run_code(suggesters='rules')\n", encoding="utf-8")
    result = run_script(script, timeout=240)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("thematic.errors.StudyError: [E705]"), result.stderr
    assert 'if __name__ == "__main__":' in last and "local:1" in last
    assert "[E706]" in result.stderr and f"{script}, line 3" in result.stderr  # what the worker process said
