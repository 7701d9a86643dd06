"""Blindspots: stories covered almost only by outlets of one lean.

Only outlets with a known lean count, for both the share and the minimum: an outlet without a
rating says nothing about which side covers a story, and counting it would hide blindspots
whenever many unrated outlets carry a story. A story whose lean-rated outlets are mostly
``right`` is listed under ``right`` (what Ground News calls a "blindspot for the left": readers of
the other sides are unlikely to see it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from newsfuse.outlets.coverage import UNKNOWN, Coverage

LEAN = "lean"
BLINDSPOT_SHARE = 0.8
BLINDSPOT_MIN = 3


@dataclass(frozen=True)
class Blindspot:
    """``outlets`` of the story's ``rated`` (known-lean) outlets have ``lean``; ``unrated`` have none."""

    story_id: str
    lean: str
    outlets: int
    rated: int
    unrated: int

    @property
    def share(self) -> float:
        return self.outlets / self.rated


def story_blindspot(
    story_id: str, coverage: Coverage, share: float = BLINDSPOT_SHARE, minimum: int = BLINDSPOT_MIN, column: str = LEAN
) -> Blindspot | None:
    """The story's blindspot, if at least ``share`` of at least ``minimum`` rated outlets share one lean."""
    values = next((c.values for c in coverage.columns if c.column == column), ())
    counts = {v.value: len(v.outlets) for v in values if v.value != UNKNOWN and v.outlets}
    rated = sum(counts.values())
    if rated < max(minimum, 1):
        return None
    lean = min(counts, key=lambda value: (-counts[value], value))
    if counts[lean] < share * rated:
        return None
    unrated = sum(len(v.outlets) for v in values if v.value == UNKNOWN)
    return Blindspot(story_id, lean, counts[lean], rated, unrated)


def blindspots(
    coverages: Mapping[str, Coverage], share: float = BLINDSPOT_SHARE, minimum: int = BLINDSPOT_MIN, column: str = LEAN
) -> dict[str, tuple[Blindspot, ...]]:
    """Blindspot stories per dominant lean (leans sorted), the most one-sided first, then by story id."""
    found: dict[str, list[Blindspot]] = {}
    for story_id in sorted(coverages):
        spot = story_blindspot(story_id, coverages[story_id], share, minimum, column)
        if spot:
            found.setdefault(spot.lean, []).append(spot)
    return {lean: tuple(sorted(found[lean], key=lambda s: (-s.share, -s.rated, s.story_id))) for lean in sorted(found)}
