"""Benchmark ingest: generate a study of realistic interviews, ingest it into a fresh store.

Prints words/s and the whole process's peak memory for turn and sentence segmentation (each in a
fresh process and a fresh store, store writes included), and separately for pseudonymisation
with spaCy NER on a smaller sample, and for PDF transcripts (copies of the LibreOffice-written
fixture: running header, page numbers, speaker | text table). Usage::

    python bench/bench_ingest.py                 # 1,000,000 words, turn + sentence, NER, PDF
    python bench/bench_ingest.py --words 200000 --ner-words 50000 --pdf-words 20000
    python bench/bench_ingest.py --pdf-libraries  # text extraction alone: pypdf / pdfplumber / pypdfium2
    python bench/bench_ingest.py --reanchor       # re-ingest seconds of 5,000- and 10,000-turn transcripts
    python bench/bench_ingest.py --participants 250,500,1000  # CPU vs participants.csv / survey respondents
    python bench/bench_ingest.py --long-document 2000,4000,8000  # Store.segments() CPU vs one document's turns
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_VOCAB = (
    "I you we they he she it the a an and but so because when then really just like kind of sort "
    "think know mean felt feel said say told went got get made make see saw came come going want wanted "
    "prison probation officer mentor peer support staff group service user charity funding training "
    "supervision licence release hostel housing job work volunteer course family kids partner mum dad "
    "friends trust respect change hope future past life time years months weeks day meeting course "
    "experience been there understand listen talk helped help helping difficult hard easy good bad "
    "better worse different same first last again never always sometimes often people person someone "
    "everyone nobody myself yourself ourselves them us me my our their his her its was were is are be "
    "have had has do did does not no yes yeah okay right well actually honestly basically probably "
    "maybe definitely vetting security clearance barrier barriers disclosure conviction record stigma "
    "label labelled them-and-us credibility lived expertise professional boundaries emotional toll burnout"
).split()
_NAMES = ["Dan", "Aisha", "Tom", "Priya", "Lee", "Marcus", "Jo", "Sam", "Kerry", "Rob", "Nadia", "Gary",
          "Chloe", "Wayne", "Fatima", "Steve", "Leanne", "Paul", "Ruth", "Kev"]


def _sentence(rng: random.Random) -> str:
    n = rng.randint(4, 22)
    words = [rng.choice(_VOCAB) for _ in range(n)]
    if rng.random() < 0.15:
        words.insert(rng.randint(0, n), rng.choice(_NAMES))
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice(".....?!")


def _turn(rng: random.Random, long: bool) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 12) if long else rng.randint(1, 3)))


def generate(folder: Path, words: int, *, seed: int = 7, words_per_file: int = 9000) -> int:
    """Write interviews (header, timestamps, Interviewer/Name turns) and participants.csv; returns words."""
    rng = random.Random(seed)
    raw = folder / "data" / "raw" / "interviews"
    raw.mkdir(parents=True, exist_ok=True)
    total, n = 0, 0
    rows = ["participant_id,name,role,gender,age_band,site"]
    while total < words:
        n += 1
        name = f"{rng.choice(_NAMES)}{n}"
        rows.append(f"P{n:03d},{name},{rng.choice(['peer mentor', 'service user', 'staff'])},"
                    f"{rng.choice(['woman', 'man'])},{rng.choice(['18-24', '25-34', '35-49', '50+'])},site {n % 4}")
        lines = [f"Interview {n} with {name}, 12 March 2024, 52 minutes", ""]
        seconds, file_words = 0, 0
        while file_words < words_per_file and total + file_words < words:
            for speaker, long in (("Interviewer", False), (name, True)):
                text = _turn(rng, long)
                file_words += text.count(" ") + 1
                stamp = f"[{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}]"
                lines.append(f"{stamp} {speaker}: {text}")
                seconds += rng.randint(5, 90)
        (raw / f"p{n:03d}-interview.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        total += file_words
    (folder / "data" / "raw" / "participants.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return total


PDF_FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "ingest" / "fixtures" / "formats" / "transcript.pdf"


def generate_pdfs(folder: Path, words: int) -> int:
    """Copies of the fixture PDF (a 5-page LibreOffice transcript) under data/raw; returns their words."""
    per_file = len(PDF_FIXTURE.with_suffix(".txt").read_text(encoding="utf-8").split())
    raw = folder / "data" / "raw" / "transcripts"
    raw.mkdir(parents=True, exist_ok=True)
    n = max(1, round(words / per_file))
    for i in range(n):
        shutil.copy(PDF_FIXTURE, raw / f"interview-{i:04d}.pdf")
    return n * per_file


def compare_pdf_libraries(repeat: int = 10) -> None:
    """Seconds per page to pull the text layer out of the fixture with each installed PDF library."""
    import importlib.util
    import io

    data = PDF_FIXTURE.read_bytes()

    def plumber_words() -> int:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return sum(1 for p in pdf.pages if p.extract_words(extra_attrs=["fontname"]) is not None)

    def pypdf_text() -> int:
        import pypdf

        return sum(1 for p in pypdf.PdfReader(io.BytesIO(data)).pages if p.extract_text() is not None)

    def pdfium_text() -> int:
        import pypdfium2

        pdf = pypdfium2.PdfDocument(data)
        return sum(1 for i in range(len(pdf)) if pdf[i].get_textpage().get_text_range() is not None)

    words = len(PDF_FIXTURE.with_suffix(".txt").read_text(encoding="utf-8").split())
    for name, module, fn in (("pdfplumber words + positions (used)", "pdfplumber", plumber_words),
                             ("pypdf extract_text (no positions)", "pypdf", pypdf_text),
                             ("pypdfium2 text (no words)", "pypdfium2", pdfium_text)):
        if importlib.util.find_spec(module) is None:
            print(f"{name:38s} not installed")
            continue
        pages = fn()
        t0 = time.process_time()
        for _ in range(repeat):
            fn()
        cpu = (time.process_time() - t0) / repeat
        print(f"{name:38s} {cpu / pages * 1000:7.1f} ms CPU per page = {words / cpu:>8,.0f} words/s")


def _study(source: Path, target: Path, *, unit: str, ner: bool) -> Path:
    from thematic.study import init_study

    if target.exists():
        shutil.rmtree(target)
    study = init_study(target, name="bench")
    study.close()
    shutil.rmtree(target / "data" / "raw")
    shutil.copytree(source / "data" / "raw", target / "data" / "raw")
    cfg = (target / "thematic.toml").read_text().replace('unit = "turn"', f'unit = "{unit}"')
    cfg = cfg.replace("ner = false", f"ner = {'true' if ner else 'false'}")
    (target / "thematic.toml").write_text(cfg)
    return target


def _load_spacy(unit: str, ner: bool) -> float:
    """Import spaCy and build the pipelines the run needs; returns the CPU seconds it took (one-off)."""
    t0 = time.process_time()
    if unit == "sentence":
        from thematic.ingest.segment import sentencizer

        sentencizer()
    if ner:
        from thematic.ingest.ner import ner_pipeline

        ner_pipeline()
    return time.process_time() - t0


def run_one(source: Path, target: Path, unit: str, ner: bool, words: int) -> dict[str, object]:
    """Ingest the generated study into a fresh store in this process; time and peak memory."""
    from thematic.ingest.run import ingest
    from thematic.study import Study

    _study(source, target, unit=unit, ner=ner)
    load_cpu = _load_spacy(unit, ner)
    study = Study(target)
    w0, c0 = time.perf_counter(), time.process_time()
    report = ingest(study)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    child_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += child_cpu.ru_utime + child_cpu.ru_stime  # NER workers
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = child_cpu.ru_maxrss / 1024
    segments = sum(r.segments for r in report.rows)
    study.close()
    assert report.ok, [r.error for r in report.failed]
    return {"unit": unit, "ner": ner, "words": words, "files": len(report.rows), "segments": segments,
            "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "load_cpu_s": round(load_cpu, 2), "words_per_s_wall": round(words / wall),
            "words_per_cpu_s": round(words / cpu), "words_per_cpu_s_with_load": round(words / (cpu + load_cpu)),
            "peak_rss_mb": round(peak_mb), "children_peak_rss_mb": round(children_mb), "replaced": report.replaced}


_REANCHOR_CODEBOOK = """\
name: bench
version: 1.0.0
themes:
- id: work_life
  label: Work and life
  definition: How work fits with the rest of life.
