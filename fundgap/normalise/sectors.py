"""The biotech flag, from providers' sector and industry labels.

A row is biotech when any of its label columns contains one of these terms as a
whole word or phrase (case-insensitive; labels may be lists such as
"Biotechnology, Health Care" or "Software|Biotech"):

=================================  ==================================================================
term                               where it comes from
=================================  ==================================================================
biotech, biotechnology             CrunchBase 2013 category ``biotech``; PitchBook industry code
                                   "Biotechnology"; Crunchbase and Dealroom "Biotechnology"
pharmaceuticals and biotechnology  PitchBook industry group (Biotechnology, Drug Delivery, Drug
                                   Discovery, Pharmaceuticals, Other Pharmaceuticals and Biotechnology)
pharmaceutical(s), pharma,         PitchBook code "Pharmaceuticals"; Crunchbase "Pharmaceutical";
biopharma(ceutical(s))             Dealroom "pharmaceutical"; Crunchbase "Biopharma"
drug discovery, drug delivery      PitchBook industry codes in the group above
genetics                           Crunchbase industry in its Biotechnology group
gene therapy, cell therapy         therapeutic modalities used as tags by Dealroom and Crunchbase
=================================  ==================================================================

Deliberately **not** biotech:

* "Life Sciences" (PitchBook vertical) and "Life Science" (Crunchbase industry): both
  span medical devices, diagnostics and research tools as well as drug developers,
  so they would count medtech as biotech. A biotech company in these databases
  almost always carries one of the terms above as well.
* "Healthcare"/"Health Care", "Medical Devices", "Medical" (CrunchBase 2013 ``medical``),
  "Health" (CrunchBase 2013 ``health``), "Diagnostics", "HealthTech", "Pharmacy"
  (retail; excluded by the word boundary: "pharma" does not match "pharmacy"),
  "Bioinformatics", "Biometrics" (identity technology).

Rows whose label columns are all missing get NA (unknown), not False.

Examples
--------
>>> from fundgap.normalise import is_biotech
>>> is_biotech(["biotech", "medical", "Pharmaceuticals and Biotechnology", "Pharmacy",
...             "Life Sciences", None]).tolist()
[True, False, True, False, False, <NA>]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.normalise._util import STRING, as_series, map_unique_codes

__all__ = ["BIOTECH_TERMS", "is_biotech"]

#: Regular expressions (matched as whole words, case-insensitive) that make a label biotech.
BIOTECH_TERMS: tuple[str, ...] = (
    r"biotech(?:nology|nologies)?",
    r"bio[\s\-]?pharma(?:ceuticals?)?",
    r"pharmaceuticals?",
    r"pharma",
    r"drug discovery",
    r"drug delivery",
    r"genetics",
    r"gene therapy",
    r"cell therapy",
)
_PATTERN = r"(?i)(?<![A-Za-z0-9])(?:" + "|".join(BIOTECH_TERMS) + r")(?![A-Za-z0-9])"
# The same test for Arrow's RE2 engine, which has no look-around: a term preceded by the
# start or a character that is not a letter or digit, and followed by the end or such a
# character (for a "contains" test, consuming that character changes nothing); Python's
# Unicode \s is spelt out (RE2's \s is ASCII only).
_RE2_PATTERN = (r"(?i)(?:^|[^A-Za-z0-9])(?:"
                + "|".join(t.replace(r"[\s\-]", r"[\s\pZ\x0b\x1c-\x1f\x85\-]")
                           for t in BIOTECH_TERMS)
                + r")(?:[^A-Za-z0-9]|$)")


def _flag_unique(u: pd.Series) -> np.ndarray:
    """True/False per distinct label, None for a blank one (Arrow's regex engine: one pass
    over tens of thousands of distinct industry lists, not a Python loop)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(u.astype(STRING).to_numpy(dtype=object, na_value=None), type=pa.large_string())
    hits = np.asarray(pc.fill_null(pc.match_substring_regex(arr, _RE2_PATTERN), False)
                      .to_numpy(zero_copy_only=False), dtype=bool)
    blank = np.asarray(pc.fill_null(pc.equal(pc.utf8_trim_whitespace(arr), ""), True)
                       .to_numpy(zero_copy_only=False), dtype=bool)
    flags = hits.astype(object)
    flags[blank] = None  # a blank label says nothing
    return flags


def is_biotech(*text_columns) -> pd.Series:
    """Flag rows whose provider sector/industry labels say biotech or pharma.

    Parameters
    ----------
    *text_columns : array-like
        One or more label columns of equal length (e.g. PitchBook "Primary Industry
        Code" and "Primary Industry Group", Crunchbase "Industries"). A row is biotech
        if any column matches.

    Returns
    -------
    Series of boolean
        True/False; NA where every column is missing or blank for the row. Index of the first
        column if it is a Series.

    Raises
    ------
    FundgapError
        Without columns, or with columns of different lengths.

    Examples
    --------
    >>> is_biotech(["Healthcare", "Healthcare", None], ["Biotechnology", "Medical Devices", ""]).tolist()
    [True, False, <NA>]
    >>> is_biotech(["Software, Genetics", "Drug Discovery", "Biometrics"]).tolist()
    [True, True, False]
    """
    if not text_columns:
        raise FundgapError("is_biotech needs at least one label column", argument="text_columns",
                           value=0, expected="one or more columns of labels")
    cols = [as_series(c) for c in text_columns]
    n = len(cols[0])
    if any(len(c) != n for c in cols):
        raise FundgapError(
            "label columns must have the same length", argument="text_columns",
            value=[len(c) for c in cols], expected="columns of equal length"
        )
    index = cols[0].index
    hit = np.zeros(n, dtype=bool)
    seen = np.zeros(n, dtype=bool)
    for c in cols:
        codes, cats = map_unique_codes(c, _flag_unique)
        lut_true = np.array([v is True for v in cats] + [False], dtype=bool)
        seen |= codes >= 0
        hit |= lut_true[codes]
    out = pd.arrays.BooleanArray(hit, ~seen)
    return pd.Series(out, index=index, name="is_biotech")
