"""Country names -> ISO2 and ISO2 -> regions."""

import pandas as pd
import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fundgap.errors import FundgapError
from fundgap.normalise import region_of, to_iso2
from fundgap.schema import REGIONS

ALIASES = {
    "USA": "US", "United States of America": "US", "United States": "US", "U.S.": "US",
    "UK": "GB", "Great Britain": "GB", "England": "GB", "United Kingdom": "GB",
    "Korea, Rep.": "KR", "South Korea": "KR", "Republic of Korea": "KR",
    "Hong Kong SAR": "HK", "Hong Kong SAR, China": "HK", "Hong Kong": "HK",
    "Russia": "RU", "Czechia": "CZ", "Czech Republic": "CZ", "Taiwan": "TW", "Iran": "IR",
    "Vietnam": "VN", "Macau": "MO", "Kosovo": "XK", "Turkey": "TR", "Türkiye": "TR",
    "Mainland China": "CN", "China": "CN", "The Netherlands": "NL", "Holland": "NL",
    "Slovak Republic": "SK", "Germany": "DE", "deu": "DE", "fra": "FR", "de": "DE",
    "  germany ": "DE", "GERMANY": "DE", "Switzerland": "CH", "EL": "GR",
    "Bosnia & Herzegovina": "BA", "Trinidad & Tobago": "TT", "Ireland": "IE",
}


@pytest.mark.parametrize("raw,code", list(ALIASES.items()))
def test_to_iso2_aliases(raw, code):
    assert to_iso2([raw]).iloc[0] == code


@pytest.mark.parametrize("raw", ["Atlantis", "Europe", "EU", "", None, "Unknown", "Korea, Dem."])
def test_to_iso2_unknown_is_na(raw):
    assert to_iso2([raw]).iloc[0] is pd.NA


def test_to_iso2_keeps_index_and_dtype():
    s = pd.Series(["USA", None, "UK"], index=[5, 6, 7])
    out = to_iso2(s)
    assert list(out.index) == [5, 6, 7]
    assert isinstance(out.dtype, pd.StringDtype)
    assert out.tolist() == ["US", pd.NA, "GB"]


ISO2 = sorted(c.alpha_2 for c in pycountry.countries)


@settings(max_examples=25, deadline=None)
@given(codes=st.lists(st.sampled_from(ISO2 + ["XK"]), min_size=1, max_size=20))
def test_to_iso2_of_iso2_is_identity(codes):
    out = to_iso2(codes)
    assert out.tolist() == codes
    assert to_iso2(out).tolist() == codes  # normalising twice changes nothing


@settings(max_examples=25, deadline=None)
@given(codes=st.lists(st.sampled_from(ISO2), min_size=1, max_size=20))
def test_iso3_and_names_resolve(codes):
    alpha3 = [pycountry.countries.get(alpha_2=c).alpha_3 for c in codes]
    names = [pycountry.countries.get(alpha_2=c).name for c in codes]
    assert to_iso2(alpha3).tolist() == codes
    assert to_iso2(names).tolist() == codes


@pytest.mark.parametrize("code,region", [
    ("DE", "EU27"), ("FR", "EU27"), ("HR", "EU27"), ("CY", "EU27"), ("RE", "EU27"), ("AX", "EU27"),
    ("GB", "UK"), ("JE", "UK"), ("GI", "UK"),
    ("CH", "OTHER_EUROPE"), ("NO", "OTHER_EUROPE"), ("IS", "OTHER_EUROPE"), ("LI", "OTHER_EUROPE"),
    ("RS", "OTHER_EUROPE"), ("XK", "OTHER_EUROPE"), ("UA", "OTHER_EUROPE"), ("TR", "OTHER_EUROPE"),
    ("RU", "OTHER_EUROPE"), ("MC", "OTHER_EUROPE"),
    ("US", "US"), ("PR", "ROW"), ("CN", "CN"), ("HK", "CN"), ("MO", "CN"), ("TW", "ROW"),
    ("IL", "ROW"), ("GE", "ROW"), ("GL", "ROW"), ("JP", "ROW"),
])
def test_region_fixed(code, region):
    assert region_of([code]).iloc[0] == region


def test_region_counts_eu27():
    regions = region_of(ISO2)
    eu = [c for c, r in zip(ISO2, regions) if r == "EU27"]
    # 27 members + outermost regions with own codes (GF GP MQ RE YT MF) + Åland
    assert len(set(eu) - {"GF", "GP", "MQ", "RE", "YT", "MF", "AX"}) == 27
    assert "GB" not in eu


def test_region_separate_hk_and_dtype():
    out = region_of(["HK", "CN", "MO", None, "ZZ"], separate_hk=True)
    assert out.tolist()[:3] == ["HK", "CN", "CN"]
    assert out.isna().tolist() == [False, False, False, True, True]
    assert list(out.dtype.categories) == list(REGIONS)


def test_region_at_date():
    codes = ["GB", "GB", "GB", "HR", "HR", "PL", "DE", "US", "GB"]
    dates = pd.to_datetime(["2019-12-31", "2020-01-31", "2020-02-01", "2013-06-30", "2013-07-01",
                            "2004-04-30", "1990-01-01", "1990-01-01", None])
    out = region_of(codes, date=dates, eu_membership="at_date")
    assert out.tolist()[:8] == ["EU27", "EU27", "UK", "OTHER_EUROPE", "EU27", "OTHER_EUROPE",
                                "EU27", "US"]
    assert pd.isna(out.iloc[8])  # a member-dependent country without a date: unknown


def test_region_at_date_strings_equal_datetimes():
    codes = ["GB", "FR", "BG"]
    d = ["2015-05-05", "2015-05-05", "2006-01-01"]
    a = region_of(codes, date=d, eu_membership="at_date")
    b = region_of(codes, date=pd.to_datetime(d), eu_membership="at_date")
    assert a.tolist() == b.tolist() == ["EU27", "EU27", "OTHER_EUROPE"]


def test_region_errors():
    with pytest.raises(FundgapError, match="eu_membership"):
        region_of(["DE"], eu_membership="sometimes")
    with pytest.raises(FundgapError, match="date"):
        region_of(["DE"], eu_membership="at_date")
    with pytest.raises(FundgapError, match="years"):
        region_of(["DE"], date=[2015], eu_membership="at_date")


@settings(max_examples=25, deadline=None)
@given(codes=st.lists(st.sampled_from(ISO2), min_size=1, max_size=30))
def test_region_partition_every_code_once(codes):
    out = region_of(codes)
    assert out.notna().all()
    assert set(out.astype(str)) <= {"EU27", "UK", "OTHER_EUROPE", "US", "CN", "ROW"}
