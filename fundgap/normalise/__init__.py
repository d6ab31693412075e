"""Normalisation: turn any provider's money, places and stage labels into comparable values.

Every function here is vectorised: it maps the *unique* values of its input once
and broadcasts the result, so it is fast on files of millions of rows.

Examples
--------
>>> from fundgap.normalise import to_iso2, map_stage
>>> list(to_iso2(["USA", "Germany"]))
['US', 'DE']
>>> list(map_stage(["series-c+"], "crunchbase2013"))
['series_c_plus']
"""

from __future__ import annotations

from fundgap.normalise.amounts import parse_amounts
from fundgap.normalise.currency import (
    add_money_columns,
    convert_currency,
    normalise_currency,
)
from fundgap.normalise.dedupe import find_duplicates
from fundgap.normalise.groups import Groups, place_totals, resolve_groups
from fundgap.normalise.places import add_places
from fundgap.normalise.prices import deflate
from fundgap.normalise.regions import region_of, to_iso2
from fundgap.normalise.sectors import is_biotech
from fundgap.normalise.stages import map_stage, stage_group_of

__all__ = [
    "Groups",
    "add_money_columns",
    "add_places",
    "convert_currency",
    "deflate",
    "find_duplicates",
    "is_biotech",
    "map_stage",
    "normalise_currency",
    "parse_amounts",
    "place_totals",
    "region_of",
    "resolve_groups",
    "stage_group_of",
    "to_iso2",
]
