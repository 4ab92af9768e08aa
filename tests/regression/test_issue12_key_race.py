"""Issue 12 item 3: ingests running at once never lose or duplicate a pseudonym."""

from __future__ import annotations

import csv
import itertools
import multiprocessing as mp
from pathlib import Path

import pytest

from thematic.ingest.run import key_path

SYLLABLES = ("ka", "ro", "mi", "te", "su", "lo", "ve", "da", "ni")


def names(n: int) -> list[str]:
    return [(a + b + c).capitalize() for a, b, c in itertools.islice(itertools.product(SYLLABLES, repeat=3), n)]


def _ingest(root: str, files: list[str], barrier, out) -> None:  # noqa: ANN001
    from thematic.study import Study

    barrier.wait()
    study = Study(root)
    try:
        report = study.ingest(files)
        out.put([(r.path, r.status, r.error) for r in report.rows])
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which checks it is coded
        out.put([("(run)", "failed", f"{type(exc).__name__}: {exc}")])
    finally:
        study.close()


def write_files(raw: Path, people: list[str], per_file: int = 2) -> list[Path]:
    paths = []
    for i in range(0, len(people), per_file):
        lines = ["Interviewer: What happened next?"]
        lines += [f"{who}: I was there on the day and it went well, mostly." for who in people[i:i + per_file]]
        p = raw / f"talk-{chr(97 + i // 26)}{chr(97 + i % 26)}.txt"
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(p)
    return paths


def run_parallel(root: Path, groups: list[list[Path]]) -> list[tuple[str, str, str | None]]:
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(len(groups)), ctx.Queue()
    procs = [ctx.Process(target=_ingest, args=(str(root), [str(f) for f in g], barrier, out)) for g in groups]
    for p in procs:
        p.start()
    rows = [row for _ in procs for row in out.get(timeout=300)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return rows


def check_key(study, people: list[str]) -> dict[str, str]:  # noqa: ANN001
    with open(key_path(study), encoding="utf-8") as fh:
        entries = [r for r in csv.reader(fh)][1:]
    speakers = {real: p for kind, real, p in entries if kind == "speaker"}
    assert sorted(speakers) == sorted(people)  # nobody lost
    assert len(set(speakers.values())) == len(speakers)  # no pseudonym given twice
    segs = study.store.segments()
    stored = segs[~segs["is_interviewer"].astype(bool)]["speaker"].astype(str)
    assert set(stored) == set(speakers.values())  # the text uses exactly the key's pseudonyms
    return speakers


@pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="needs fork")
def test_issue12_four_ingests_at_once_keep_one_pseudonym_per_person(study) -> None:
    people = names(80)
    files = write_files(study.paths.raw, people)
    rows = run_parallel(study.root, [files[i::4] for i in range(4)])
    assert all(status == "new" for _, status, _ in rows), rows
    check_key(study, people)
