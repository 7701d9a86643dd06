"""What one threading round of a store costs: reading the stories' subjects, and threading them.

Usage: .venv/bin/python bench/store_threading.py DB [--rounds 3]

``DB`` is a store (a SQLite path or a ``postgresql://`` URL), for example the one
``bench/store_add.py`` fills. Each round reads ``Store.subjects()`` and runs
``thread_subjects`` over them, as ``IncrementalPipeline.thread`` does, without saving; the
seconds of each are printed per round, with the threads' digest, which must not change
between rounds or builds. For the first read with the page cache dropped (Linux, as root),
run ``sync; echo 3 > /proc/sys/vm/drop_caches`` just before.
"""

from __future__ import annotations

import argparse
import hashlib
import time

from newsfuse.cluster.threads import thread_subjects
from newsfuse.store import Store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    store = Store(options.db)
    try:
        print("round | subjects | read s | thread s | threads | digest")
        for number in range(1, options.rounds + 1):
            started = time.perf_counter()
            subjects = store.subjects()
            read = time.perf_counter() - started
            started = time.perf_counter()
            threads = thread_subjects(subjects)
            threaded = time.perf_counter() - started
            digest = hashlib.sha256(repr(threads).encode()).hexdigest()[:16]
            print(f"{number} | {len(subjects):,} | {read:.2f} | {threaded:.2f} | {len(threads):,} | {digest}")
    finally:
        store.close()


if __name__ == "__main__":
    main()
