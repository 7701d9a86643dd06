"""The store's side of ``cluster.attach``: the index of nearest articles and each lone article's nearest.

An article is numbered by its ``seq``. A lone article (one that started a story of its own,
which has not grown) keeps a row with its nearest until its story grows (``release``); placing
it reads only the rows whose nearest changed, or whose nearest's stories changed, since the
last placement (``to_place``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import numpy as np

from newsfuse.cluster.attach import Neighbour, NeighboursInMemory, Posting, bar_of
from newsfuse.cluster.attach import appended as posting_appended
from newsfuse.store.db import Database

NEW_LONE = "INSERT INTO lone_articles (number, article_id, position, nearest, bar, fresh) VALUES (?, ?, ?, '[]', ?, 1)"
"""A lone article's row before ``keep`` gives its nearest."""


class StoredNeighbours:
    """``cluster.attach.NeighbourStorage`` in the store's tables."""

    def __init__(self, db: Database, count: int, most: int) -> None:
        """``count``: how many nearest a lone article keeps (``split_min_part``); ``most``: how many
        articles a key's postings keep (``max_postings``)."""
        self.db = db
        self.count = count
        self.most = most

    def postings(self, keys: Sequence[str]) -> dict[str, Posting]:
        rows = self.db.rows_in("SELECT key, numbers, weights FROM neighbour_postings", "key", keys)
        return {
            key: (
                np.frombuffer(bytes(numbers), dtype="<i8").astype(np.int64),
                np.frombuffer(bytes(weights), dtype="<f8").astype(np.float64),
            )
            for key, numbers, weights in rows
        }

    def post(self, number: int, weights: Sequence[tuple[str, float]], found: Mapping[str, Posting]) -> None:
        appended = [(key, posting_appended(found.get(key), number, weight, self.most)) for key, weight in weights]
        self.db.executemany(
            "INSERT INTO neighbour_postings (key, numbers, weights) VALUES (?, ?, ?) ON CONFLICT (key)"
            " DO UPDATE SET numbers = excluded.numbers, weights = excluded.weights",
            (
                (key, numbers.astype("<i8").tobytes(), weights.astype("<f8").tobytes())
                for key, (numbers, weights) in sorted(appended)
            ),
        )

    def bars(self, numbers: np.ndarray) -> np.ndarray:
        """``numbers`` come sorted (``np.unique``): each found bar goes to its place by bisection."""
        bars = np.full(len(numbers), np.inf)
        for number, bar in self.db.rows_in("SELECT number, bar FROM lone_articles", "number", numbers.tolist()):
            bars[np.searchsorted(numbers, number)] = bar
        return bars

    def nearest(self, numbers: Sequence[int]) -> dict[int, list[Neighbour]]:
        rows = self.db.rows_in("SELECT number, nearest FROM lone_articles", "number", numbers)
        return {int(number): _neighbours(nearest) for number, nearest in rows}

    def keep(self, nearest: Mapping[int, list[Neighbour]]) -> None:
        """Replace the lone articles' nearest and bars, mark them fresh, and list them under their nearest."""
        ordered = sorted(nearest.items())
        self.db.executemany(
            "UPDATE lone_articles SET nearest = ?, bar = ?, fresh = 1 WHERE number = ?",
            ((json.dumps(kept), bar_of(kept, self.count), number) for number, kept in ordered),
        )
        self.db.executemany("DELETE FROM lone_neighbours WHERE number = ?", ((number,) for number, _ in ordered))
        self.db.executemany(
            "INSERT INTO lone_neighbours (neighbour, number) VALUES (?, ?) ON CONFLICT DO NOTHING",
            ((other, number) for number, kept in ordered for _, other in kept),
        )

    def ids(self, numbers: Sequence[int]) -> list[str]:
        found = dict(self.db.rows_in("SELECT seq, id FROM articles", "seq", numbers))
        return [found[number] for number in numbers]

    def fill(self, kept: NeighboursInMemory, seqs: Sequence[int], positions: Mapping[str, int]) -> None:
        """Write what ``kept`` found of the articles numbered 0, 1, ... in memory, whose ``seq`` are
        ``seqs``, into empty tables: the lone articles (those of ``positions``, the positions of their
        stories) and the postings, their numbers turned into ``seq``."""
        as_seq = np.array(seqs, dtype=np.int64)
        self.db.executemany(
            NEW_LONE, ((seqs[n], kept.arrived[n], positions[kept.arrived[n]], -math.inf) for n in sorted(kept.kept))
        )
        self.keep({seqs[number]: near for number, near in sorted(kept.kept.items())})
        self.db.executemany(
            "INSERT INTO neighbour_postings (key, numbers, weights) VALUES (?, ?, ?)",
            (
                (key, as_seq[numbers].astype("<i8").tobytes(), weights.astype("<f8").tobytes())
                for key, (numbers, weights) in sorted(kept.postings(list(kept.buffers)).items())
            ),
        )

    def add_lone(self, number: int, article_id: str, position: int) -> None:
        """An article that started a story of its own (at ``position``); ``keep`` gives its nearest."""
        self.db.execute(NEW_LONE, (number, article_id, position, -math.inf))

    def release(self, positions: Sequence[int]) -> list[str]:
        """The lone articles of the stories at ``positions`` (which grew or merged away) are lone no
        more: their rows go. Their ids."""
        released = self.db.rows_in("SELECT number, article_id FROM lone_articles", "position", positions)
        self.db.executemany("DELETE FROM lone_neighbours WHERE number = ?", ((number,) for number, _ in released))
        self.db.executemany("DELETE FROM lone_articles WHERE number = ?", ((number,) for number, _ in released))
        return sorted(article_id for _, article_id in released)

    def to_place(self, changed: Sequence[str]) -> list[tuple[str, list[Neighbour]]]:
        """The lone articles (id, nearest) whose nearest changed, or are in one of the ``changed`` stories,
        since the last ``settle``."""
        numbers = {int(row[0]) for row in self.db.rows("SELECT number FROM lone_articles WHERE fresh = 1")}
        neighbours = "SELECT n.number FROM lone_neighbours n JOIN articles a ON a.id = n.neighbour"
        numbers.update(int(row[0]) for row in self.db.rows_in(neighbours, "a.story_id", changed))
        found = self.db.rows_in("SELECT article_id, nearest FROM lone_articles", "number", sorted(numbers))
        return sorted((article_id, _neighbours(nearest)) for article_id, nearest in found)

    def settle(self) -> None:
        """Every lone article placed on its nearest as they are."""
        self.db.execute("UPDATE lone_articles SET fresh = 0 WHERE fresh = 1")


def _neighbours(stored: str) -> list[Neighbour]:
    return [(float(similarity), str(other)) for similarity, other in json.loads(stored)]