codes:
- id: time_pressure
  label: Time pressure
  parent: work_life
  definition: Not enough time for work, study or family.
"""


def _reanchor_turns(n: int, mode: str) -> tuple[list[str], list[str]]:
    """Old and new lines of an ``n``-turn transcript of repeated short turns ("Go on.", "Mm.", "Yeah.") with
    a longer one every 80 turns, re-exported: one turn added at the top (``top``), that plus a word edit of
    every longer turn (``respell``) or curly apostrophes everywhere (``curly``), or re-sorted (``shuffle``)."""
    old = []
    for i in range(n // 2):
        old.append("Interviewer: Go on." if i % 3 else "Interviewer: Mm.")
        old.append("Ana: Yeah." if i % 40 else f"Ana: a thought, number {i}, I don't know about time.")
    top = ["Interviewer: Before we start, consent."]
    if mode == "shuffle":
        new = old[:]
        random.Random(1).shuffle(new)
    else:
        edit = {"top": lambda t: t, "respell": lambda t: t.replace("about time", "about the time"),
                "curly": lambda t: t.replace("'", "\u2019")}[mode]
        new = top + [edit(t) for t in old]
    return old, new


def bench_reanchor(sizes: list[int]) -> None:
    """Seconds to re-ingest a long transcript whose every 10th turn is coded and every turn seen, by size
    and kind of change (the file read, turns aligned, codings and coders' records re-anchored)."""
    from thematic.study import Study, init_study

    for n in sizes:
        for mode in ("top", "respell", "curly", "shuffle"):
            old, new = _reanchor_turns(n, mode)
            with tempfile.TemporaryDirectory(prefix="thematic-bench-reanchor-") as tmp:
                init_study(Path(tmp), name="bench").close()
                (Path(tmp) / "codebooks" / "bench.yaml").write_text(_REANCHOR_CODEBOOK, encoding="utf-8")
                raw = Path(tmp) / "data" / "raw" / "talk.txt"
                raw.write_text("\n".join(old) + "\n", encoding="utf-8")
                with Study(Path(tmp)) as study:
                    study.ingest()
                    ids = list(study.segments("talk")["segment_id"])
                    for sid in ids[1::10]:
                        study.code(sid, "time_pressure", coder="bench")
                    study.mark_seen(ids, coder="bench")
                    raw.write_text("\n".join(new) + "\n", encoding="utf-8")
                    t0 = time.perf_counter()
                    row = study.ingest().rows[0]
                    wall = time.perf_counter() - t0
                print(f"re-ingest {n:>6,} turns, {mode:8s} {wall:6.2f} s | codings {len(ids[1::10])}: "
                      f"moved {row.reanchored}, flagged {row.flagged}")


def _people(n: int, seed: int = 0) -> list[str]:
    syllables = ["ka", "zor", "vel", "mir", "tan", "qui", "bex", "dro", "lum", "fen", "gar", "yol"]
    rng, names = random.Random(seed), set()
    while len(names) < n:
        names.add("".join(rng.choice(syllables) for _ in range(4)).capitalize())
    return sorted(names)


def bench_participants(sizes: list[int]) -> None:
    """CPU seconds of a fresh and an unchanged ingest against the number of named participants: in
    participants.csv (one short transcript) and as a survey's name column. Linear: doubling N about
    doubles the time (it used to quadruple, the name pattern being rebuilt for every attribute value).
    Also prints how many times the name pattern was built."""
    from thematic.ingest import pseudonymise
    from thematic.study import Study, init_study

    builds = [0]
    trie = pseudonymise._trie

    def counting(names):  # type: ignore[no-untyped-def]
        builds[0] += 1
        return trie(names)

    pseudonymise._trie = counting  # type: ignore[assignment]
    for n in sizes:
        names = _people(n)
        for kind in ("participants.csv", "survey names"):
            with tempfile.TemporaryDirectory(prefix="thematic-bench-people-") as tmp:
                init_study(Path(tmp), name="bench").close()
                raw = Path(tmp) / "data" / "raw"
                if kind == "participants.csv":
                    rows = ["participant_id,name,role,gender,site"]
                    rows += [f"P{i:04d},{nm},peer mentor,female,site {i % 5}" for i, nm in enumerate(names, 1)]
                    (raw / "participants.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
                    (raw / "one.txt").write_text(f"Interviewer: Hello?\n{names[0]}: Hi there.\n", encoding="utf-8")
                else:
                    rows = ["respondent_id,name,role,site,What helped you most?"]
                    rows += [f"R{i:05d},{nm} {names[-i]},service user,site {i % 5},The mentor listened to {nm}."
                             for i, nm in enumerate(names, 1)]
                    (raw / "survey.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
                figures = []
                for _ in ("fresh", "unchanged"):
                    getattr(pseudonymise, "_REPLACERS", {}).clear()
                    builds[0] = 0
                    with Study(Path(tmp)) as study:
                        c0 = time.process_time()
                        assert study.ingest().ok
                        figures.append((time.process_time() - c0, builds[0]))
                print(f"{kind:16s} N={n:>6,} | fresh ingest {figures[0][0]:6.2f} s CPU ({figures[0][1]} pattern builds)"
                      f" | unchanged {figures[1][0]:6.2f} s CPU ({figures[1][1]} builds)")
    pseudonymise._trie = trie  # type: ignore[assignment]


def bench_long_document(sizes: list[int]) -> None:
    """CPU seconds of ``Store.segments()`` (texts included) on one transcript of N turn pairs: linear in its
    length (it was quadratic, each segment's text cut from the whole document in SQL)."""
    from thematic.study import Study, init_study

    sentence = "I think the peer mentor helped me a lot, honestly, with the vetting and the trust."
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="thematic-bench-long-") as tmp:
            init_study(Path(tmp), name="bench").close()
            lines = [line for i in range(n) for line in ("Interviewer: And then?", f"Ann: {sentence} {sentence} Turn {i}.")]
            (Path(tmp) / "data" / "raw" / "one.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
            with Study(Path(tmp)) as study:
                assert study.ingest().ok
                c0 = time.process_time()
                segs = study.store.segments()
                cpu = time.process_time() - c0
                chars = len(study.store.document_text("one"))
            print(f"one document {chars:>10,} chars {len(segs):>7,} segments | Store.segments() {cpu:6.2f} s CPU")


def main() -> None:
    """Generate once, then run each measurement in its own process."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--ner-words", type=int, default=100_000, help="size of the NER run (0 to skip)")
    ap.add_argument("--pdf-words", type=int, default=50_000, help="size of the PDF run (0 to skip)")
    ap.add_argument("--pdf-libraries", action="store_true", help="only compare the PDF libraries' extraction")
    ap.add_argument("--units", default="turn,sentence")
    ap.add_argument("--reanchor", action="store_true", help="only time re-ingest of long transcripts (re-anchoring)")
    ap.add_argument("--reanchor-turns", default="5000,10000", help="transcript sizes for --reanchor")
    ap.add_argument("--participants", default="", help="only time ingest against named participants, e.g. 250,500")
    ap.add_argument("--long-document", default="", help="only time Store.segments() on one long transcript, e.g. 2000,4000")
    ap.add_argument("--child", nargs=5, metavar=("SOURCE", "TARGET", "UNIT", "NER", "WORDS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        src, tgt, unit, ner, words = args.child
        print(json.dumps(run_one(Path(src), Path(tgt), unit, ner == "1", int(words))))
        return
    if args.pdf_libraries:
        compare_pdf_libraries()
        return
    if args.participants:
        bench_participants([int(n) for n in args.participants.split(",")])
        return
    if args.long_document:
        bench_long_document([int(n) for n in args.long_document.split(",")])
        return
    if args.reanchor:
        bench_reanchor([int(n) for n in args.reanchor_turns.split(",")])
        return
    with tempfile.TemporaryDirectory(prefix="thematic-bench-") as tmp:
        base = Path(tmp)
        runs = [(base / "gen", args.words, unit, False) for unit in args.units.split(",")]
        words = generate(base / "gen", args.words)
        if args.ner_words:
            ner_words = generate(base / "gen-ner", args.ner_words, seed=11)
            runs.append((base / "gen-ner", ner_words, "turn", True))
        if args.pdf_words:
            runs.append((base / "gen-pdf", generate_pdfs(base / "gen-pdf", args.pdf_words), "turn", False))
        print(f"generated {words:,} words in {sum(1 for _ in (base / 'gen').rglob('*.txt'))} interviews")
        for src, n, unit, ner in runs:
            cmd = [sys.executable, __file__, "--child", str(src), str(base / "study"), unit, "1" if ner else "0",
                   str(words if src == base / "gen" else n)]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
            r = json.loads(out)
            label = "turn, PDF" if src == base / "gen-pdf" else f"{r['unit']}{' + NER' if r['ner'] else ''}"
            print(f"{label:12s} {r['words']:>9,} words {r['files']:>4} files {r['segments']:>7,} segments | "
                  f"wall {r['wall_s']:6.2f} s = {r['words_per_s_wall']:>9,} w/s | "
                  f"CPU {r['cpu_s']:6.2f} s = {r['words_per_cpu_s']:>9,} w/s; with one-off spaCy load "
                  f"({r['load_cpu_s']:.2f} s) {r['words_per_cpu_s_with_load']:>9,} w/s | "
                  f"peak RSS {r['peak_rss_mb']} MB (NER workers {r['children_peak_rss_mb']} MB)")


if __name__ == "__main__":
    main()
