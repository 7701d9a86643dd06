"""Outlet profiles (user-supplied), who covers each story, blindspots and per-outlet figures."""

from newsfuse.outlets.blindspots import Blindspot, blindspots, story_blindspot
from newsfuse.outlets.coverage import (
    UNKNOWN,
    Coverage,
    OutletCount,
    OutletMatch,
    coverage_json,
    outlet_counts,
    outlet_of,
    story_articles,
    story_coverage,
)
from newsfuse.outlets.profiles import OutletProfile, OutletProfiles, OutletsError, parse_outlets, read_outlets
from newsfuse.outlets.stats import Count, OutletStats, outlet_stats, span_id

__all__ = [
    "UNKNOWN",
    "Blindspot",
    "Count",
    "Coverage",
    "OutletCount",
    "OutletMatch",
    "OutletProfile",
    "OutletProfiles",
    "OutletStats",
    "OutletsError",
    "blindspots",
    "coverage_json",
    "outlet_counts",
    "outlet_of",
    "outlet_stats",
    "parse_outlets",
    "read_outlets",
    "span_id",
    "story_articles",
    "story_blindspot",
    "story_coverage",
]
