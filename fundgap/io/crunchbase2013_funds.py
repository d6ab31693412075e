"""CrunchBase 2013 Snapshot funds table (``source="crunchbase2013_funds"``).

``cb_funds.csv`` is a MySQL dump: header in double quotes, values in single
quotes, backslash escapes, the literal ``NULL``. ``raised_amount`` is in raw
units of the native ``raised_currency_code``. The table mixes PE with VC and
holds spam and unit errors. The rules below are applied in code, in this order,
and each is tested; nothing is edited by hand.

1. **Not a fund**: a name that describes a deal or a round (``... invested in
   ...``, ``Seed Round``, ``Angel Round``, ``Series A Round`` ...) -> rejected.
2. **Spam**: a name with no fund word (fund, capital, ventures, partners, L.P.,
   equity, angel, seed, growth, invest ...) and no number or roman numeral that is
   all lower case (``mmgcppirviz``, a person's name typed in lower case), a
   person-like ``First M. Last`` or a handle like ``ABC.XYZ`` -> rejected.
3. **Unit error**: 0 < ``raised_amount`` < 1,000 is read as *millions* (a EUR
   62 "fund" is EUR 62m); the row is kept and ``size_note`` says so.
4. ``raised_amount`` NULL or 0: size undisclosed (kept, size missing).
5. **Absurd**: above USD 50bn -> rejected (an $89bn "fund" of a private
   person); a fund typed ``vc`` above USD 5bn -> rejected as an implausible VC
   fund size (likely a unit error: the largest VC funds of the period were a
   few billion).
6. **Fund type** from name keywords: real estate / infrastructure / energy /
   oil & gas / power / timber / resources / credit / debt / hedge /
   quantitative -> ``other``; buyout / private equity / LBO / mezzanine /
   middle market / secondaries, or a well-known buyout house (Carlyle, Apollo,
   KKR, Blackstone, TPG, Warburg Pincus, CVC, Silver Lake, Apax, Permira,
   Advent, Cinven, EQT, BC Partners, Bain Capital (not Bain Capital Ventures),
   Hellman & Friedman, Riverstone, Brookfield, H.I.G. Capital/LBO, Catterton,
   Harvest Partners ...) -> ``pe``; growth / expansion / late stage -> ``growth``;
   otherwise ``vc`` (the table lists funds of firms that back start-ups); a
   ``vc`` fund whose ``source_url`` mentions buyouts or private equity -> ``pe``.
7. ``life_science_focus`` True where the name says bio / life science / health /
   pharma / medical / therapeutics; missing (unknown) otherwise.
8. Vintage: the year of ``funded_at``; NULL -> missing (kept).
9. Manager: the table has only the FinancialOrg id (``object_id``, kept as
   ``manager_id``); ``manager`` and ``country`` are missing, never invented.
10. Exact duplicates (identical values apart from ``id``, ``fund_id``,
    ``source_url``, ``source_description``, ``created_at``, ``updated_at``) ->
    rejected with ``duplicate_of``.

Examples
--------
>>> from fundgap.io.crunchbase2013_funds import fund_type_of, spam_reason
>>> fund_type_of(pd.Series(["Carlyle Partners VI", "Seed Fund II", "global real-estate fund"])).tolist()
['pe', 'vc', 'other']
>>> spam_reason(pd.Series(["mmgcppirviz", "Ventech I", "Seed Round"])).tolist()
['spam: not a fund name', None, 'not a fund: a funding round or deal']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fundgap.io._fields import Fields
from fundgap.io._layout import Layout
from fundgap.io._parse import zero_as_missing
from fundgap.io._pipeline import register_loader
from fundgap.normalise._util import map_unique

__all__ = ["LAYOUT", "MAX_VC_FUND_USD_M", "UNIT_ERROR_BELOW", "fund_type_of", "spam_reason"]

#: Raw amounts below this are read as millions (unit error rule).
UNIT_ERROR_BELOW = 1_000
#: A VC fund above this (USD millions) is rejected as an implausible size.
MAX_VC_FUND_USD_M = 5_000.0

_FUND_WORDS = (
    r"fund|fond|capital|ventur|partner|l\.?\s?p\.?\b|equity|angel|seed|growth|invest|holding|"
    r"sicar|f\.c\.r|trust|opportunit|buyout|incubat|accelerat|\bvc\b|limited|llc|gmbh|\bs\.?a\.?\b|"
    r"technolog|innovation|program|syndicate|portfolio|\bag\b|\bag$"
)
_NUMBERED = r"\d|\b[IVXLC]+\b"
_NOT_A_FUND = (
    r"\binvested in\b|^\s*(?:seed|angel|pilot|bridge|growth equity|series [a-z]\d?|venture)\s+round\s*$"
)
_OTHER = (
    r"real[- ]estate|property|properties|residential|infrastructure|timber|energy|\boil\b|\bgas\b|"
    r"\bpower\b|resources|credit|\bdebt\b|hedge|quantitative"
)
_PE = (
    r"buyout|private equity|\bpe\b|\blbo\b|mezzanine|middle market|mid-market|secondar|distressed|"
    r"special situations|carlyle|apollo|\bkkr\b|kohlberg|blackstone|\btpg\b|warburg pincus|"
    r"\bcvc\b|silver lake|\bapax\b|permira|\badvent\b|cinven|\beqt\b|bc partners|"
    r"bain capital(?! ventures)|hellman|riverstone|brookfield|h\.i\.g\. (?:capital|middle)|catterton|"
    r"harvest partners|thoma bravo|vista equity|providence equity|\bpai\b|\beig\b"
)
_GROWTH = r"growth|expansion|late[- ]stage|later[- ]stage"
_LIFE = r"\bbio|life[- ]?science|health|pharma|medic|therapeut|\bmed\b"
COLUMNS: dict[str, tuple[str, ...]] = {
    "fund_name": ("name",), "size": ("raised_amount",), "currency": ("raised_currency_code",),
    "vintage": ("funded_at",), "manager_id": ("object_id",),
    "fund_id": ("fund_id",), "id": ("id",), "source_url": ("source_url",),
    "source_description": ("source_description",), "created_at": ("created_at",),
    "updated_at": ("updated_at",),
}


def fund_type_of(names: pd.Series) -> pd.Series:
    """Fund type (vc / growth / pe / other) from fund-name keywords (rule 6)."""

    def f(u: pd.Series) -> pd.Series:
        low = u.astype(str).str.lower()
        out = np.select(
            [low.str.contains(_OTHER, regex=True), low.str.contains(_PE, regex=True),
             low.str.contains(_GROWTH, regex=True)],
            ["other", "pe", "growth"], default="vc")
        return pd.Series(out, dtype=object)

    return map_unique(Fields.clean(names), f)


def spam_reason(names: pd.Series) -> pd.Series:
    """Reason a name is not a fund (rules 1-2), or None."""

    def f(u: pd.Series) -> pd.Series:
        s = u.astype(str).str.strip()
        low = s.str.lower()
        not_fund = low.str.contains(_NOT_A_FUND, regex=True)
        no_word = ~low.str.contains(_FUND_WORDS, regex=True) & ~s.str.contains(_NUMBERED, regex=True)
        lower = s == low
        person = s.str.fullmatch(r"[A-Z][a-z]+ [A-Z]\. [A-Z][A-Za-z]+")
        handle = s.str.fullmatch(r"[^\s.]+\.[^\s.]+") & ~s.str.contains(r"\.(?:com|net|org|io)$", regex=True)
        spam = no_word & (lower | person | handle)
        out = np.select([not_fund, spam],
                        ["not a fund: a funding round or deal", "spam: not a fund name"], default="")
        return pd.Series(out, dtype=object).replace("", None)

    return map_unique(Fields.clean(names), f).astype(object).where(lambda x: x.notna(), None)


def _prepare(f: Fields) -> None:
    """Rules 1-4: not a fund, spam, unit errors, undisclosed sizes."""
    name = f.text("fund_name")
    reason = spam_reason(name)
    f.reject(reason.notna(), reason.to_numpy(), "fund_name", name)
    amount = zero_as_missing(f.raw("size"))
    num = pd.to_numeric(amount, errors="coerce")
    small = ((num > 0) & (num < UNIT_ERROR_BELOW)).fillna(False).astype(bool)
    # rule 3: scale raw units to millions, except the unit-error rows already in millions
    scaled = pd.Series(np.where(small, num, num / 1e6), index=f.index)
    size_txt = pd.Series(np.where(num.notna().to_numpy(), scaled.map(repr).to_numpy(),
                                  amount.astype(object).to_numpy()), index=f.index, dtype=object)
    f.set("size", size_txt.where(amount.notna(), None).astype("string[pyarrow]"))
    f.set("size_note", pd.Series(np.where(small, f"raw value < {UNIT_ERROR_BELOW:,} read as "
                                          "millions", None), index=f.index, dtype=object))
    if small.any():
        f.note(f"{int(small.sum())} fund size(s) below {UNIT_ERROR_BELOW:,} units read as "
               "millions (unit-error rule)")
    f.set("funded_at", pd.to_datetime(f.text("vintage"), errors="coerce", format="%Y-%m-%d"))


def _fund_type(f: Fields) -> pd.Series:
    """Rule 6: from name keywords; a vc fund with a buyout/private-equity source URL -> pe."""
    ftype = fund_type_of(f.text("fund_name"))
    if "source_url" in f:
        pe_url = map_unique(f.text("source_url"), lambda u: u.astype(str).str.lower().str.contains(
            r"buyout|privateequity|private-equity|private_equity", regex=True))
        pe_url = pe_url.astype("boolean").fillna(False).astype(bool)
        n_url = int((pe_url & (ftype == "vc")).sum())
        ftype = ftype.mask(pe_url & (ftype == "vc"), "pe")
        if n_url:
            f.note(f"{n_url} fund(s) typed pe from a buyout/private-equity source URL")
    f.note("manager and manager country are not in this table: left missing")
    return ftype


def _life_science(f: Fields) -> pd.Series:
    """Rule 7: True where the name says bio / life science / health / pharma / medical."""
    life = map_unique(f.text("fund_name"),
                      lambda u: u.astype(str).str.lower().str.contains(_LIFE, regex=True))
    return life.astype("boolean").where(lambda x: x.fillna(False)).astype("boolean")


def _implausible_vc(kept: pd.DataFrame, f: Fields) -> None:
    """Rule 5: a vc fund above USD 5bn is a likely unit error."""
    m = pd.Series(False, index=f.index)
    m.loc[kept.index] = ((kept["fund_type"].astype(object) == "vc")
                         & (kept["size_usd"] > MAX_VC_FUND_USD_M)).fillna(False).to_numpy()
    f.reject(m, f"implausible VC fund size (> USD {MAX_VC_FUND_USD_M:,.0f} million; likely a "
             "unit error)", "size", f.frame[f.header("size")])


LAYOUT = Layout(
    "crunchbase2013_funds",
    kind="funds",
    columns=COLUMNS,
    required=("fund_name", "size", "currency", "vintage", "manager_id"),
    unit="millions",
    prepare=_prepare,
    fund_type_rule=_fund_type,
    biotech_rule=_life_science,
    check_rule=_implausible_vc,
    keep={"manager_id": "manager_id", "size_note": "size_note", "funded_at": "funded_at",
          "source_url": "source_url"},
    id_prefix="crunchbase2013:",
    duplicates_ignore=("id", "fund_id", "source_url", "source_description", "created_at",
                       "updated_at"),
    read_options={"quotechar": "'", "escapechar": "\\"},
    sniff=("fund_id", "object_id", "raised_amount", "raised_currency_code"),
    description="CrunchBase 2013 Snapshot funds table (cb_funds.csv, MySQL dump)",
)
register_loader(LAYOUT)
