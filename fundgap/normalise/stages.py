"""Provider stage labels -> canonical stages (the stage crosswalk).

The crosswalk ``fundgap/data/reference/stage_crosswalk.csv`` (built by
``datasets/build_reference.py`` from the researched proposal ``stage_mapping.csv``,
expanded to concrete labels, plus explicit decisions) maps ``(taxonomy, label)`` to a
canonical stage. Labels are compared after lower-casing, turning underscores into
spaces and collapsing white space, so ``"Series A"``, ``"series_a"`` and
``" SERIES  A "`` are the same label.

Labels the table does not list are tried against rules (regular expressions):

* ``Series <letter>`` with optional suffixes (``Series A1``, ``Series A-2``,
  ``Series B Extension``, ``Series AA``): A -> ``series_a``, B -> ``series_b``,
  C -> ``series_c``, D to K -> ``series_d_plus``; ``Series C+``/``series-c+`` ->
  ``series_c_plus`` (never ``series_c``: the provider does not say which series),
  ``Series D+`` -> ``series_d_plus``. Letters after K, numbered series
  (``Series 1``) and other ``+`` forms are not mapped.
* ``Seed``/``Series Seed``/``Angel`` -> ``seed``; ``Pre-Seed`` -> ``pre_seed``.
* PitchBook deal-type families: ``Debt - ...`` -> ``debt``; ``Secondary Transaction - ...``,
  ``Bankruptcy: ...``, ``Merger/Acquisition`` -> ``other``; ``Restart - ...`` as its base type.
* "Early Stage VC" without a series -> ``early_unspecified``; "Later Stage VC" ->
  ``later_unspecified``; "Venture - Series Unknown" -> ``venture_unknown``.

Anything else is NA: the loader decides whether that is ``venture_unknown`` or a
reject, and reports how many rows it affected.

Taxonomies: ``pitchbook_series``, ``pitchbook_deal_type``, ``crunchbase_funding_type``,
``crunchbase_funding_stage``, ``crunchbase2013``, ``dealroom``, ``canonical``, and
``any`` (a label listed in several taxonomies with different stages is NA under
``any``; the rules above apply to every taxonomy).

Examples
--------
>>> from fundgap.normalise import map_stage, stage_group_of
>>> s = map_stage(["Series A-2", "Series F", "series-c+", "Early Stage VC"], "any")
>>> list(s)
['series_a', 'series_d_plus', 'series_c_plus', 'early_unspecified']
>>> list(stage_group_of(s))
['early', 'later', 'later', 'early']
"""

from __future__ import annotations

import math
import re
from functools import lru_cache, cache

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.normalise._util import STRING, as_series, map_unique_to_categorical, reference
from fundgap.schema import STAGE_DTYPE, STAGE_GROUP_DTYPE, STAGE_TO_GROUP, STAGES

__all__ = ["TAXONOMIES", "crosswalk", "label_key", "map_stage", "stage_group_of"]

TAXONOMIES: tuple[str, ...] = (
    "pitchbook_series",
    "pitchbook_deal_type",
    "crunchbase_funding_type",
    "crunchbase_funding_stage",
    "crunchbase2013",
    "dealroom",
    "canonical",
    "any",
)

# (regex on the label key, stage). Tried in order after the table; first match wins.
_SERIES_TAIL = r"(?:\s*-?\s*\d+|\s*(?:extension|ext|bridge|prime|ii|i|'|round|preferred))*"
RULES: tuple[tuple[str, str], ...] = (
    (r"series[\s\-]*c\s*\+", "series_c_plus"),
    (r"series[\s\-]*d\s*\+", "series_d_plus"),
    (r"series[\s\-]*seed" + _SERIES_TAIL, "seed"),
    (r"series[\s\-]*a{1,2}" + _SERIES_TAIL, "series_a"),
    (r"series[\s\-]*b{1,2}" + _SERIES_TAIL, "series_b"),
    (r"series[\s\-]*c{1,2}" + _SERIES_TAIL, "series_c"),
    (r"series[\s\-]*([d-k])\1?" + _SERIES_TAIL, "series_d_plus"),
    (r"(?:restart\s*-\s*)?(?:seed(?:\s*round)?|angel(?:\s*round|\s*\(individual\))?)" + _SERIES_TAIL,
     "seed"),
    (r"pre[\s\-]*seed(?: round)?", "pre_seed"),
    (r"(?:restart\s*-\s*)?early[\s\-]*stage[\s\-]*(?:vc|venture)", "early_unspecified"),
    (r"(?:restart\s*-\s*)?(?:later|late)[\s\-]*stage[\s\-]*(?:vc|venture)", "later_unspecified"),
    (r"restart\s*-\s*early vc", "early_unspecified"),
    (r"restart\s*-\s*later vc", "later_unspecified"),
    (r"venture\s*-\s*series unknown", "venture_unknown"),
    (r"debt(?:\s*-.*|\s+financing|\s+conversion|\s+refinancing)?", "debt"),
    (r"secondary transaction.*", "other"),
    (r"bankruptcy.*", "other"),
    (r"merger\s*/\s*acquisition|acquisition|merger", "other"),
    (r"grant", "grant"),
    (r"ipo|post[\s\-]*ipo.*", "ipo_public"),
)


def label_key(labels: pd.Series) -> pd.Series:
    """Normalise labels for lookup: lower case, ``_`` and runs of white space -> one space.

    Examples
    --------
    >>> import pandas as pd
    >>> label_key(pd.Series([" Series_A ", "Early  Stage VC"])).tolist()
    ['series a', 'early stage vc']
    """
    return labels.astype(STRING).str.lower().str.replace(r"[\s_]+", " ", regex=True).str.strip()


