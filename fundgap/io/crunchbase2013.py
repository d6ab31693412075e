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

import numpy as np
import pandas as pd

from fundgap.io._fields import Fields
from fundgap.io._layout import Layout
from fundgap.io._pipeline import register_loader

__all__ = ["COLUMNS", "LAYOUT", "PLACEHOLDER_DATES"]

#: Dates CrunchBase used for "unknown"; rounds carrying them are rejected.
PLACEHOLDER_DATES: tuple[str, ...] = ("1960-01-01",)

COLUMNS: dict[str, tuple[str, ...]] = {
    "company": ("company_name", "object_id"),
    "stage": ("funding_round_type",),
    "date": ("funded_at",),
    "amount": ("raised_amount_usd",),
    "permalink": ("company_permalink",),
    "round_code": ("funding_round_code",),
    "sector": ("company_category_code", "category_code"),
    "country": ("company_country_code", "country_code"),
    "state": ("company_state_code",),
    "city": ("company_city",),
    "round_id": ("funding_round_id",),
}


def _prepare(f: Fields) -> None:
    """Names written ``#NAME?`` (an Excel artefact) from the permalink; placeholder dates."""
    name = f.text("company")
    if "permalink" in f:
        artefact = (f.raw("company").str.strip() == "#NAME?").fillna(False).astype(bool)
        if artefact.any():
            slug = f.raw("permalink").str.replace(r"^/?company/", "", regex=True).str.replace(
                "-", " ")
            name = name.mask(artefact, slug)
            f.note(f"{int(artefact.sum())} company name(s) '#NAME?' (Excel artefact) "
                   "replaced by the permalink slug")
    f.set("company", name)
    date = f.text("date")
    f.reject(date.isin(list(PLACEHOLDER_DATES)).fillna(False),
             "placeholder date (CrunchBase 'unknown')", "date", date)
    f.set("date", date)


def _stage(f: Fields) -> tuple[pd.Series, pd.Series]:
    """Stage from ``funding_round_type``, refined by ``funding_round_code`` where given."""
    from fundgap.normalise import map_stage

    stage_raw = f.text("stage")
    stage = pd.Series(np.asarray(map_stage(stage_raw, "crunchbase2013"), dtype=object),
                      index=f.index)
    if "round_code" in f:
        stage = _refine_with_code(stage, f.text("round_code"))
    unmapped = stage.isna() & stage_raw.notna()
    if unmapped.any():
        f.note(f"{int(unmapped.sum())} row(s) with an unknown funding_round_type -> "
               "venture_unknown")
    return stage.where(stage.notna(), "venture_unknown"), stage_raw


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


def _biotech(f: Fields) -> pd.Series:
    """``company_category_code == "biotech"``; unknown without the column."""
    if "sector" in f:
        return (f.text("sector").str.lower() == "biotech").fillna(False).astype(bool)
    # the snapshot's rounds table has no sector: unknown, not False
    f.note("no company_category_code column: is_biotech unknown (join the objects table)")
    return pd.Series(pd.NA, index=f.index, dtype="boolean")


LAYOUT = Layout(
    "crunchbase2013",
    columns=COLUMNS,
    required=("company", "stage", "date", "amount"),
    unit="units",
    amount_is_usd=True,
    prepare=_prepare,
    stage_rule=_stage,
    biotech_rule=_biotech,
    modality=("sector",),
    keep={"modality": "modality", "company_permalink": "permalink",
          "company_state_code": "state", "company_city": "city",
          "funding_round_code": "round_code"},
    id_prefix="crunchbase2013:",
    labels=(),
    sniff=("funding_round_type", "funded_at", "raised_amount_usd"),
    priority=5,
    description="CrunchBase October 2013 rounds export (crunchbase-rounds.csv) / 2013 snapshot "
                "rounds",
)
register_loader(LAYOUT)
