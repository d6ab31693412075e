"""CrunchBase October 2013 rounds export (``source="crunchbase2013"``).

The file ``crunchbase-rounds.csv`` (US companies only) is latin-1/cp1252 with
CR-only line endings and about a thousand empty trailing columns; it carries
Excel artefacts (``#NAME?``), exact duplicate rows and ``1960-01-01``
placeholder dates. Rules:

* ``raised_amount_usd`` is raw US dollars: divided by 10^6; empty or 0 means
  undisclosed (amount missing, row kept, zeros counted in the notes); text that is
  not an amount (``abc``, ``0x10``, full-width digits) is rejected as unparseable;
  ``$5M`` is read as 5 million;
* stage from ``funding_round_type`` (crosswalk ``crunchbase2013``):
  ``series-c+`` -> ``series_c_plus`` (never Series C), ``venture`` ->
  ``venture_unknown``, ``angel`` -> seed, ``post-ipo`` -> ``ipo_public`` ...; where
  the 2013 snapshot layout gives ``funding_round_code`` (a, b, c, d ...), a
  ``series-c+`` or ``venture`` round with code c is ``series_c``, d or later
  ``series_d_plus``, a/b Series A/B, seed ``seed``;
* ``is_biotech`` is ``company_category_code == "biotech"``; ``modality`` is read from the
  same category (:func:`fundgap.normalise.modality.modality_of`): ``biotech``, ``medical`` and
  ``health`` are too generic to tell a modality (``unknown``), the other categories
  (software, web, cleantech ...) are ``other``;
* ``company_country_code`` (ISO3 ``USA``) -> ISO2;
* ``company_name`` ``#NAME?`` (an Excel formula artefact) -> the name taken
  from ``company_permalink`` (``/company/<slug>``), noted;
* rejected: ``1960-01-01`` placeholder dates (and the other placeholders every
  loader rejects: 1899-12-30, 1900-01-01, 1970-01-01, 1753-01-01, before 1900);
  dates in the future; exact
  duplicate rows and same company + date + amount (``duplicate_of`` points to
  the first row).

Examples
--------
>>> import os, tempfile, fundgap
>>> p = os.path.join(tempfile.mkdtemp(), "synthetic_cb2013.csv")
>>> hdr = ("company_permalink,company_name,company_category_code,company_country_code,"
...        "company_state_code,company_region,company_city,funding_round_type,funded_at,"
...        "funded_month,funded_quarter,funded_year,raised_amount_usd,,\\r")
>>> row = "/company/a,Acme,biotech,USA,MA,Boston,Boston,series-c+,2012-05-01,2012-05,2012-Q2,2012,25000000,,\\r"
>>> with open(p, "w", newline="") as f:
...     _ = f.write(hdr + row)
>>> ld = fundgap.read_rounds(p, source="crunchbase2013")
>>> row = ld.data.iloc[0]
>>> row["stage"], row["stage_group"], float(row["amount_usd"]), row["country"], bool(row["is_biotech"])
('series_c_plus', 'later', 25.0, 'US', True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from fundgap.io._columnar import STR, clean
from fundgap.io._headers import map_columns
from fundgap.io._read import read_table
from fundgap.io._registry import register
from fundgap.io._rejects import Rejector
from fundgap.io._rounds import RoundsSpec, build_rounds
from fundgap.loaded import Loaded

__all__ = ["PLACEHOLDER_DATES", "read", "sniff"]

#: Dates CrunchBase used for "unknown"; rounds carrying them are rejected.
PLACEHOLDER_DATES: tuple[str, ...] = ("1960-01-01",)

_COLUMNS: dict[str, tuple[str, ...]] = {
    "company": ("company_name", "object_id"),
    "type": ("funding_round_type",),
    "date": ("funded_at",),
    "amount_usd": ("raised_amount_usd",),
    "permalink": ("company_permalink",),
    "round_code": ("funding_round_code",),
    "category": ("company_category_code", "category_code"),
    "country": ("company_country_code", "country_code"),
    "state": ("company_state_code",),
    "city": ("company_city",),
    "round_id": ("funding_round_id",),
}
_REQUIRED = ("company", "type", "date", "amount_usd")
_OPTIONAL = {"company_permalink": "permalink", "funding_round_code": "round_code",
             "company_category_code": "category", "company_country_code": "country",
             "company_state_code": "state", "company_city": "city", "funding_round_id": "round_id"}


def sniff(columns: list[str]) -> bool:
    """True for the CrunchBase 2013 rounds layouts (Oct-2013 export or 2013 snapshot)."""
    cols = {c.strip().strip('"').lower() for c in columns}
    return {"funding_round_type", "funded_at", "raised_amount_usd"} <= cols


def _refine_with_code(stage: pd.Series, code: pd.Series) -> pd.Series:
    c = code.astype(object).str.strip().str.lower()
    out = stage.astype(object).copy()
    venture_like = out.isin(["series_c_plus", "venture_unknown"])
    out[venture_like & (c == "c")] = "series_c"
    out[venture_like & c.isin(list("defghijk"))] = "series_d_plus"
    vu = out == "venture_unknown"
    out[vu & (c == "a")] = "series_a"
    out[vu & (c == "b")] = "series_b"
    out[vu & (c == "seed")] = "seed"
    return out


def read(path: str, *, today: Any = None, **options: Any) -> Loaded:
    """Read a CrunchBase 2013 rounds file (see the module docstring for the rules).

    Parameters
    ----------
    path : str
    today : date-like, optional
        Cut-off for "date in the future".
    **options
        Reading options (encoding, delimiter ...).

    Returns
    -------
    Loaded
    """
    from fundgap.normalise import map_stage

    raw = read_table(path, header=sniff, **options)
    cols = map_columns(raw, _COLUMNS, _REQUIRED, "crunchbase2013")
    resolve_column = lambda _raw, *names: cols.get(_OPTIONAL[names[0]])  # noqa: E731
    f = raw.frame
    idx = f.index
    rej = Rejector(len(f))
    notes = raw.notes

    name = clean(f[cols["company"]])
    permalink_col = resolve_column(raw, "company_permalink")
    if permalink_col is not None:
        artefact = f[cols["company"]].str.strip() == "#NAME?"
        artefact = artefact.fillna(False).astype(bool)
        if artefact.any():
            slug = f[permalink_col].str.replace(r"^/?company/", "", regex=True).str.replace("-", " ")
            name = name.mask(artefact, slug)
            notes.append(f"{int(artefact.sum())} company name(s) '#NAME?' (Excel artefact) "
                         "replaced by the permalink slug")

    stage_raw = clean(f[cols["type"]])
    stage = pd.Series(np.asarray(map_stage(stage_raw, "crunchbase2013"), dtype=object), index=idx)
    code_col = resolve_column(raw, "funding_round_code")
    if code_col is not None:
        stage = _refine_with_code(stage, clean(f[code_col]))
    unmapped = stage.isna() & stage_raw.notna()
    if unmapped.any():
        notes.append(f"{int(unmapped.sum())} row(s) with an unknown funding_round_type -> venture_unknown")
    stage = stage.where(stage.notna(), "venture_unknown")

    date_raw = clean(f[cols["date"]])
    rej.flag(date_raw.isin(list(PLACEHOLDER_DATES)).fillna(False),
             "placeholder date (CrunchBase 'unknown')", cols["date"], date_raw)

    cat_col = resolve_column(raw, "company_category_code", "category_code")
    sector = clean(f[cat_col]) if cat_col else pd.Series(pd.NA, index=idx, dtype=STR)
    if cat_col:
        bio = (sector.str.lower() == "biotech").fillna(False).astype(bool)
    else:  # the snapshot's rounds table has no sector: unknown, not False
        bio = pd.Series(pd.NA, index=idx, dtype="boolean")
        notes.append("no company_category_code column: is_biotech unknown (join the objects table)")

    country_col = resolve_column(raw, "company_country_code", "country_code")
    # (0 is read as undisclosed by build_rounds, as in every loader; text that is not an
    # amount, "abc" or "0x10", is rejected there as unparseable)
    amount_raw = f[cols["amount_usd"]]

    extra = {}
    if cat_col:
        from fundgap.normalise.modality import modality_of

        extra["modality"] = modality_of(sector)
    for c in ("company_permalink", "company_state_code", "company_city", "funding_round_code"):
        rc = resolve_column(raw, c)
        if rc is not None:
            extra[c] = clean(f[rc])
    rid_col = resolve_column(raw, "funding_round_id")
    return build_rounds(RoundsSpec(
        table=raw, rejector=rej, source="crunchbase2013", company=name, date=date_raw,
        amount=amount_raw, scale=1e-6, amount_is_usd=True,
        headers={"company": cols["company"], "date": cols["date"], "amount": cols["amount_usd"],
                 "country": country_col},
        country=f[country_col] if country_col else None,
        stage=stage, stage_raw=stage_raw, is_biotech=bio, sector=sector,
        round_id=("crunchbase2013:" + clean(f[rid_col])) if rid_col else None,
        extra=extra, today=today))


register("crunchbase2013", "rounds", read, sniff,
         "CrunchBase October 2013 rounds export (crunchbase-rounds.csv) / 2013 snapshot rounds",
         priority=5)
