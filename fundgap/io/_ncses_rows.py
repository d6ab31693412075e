"""What each row of an NCSES table is about: place, sector, measure (used by :mod:`fundgap.io.ncses`).

NCSES tables come in four row layouts; :func:`layout_of` tells them apart and
:func:`describe_rows` turns the row labels into one record per row:

``region``
    a region path, ``Total -> Asia -> China`` (SINV-31, S8-62, SKTI-24, SINV-98);
``industry``
    a place, then an industry path, ``China -> Total -> Pharmaceuticals and
    biotechnology`` (SINV-99, S8-64, S8-65); or an industry path alone where the
    table gives the place (8-6 is the US, 8-7 China, SINV-33 US firms): the
    sector is the snake_case slug of the leaf (:func:`sector_slug`);
``us_state``
    a US census region, then a state, ``West -> California`` (SKTI-25): region and
    country are the US, the state is an ISO 3166-2 code in ``subdivision``.

Examples
--------
>>> sector_slug(["Total", "Pharmaceuticals and biotechnology"])
'pharmaceuticals_and_biotechnology'
>>> sector_slug(["Healthcare", "Other"]), sector_slug(["Total"])
('other_health_care', 'all')
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from fundgap.io._official import clean_label, country_codes, footnotes, region_codes

__all__ = ["CENSUS_REGIONS", "describe_rows", "layout_of", "sector_slug", "slug", "state_code", "table_place"]

#: The four census regions of the U.S. Census Bureau's Geography Division (SKTI-25's grouping).
CENSUS_REGIONS: tuple[str, ...] = ("Midwest", "Northeast", "South", "West")

# the place a table is about when its rows do not name it (NCSES table titles)
_TABLE_PLACE = {"8-6": "United States", "8-7": "China", "SINV-33": "United States",
                "SKTI-25": "United States"}
_TABLE_SECTOR = {"SKTI-24": "biotech", "SKTI-25": "biotech"}

# last label (lower case) -> fundgap region code, for aggregates that have one
_AGGREGATES = {
    "total": "WORLD",
    "global total": "WORLD",
    "eu-27": "EU27",
    "eu27": "EU27",
    "eu-28": "EU28",
    "eu": "EU28",  # S8-62: "The EU includes 28 member countries"
    "europe": "EUROPE",
    "asia": "ASIA",
    "rest of europe": "OTHER_EUROPE",
    "other europe": "OTHER_EUROPE",
}
# sub-areas without a fundgap code that lie wholly in the rest of the world
_ROW_AREAS = {
    "rest of north america", "central and south america", "central america", "south america",
    "rest of asia", "africa", "middle east", "oceania", "other countries",
    "row", "rest of world",  # NCSES's remainder of its own list, not fundgap's ROW region
}
# one spelling per sector where the tables spell it two ways
_SLUG_ALIASES = {
    "total": "all",
    "healthcare": "health_care",  # 8-7 "Healthcare", 8-6 "Health care"
    "construction_non_wood": "construction_nonwood",  # S8-64 China vs United States
    "material_and_resources": "materials_and_resources",  # SINV-99
}
_TOTALS = ("total", "global total")


def slug(label: str) -> str:
    """Snake-case slug of a label, with the tables' spelling variants made one.

    Examples
    --------
    >>> slug("Capital markets/ institutions"), slug("Healthcare"), slug("Oil and Gas")
    ('capital_markets_institutions', 'health_care', 'oil_and_gas')
    """
    s = re.sub(r"[^a-z0-9]+", "_", clean_label(label).lower()).strip("_")
    return _SLUG_ALIASES.get(s, s)


def sector_slug(parts: list[str]) -> str:
    """Sector of an industry path (without its place): the leaf's slug.

    ``Total`` (or no leaf) is ``"all"``; a leaf that is just ``Other`` is named after its
    parent (8-7's ``Healthcare -> Other`` is ``other_health_care``, as the table's note
    calls it).
    """
    if not parts:
        return "all"
    leaf = slug(parts[-1])
    if leaf == "other" and len(parts) > 1:
        return f"other_{slug(parts[-2])}"
    return leaf or "all"


def state_code(name: str) -> str | None:
    """ISO 3166-2 code of a US state (or the District of Columbia) by its English name.

    Examples
    --------
    >>> state_code("California"), state_code("District of Columbia"), state_code("Atlantis")
    ('US-CA', 'US-DC', None)
    """
    return _us_states().get(clean_label(name).lower())


_STATES: dict[str, str] = {}


def _us_states() -> dict[str, str]:
    if not _STATES:
        import pycountry

        for sub in pycountry.subdivisions.get(country_code="US"):
            _STATES[sub.name.lower()] = sub.code
    return _STATES


def table_place(table: str) -> str | None:
    """The place a table is about when its rows do not name it (8-6: US, 8-7: China ...).

    Examples
    --------
    >>> table_place("8-7"), table_place("S8-64")
    ('China', None)
    """
    return _TABLE_PLACE.get(table)


def _place(parts: list[str]) -> tuple[object, object, str | None]:
    """(region, country-name-or-None, sub-area suffix or None) for a cleaned region path."""
    last = parts[-1] if parts else ""
    key = last.lower()
    if len(parts) == 1 and key in _TOTALS:
        return "WORLD", None, None
    if key in _AGGREGATES and key not in _TOTALS:
        return _AGGREGATES[key], None, None
    if key in _ROW_AREAS:
        return "ROW", None, " -> ".join(p for p in parts if p.lower() not in _TOTALS)
    return None, last, None


def layout_of(table: str, label_col: str, labels: pd.Series) -> str:
    """``"region"``, ``"industry"`` or ``"us_state"`` for a table (see the module docstring).

    Examples
    --------
    >>> layout_of("S8-64", "industry_full_path", pd.Series(["China -> Total"]))
    'industry'
    >>> layout_of("SKTI-25", "region_full_path", pd.Series(["West -> Utah"]))
    'us_state'
    """
    if "industry" in str(label_col).lower():
        return "industry"
    heads = {clean_label(str(s).split("->")[0]) for s in labels}
    if table == "SKTI-25" or (heads and heads <= {*CENSUS_REGIONS, "United States"}
                              and heads & set(CENSUS_REGIONS)):
        return "us_state"
    return "region"


def describe_rows(labels: pd.Series, *, layout: str, table: str, measure: str,
                  sector: str | None) -> pd.DataFrame:
    """One record per row: region, country, sector, measure, path, footnote, row_reason (+ extras).

    ``row_reason`` is set where a row's place cannot be read (its numbers are then rejected
    with that reason); ``subdivision`` is added for the ``us_state`` layout.
    """
    labels = labels.astype(str)
    parts = [[clean_label(p) for p in s.split("->")] for s in labels]
    if layout == "us_state":
        info = _us_state_rows(parts, measure, sector or _TABLE_SECTOR.get(table, "all"))
    else:
        info = _place_rows(parts, layout=layout, table=table, measure=measure, sector=sector)
    info["path"] = [" -> ".join(p) for p in parts]
    info["footnote"] = [footnotes(s) for s in labels]
    return info


def _place_rows(parts: list[list[str]], *, layout: str, table: str, measure: str,
                sector: str | None) -> pd.DataFrame:
    fixed = _TABLE_PLACE.get(table) if layout == "industry" else None
    region: list[object] = []
    country_name: list[object] = []
    sectors: list[object] = []
    measures: list[str] = []
    for p in parts:
        if layout == "industry":
            geo, rest = ([fixed], p) if fixed else (p[:1], p[1:])
            reg, cname, sub = _place(geo)
            sectors.append(sector or sector_slug(rest))
        else:
            reg, cname, sub = _place(p)
            sectors.append(sector or _TABLE_SECTOR.get(table, "all"))
        region.append(reg)
        country_name.append(cname)
        measures.append(measure if sub is None else f"{measure}:{sub}")
    iso = country_codes(country_name)
    country_region = region_codes(iso)
    region_s = pd.Series(region, dtype="object")
    region_s = region_s.where(region_s.notna(), country_region.where(iso.notna(), None))
    # a name that is neither an aggregate nor a country: keep it as a sub-area with no region
    unplaced = region_s.isna() & iso.isna()
    for i in np.flatnonzero(unplaced.to_numpy()):
        sub = " -> ".join(q for q in parts[i] if q.lower() not in _TOTALS)
        measures[i] = f"{measure}:{sub}"
    return pd.DataFrame({"region": region_s, "country": iso, "sector": sectors,
                         "measure": measures, "row_reason": None})


def _us_state_rows(parts: list[list[str]], measure: str, sector: str) -> pd.DataFrame:
    """SKTI-25: states and census regions of the US, kept apart from the US total by measure."""
    census = {c.lower(): c for c in CENSUS_REGIONS}
    sub: list[object] = []
    measures: list[str] = []
    reasons: list[object] = []
    for p in parts:
        head = p[0].lower() if p else ""
        code, m, why = None, measure, None
        if len(p) == 1 and head == "united states":
            pass  # the national total: plain measure
        elif len(p) == 1 and head in census:
            code = f"census:{census[head]}"
            m = f"{measure}:census_region:{census[head]}"
        elif len(p) == len(("census region", "state")) and head in census:
            code = state_code(p[1])
            m = f"{measure}:state:{code}" if code else f"{measure}:{' -> '.join(p)}"
            why = None if code else "unknown US state"
        else:
            m = f"{measure}:{' -> '.join(p)}"
            why = "unknown US area"
        sub.append(code)
        measures.append(m)
        reasons.append(why)
    n = len(parts)
    return pd.DataFrame({"region": ["US"] * n, "country": ["US"] * n, "sector": [sector] * n,
                         "measure": measures, "row_reason": reasons, "subdivision": sub})