def crosswalk() -> pd.DataFrame:
    """The stage crosswalk table: ``taxonomy, label, stage, note`` (labels in key form).

    Examples
    --------
    >>> cw = crosswalk()
    >>> cw.query("taxonomy == 'crunchbase2013' and label == 'series-c+'")["stage"].item()
    'series_c_plus'
    """
    return reference("stage_crosswalk.csv")


def _table_for(taxonomy: str) -> dict[str, str]:
    cw = crosswalk()
    if taxonomy == "any":
        agree = cw.groupby("label")["stage"].nunique()
        ok = agree[agree == 1].index
        sub = cw[cw["label"].isin(ok)].drop_duplicates("label")
    else:
        sub = cw[cw["taxonomy"] == taxonomy]
    table = dict(zip(sub["label"].astype(str), sub["stage"].astype(str), strict=True))
    # canonical names are always understood, in every taxonomy, unless the taxonomy
    # itself lists the label (e.g. crunchbase2013 'other')
    for stage in STAGES:
        table.setdefault(stage.replace("_", " "), stage)
    return table


def _map_unique_labels(u: pd.Series, taxonomy: str) -> np.ndarray:
    labels = tuple(None if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))
                   else str(x) for x in u)
    return np.asarray(_map_labels_cached(labels, taxonomy), dtype=object)


@lru_cache(maxsize=256)
def _map_labels_cached(labels: tuple, taxonomy: str) -> tuple:
    """The crosswalk of a tuple of distinct labels (cached: a loader maps the same few
    labels on every file of a provider)."""
    return tuple(_map_labels(pd.Series(labels, dtype=object), taxonomy))


_RULES_RE = tuple((re.compile(pattern), stage) for pattern, stage in RULES)


@cache
def _table_cached(taxonomy: str) -> dict[str, str]:
    return _table_for(taxonomy)


def _map_labels(u: pd.Series, taxonomy: str) -> np.ndarray:
    """Crosswalk of distinct labels: the table first, then the first matching rule."""
    table = _table_cached(taxonomy)
    out = []
    for key in label_key(u).to_numpy(dtype=object, na_value=None):
        stage = None if key is None else table.get(key)
        if stage is None and key is not None:
            stage = next((st for rx, st in _RULES_RE if rx.fullmatch(key)), None)
        out.append(stage)
    return np.array(out, dtype=object)


def map_stage(labels, taxonomy) -> pd.Series:
    """Map provider stage labels to canonical stages.

    Parameters
    ----------
    labels : array-like or scalar
        Raw labels, e.g. PitchBook ``Series`` ("Series A-2") or ``Deal Type``
        ("Later Stage VC"), Crunchbase ``Funding Type`` ("Venture - Series Unknown"),
        CrunchBase 2013 ``funding_round_type`` ("series-c+").
    taxonomy : str
        One of :data:`TAXONOMIES`.

    Returns
    -------
    Series of category
        Ordered categorical over :data:`fundgap.schema.STAGES`; NA where the label is
        missing or not recognised (the loader decides what that means).

    Raises
    ------
    FundgapError
        For an unknown taxonomy.

    Examples
    --------
    >>> list(map_stage(["series-a", "series-c+", "venture", "angel", "other"], "crunchbase2013"))
    ['series_a', 'series_c_plus', 'venture_unknown', 'seed', 'other']
    >>> list(map_stage(["Later Stage VC", "PE Growth/Expansion", "Debt - PPP"], "pitchbook_deal_type"))
    ['later_unspecified', 'private_equity', 'debt']
    >>> list(map_stage(["Venture - Series Unknown", "Series K", "Series L"], "crunchbase_funding_type"))
    ['venture_unknown', 'series_d_plus', nan]
    """
    if taxonomy not in TAXONOMIES:
        raise FundgapError("unknown stage taxonomy", argument="taxonomy", value=taxonomy,
                           expected=list(TAXONOMIES))
    s = as_series(labels)
    return map_unique_to_categorical(
        s, lambda u: _map_unique_labels(u, taxonomy), STAGE_DTYPE, name="stage"
    )


def stage_group_of(stage) -> pd.Series:
    """Stage group (seed / early / later / unknown / non_vc) of canonical stages.

    Parameters
    ----------
    stage : array-like or scalar
        Canonical stages (strings or the stage categorical).

    Returns
    -------
    Series of category
        Ordered categorical over :data:`fundgap.schema.STAGE_GROUPS`; NA for missing
        or non-canonical stages.

    Examples
    --------
    >>> list(stage_group_of(["pre_seed", "series_b", "series_c_plus", "venture_unknown", "grant", None]))
    ['seed', 'early', 'later', 'unknown', 'non_vc', nan]
    """
    s = as_series(stage)
    if isinstance(s.dtype, pd.CategoricalDtype):
        # map the categories, then the codes: no per-row work at all
        cats = pd.Series(s.cat.categories.astype(object).astype(str)).map(STAGE_TO_GROUP)
        pos = {g: i for i, g in enumerate(STAGE_GROUP_DTYPE.categories)}
        lut = np.array([pos.get(g, -1) if isinstance(g, str) else -1 for g in cats] + [-1])
        codes = lut[s.cat.codes.to_numpy()]
        return pd.Series(pd.Categorical.from_codes(codes, dtype=STAGE_GROUP_DTYPE),
                         index=s.index, name="stage_group")
    return map_unique_to_categorical(
        s, lambda u: u.astype(str).map(STAGE_TO_GROUP), STAGE_GROUP_DTYPE, name="stage_group"
    )
