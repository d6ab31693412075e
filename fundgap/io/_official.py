"""Helpers shared by the official-statistics loaders (:mod:`fundgap.io.oecd`, :mod:`fundgap.io.ncses`).

Labels of the published tables carry footnote markers and HTML tags
(:func:`clean_label`, :func:`footnotes`); countries are mapped with
:func:`fundgap.normalise.to_iso2` and regions with :func:`fundgap.normalise.region_of`,
once per distinct label.

Examples
--------
>>> list(country_codes(["Slovak Republic", "Korea", "United States"]))
['SK', 'KR', 'US']
>>> list(region_codes(["DE", "GB", "NO", "HK", "IL"]))
['EU27', 'UK', 'OTHER_EUROPE', 'CN', 'ROW']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from fundgap.normalise import region_of, to_iso2
from fundgap.schema import STRING

__all__ = ["clean_label", "country_codes", "footnotes", "region_codes"]

_SUP = re.compile(r"<sup>.*?</sup>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def clean_label(text: object) -> str:
    """Strip footnote markers (``<sup>a</sup>``), other HTML tags and outer whitespace.

    Examples
    --------
    >>> clean_label("EU-27<sup>b</sup> ")
    'EU-27'
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    s = _TAG.sub("", _SUP.sub("", str(text)))
    return " ".join(s.split())


def footnotes(text: object) -> str:
    """Return the footnote markers of a label, comma separated ('' if none).

    Examples
    --------
    >>> footnotes("United Kingdom<sup>a</sup>")
    'a'
    """
    if text is None:
        return ""
    return ",".join(m[5:-6].strip() for m in _SUP.findall(str(text)))


def country_codes(names: Iterable[object]) -> pd.Series:
    """Country names or codes -> ISO 3166 alpha-2 (missing where not a country), each
    distinct value mapped once by :func:`fundgap.normalise.to_iso2`."""
    values = pd.Series(list(names), dtype="object")
    uniq = pd.Series(values.dropna().unique(), dtype="object")
    mapped: dict[object, object] = {}
    if len(uniq):
        out = to_iso2(uniq.astype(STRING))
        mapped = dict(zip(uniq, pd.Series(out).astype("object"), strict=True))
    return values.map(mapped).astype(STRING)


def region_codes(iso2: Iterable[object]) -> pd.Series:
    """ISO2 -> fundgap region (EU-27 fixed 2020 composition; Hong Kong counted in CN), by
    :func:`fundgap.normalise.region_of`."""
    values = pd.Series(list(iso2), dtype="object")
    out = region_of(values.astype(STRING))
    return pd.Series(out).astype("object").reset_index(drop=True)
