"""How fast hostile inputs are refused (issue 12): a .docx bomb, an oversized .qdpx XML, a slow REGEX.

Run: python bench/hostile_inputs.py   (prints seconds and peak memory; nothing is asserted)
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main() -> None:
    from regression.test_issue12_sizes import docx_bomb

    from thematic.codebook.patterns import nested_repeat
    from thematic.study import init_study

    with tempfile.TemporaryDirectory() as tmp:
        study = init_study(Path(tmp) / "s", name="bench")
        bomb = study.paths.raw / "bomb.docx"
        docx_bomb(bomb, 200)
        t = time.perf_counter()
        report = study.ingest()
        took = time.perf_counter() - t
        print(f"docx bomb: {bomb.stat().st_size / 1e6:.1f} MB file, 200 MB document.xml -> "
              f"{report.rows[0].error[:6]} in {took:.2f} s")
        study.close()
    t = time.perf_counter()
    for _ in range(1000):
        nested_repeat("^(a+)+$")
    print(f"regex check: {(time.perf_counter() - t):.3f} ms per pattern (1,000 checks)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process (mostly building the bomb): {peak:.0f} MB")


if __name__ == "__main__":
    main()
