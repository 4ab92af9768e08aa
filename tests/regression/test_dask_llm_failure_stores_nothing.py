"""With `--scheduler` (Dask), a run stopped by the language-model server mid-run (E652/E654) said "Nothing from
this run was stored", as the docs do, but the cluster run had already stored the rules' suggestions of every
document and the llm's of the documents finished before the failure, in a batch whose id was never shown, and had
recorded those documents as done. Now such a run stores nothing, as without a scheduler: what it had stored is
undone and the suggesters' records of done documents are put back, so the next run does every document again
(the answers received are cached). A real LocalCluster (one worker) and a fake server (real HTTP on 127.0.0.1).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import psutil
import pytest

from coding.llm_support import FakeChatServer, chat_answer, codes_asked, passage_of
from regression.dask_scripts import stop_all, study_with_scheduler, watch

pytest.importorskip("distributed")


class FailsAfter:
    """Answers the first ``n`` chat completions (the passage's first four words as evidence), then HTTP 500."""

    def __init__(self, n: int) -> None:
        self.left = n
        self.lock = threading.Lock()

    def __call__(self, body: dict) -> tuple[int, dict]:
        with self.lock:
            self.left -= 1
            ok = self.left >= 0
        if not ok:
            return 500, {"error": {"message": "out of memory"}}
        quote = " ".join(passage_of(body).split()[:4])
        return chat_answer(json.dumps({"codes": [{"code": codes_asked(body)[0], "evidence": quote,
                                                  "confidence": 0.8}]}))


@pytest.mark.slow
def test_dask_run_stopped_by_the_llm_server_stores_nothing(tmp_path: Path) -> None:
    server = FakeChatServer(FailsAfter(4))  # max_concurrency 1: 4 passages a chunk, so the first document is done
    root = study_with_scheduler(tmp_path / "study", "local:1")
    (root / "data" / "raw" / "interview-a.txt").unlink()
    for name in ("alpha", "beta", "gamma"):
        (root / "data" / "raw" / f"{name}.txt").write_text(
            f"Interviewer: How was {name}?\nAnn: I had no time at all in {name}, work was busy.\n"
            f"Interviewer: And then?\nAnn: The {name} workload kept growing every week.\n"
            f"Interviewer: Anything else?\nAnn: Busy days, and the family waited for me in {name}.\n", encoding="utf-8")
    with (root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[code.llm]\nbase_url = "{server.base_url}"\nmodel = "{FakeChatServer.MODEL}"\nfew_shot = 0\n'
                "max_concurrency = 1\n")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "THEMATIC_ENCODER": "minilm", "PYTHONUNBUFFERED": "1", "COLUMNS": "300"}
    out_path, err_path = tmp_path / "out.txt", tmp_path / "err.txt"
    try:
        with out_path.open("wb") as out, err_path.open("wb") as err:
            proc = subprocess.Popen([sys.executable, "-m", "thematic", "code", "--suggesters", "rules,llm",
                                     "--study", str(root)], stdout=out, stderr=err, env=env, cwd=tmp_path)
        seen: dict[int, psutil.Process] = {}
        try:
            running = watch(proc, seen, timeout=300)
        finally:
            left = stop_all(proc, seen, grace=15)
    finally:
        server.close()
    said = out_path.read_text(errors="replace") + err_path.read_text(errors="replace")
    assert not running, said[-3000:]
    assert left == []
    assert proc.returncode == 1, said[-3000:]
    assert "[E654]" in said and "HTTP 500" in said and "Traceback" not in said, said[-3000:]
    assert len(server.chats) > 4  # it failed mid-run, after the first document's answers
    with sqlite3.connect(root / "data" / "coded" / "thematic.db") as con:
        assert con.execute("SELECT COUNT(*) FROM codings").fetchone()[0] == 0
        assert con.execute("SELECT COUNT(*) FROM batches WHERE undone_at IS NULL").fetchone()[0] == 0
        assert con.execute("SELECT key FROM meta WHERE key LIKE 'assisted:%'").fetchall() == []
