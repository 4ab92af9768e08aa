"""A separate process that writes codings to a store, for crash and concurrency tests.

Usage: python _writer.py DB DOCUMENT CODER N [BATCH_SIZE]
Each batch of BATCH_SIZE codings is one transaction; prints "committed K" after each commit.
"""

from __future__ import annotations

import sys

from thematic.models import Coding
from thematic.store import Store


def main() -> None:
    db, document, coder, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    batch = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    with Store(db, timeout=120) as store:
        done = 0
        while done < n:
            size = min(batch, n - done)
            codings = [
                Coding(document_id=document, start=i, end=i + 1, code_id=f"code_{i % 7}", coder=coder,
                       text="x")
                for i in range(done, done + size)
            ]
            added, _ = store.add_codings(codings)
            assert added == size, (added, size)
            done += size
            print(f"committed {done}", flush=True)


if __name__ == "__main__":
    main()
