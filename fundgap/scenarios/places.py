"""Countries, groups and the rest of the EU-27 in scenarios: which places, and their baseline.

:func:`scenario_places` gives a scenario's comparators (by default the US, China and,
for a country or group with EU-27 members, the rest of the EU-27, so that the group
grows alone); :func:`with_places` adds those places' rows to a baseline's frame
(:func:`fundgap.normalise.places.place_frame`: money summed over the members with a
row, members missing named in the baseline's notes).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from fundgap.normalise.groups import EXCL_PREFIX, check_place, resolve_groups
from fundgap.normalise.places import describe_incomplete, place_frame
from fundgap.normalise.regions import EU27_2020

__all__ = ["groups_meta", "scenario_places", "with_places"]


def scenario_places(region: str, base: str = "US", comparators: Sequence[str] | None = None,
                    groups: Any = None) -> tuple[str, ...]:
    """The comparators of a scenario, its places checked.

    Default comparators: US and CN and, when ``region`` is a country or group with EU-27
    members, the rest of the EU-27 (``EU27_excl_<region>``), so the group grows alone.

    Examples
    --------
    >>> scenario_places("coalition", groups={"coalition": ["BE", "NL", "NO"]})
    ('US', 'CN', 'EU27_excl_coalition')
    >>> scenario_places("EU27")
    ('US', 'CN')
    """
    g = resolve_groups(groups)
    if comparators is None:
        comparators = ("US", "CN")
        if g.kind(region) in ("group", "country") and set(g.members(region)) & EU27_2020:
            comparators = (*comparators, EXCL_PREFIX + region)
    elif isinstance(comparators, str):
        comparators = (comparators,)
    for arg, value in (("region", region), ("base", base),
                       *(("comparators", c) for c in comparators)):
        check_place(value, g, argument=arg)
    return tuple(comparators)


def groups_meta(groups: Any) -> dict[str, Any]:
    """``{"groups": {name: [codes]}}`` for a result's meta, or ``{}`` without groups."""
    g = resolve_groups(groups)
    return {"groups": {k: list(v) for k, v in g.items()}} if len(g) else {}


def with_places(frame: pd.DataFrame, regions: tuple[str, ...] | None, groups: Any
                ) -> tuple[pd.DataFrame, list[str]]:
    """The frame with the rows of the groups, countries and EU-27 complements in ``regions``
    (every group when ``regions`` is None), and a note per place."""
    g = resolve_groups(groups)
    if regions is None:
        wanted = list(g)
    else:
        for r in regions:
            check_place(r, g, argument="regions")
        wanted = [r for r in regions if g.kind(r) != "region"]
    if not wanted or not {"region", "country"} <= set(frame.columns):
        return frame, []
    out, info = place_frame(frame, wanted, g)
    notes = []
    for place, d in info.items():
        text = (f"{place}: {d['kind']} of {','.join(d['members'])}; capital summed over the "
                f"members with a row each year ({','.join(d['members_with_data']) or 'none'} "
                "have rows)")
        money = [r for r in d.get("incomplete", []) if str(r.get("unit", "")).endswith("_M")]
        for line in describe_incomplete(money):  # money: the capital of a scenario
            text += f"; {line}"
        notes.append(text)
    return out, notes
