"""Countries, groups and the rest of the EU-27 as places (issue 18).

Expected sums are computed here from the raw OECD file and the raw World Bank GDP file
with the csv module, never through fundgap.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from fundgap.datasets import load_dataset
from fundgap.errors import FundgapError, MissingColumnError
from fundgap.normalise import Groups, add_places, place_totals, resolve_groups
from fundgap.normalise.places import sum_members

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "datasets" / "raw"
USD = "US dollars, exchange rate converted"
PCT = "Percentage of GDP"
STAGES = {"all": "Total", "seed": "Seed", "early": "Start-up and other early stage",
          "later": "Later stage venture"}
COALITION = {"coalition": ["BE", "NL", "DK", "SE", "FI", "NO"]}
# the coalition as the OECD file names its members, and their World Bank codes
COALITION_NAMES = ["Belgium", "Netherlands", "Denmark", "Sweden", "Finland", "Norway"]
COALITION_WB = ["BEL", "NLD", "DNK", "SWE", "FIN"]  # Norway is not in the shipped GDP file
EU_NAMES = ["Austria", "Belgium", "Bulgaria", "Croatia", "Czechia", "Denmark", "Estonia", "Finland",
            "France", "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia", "Lithuania",
            "Luxembourg", "Netherlands", "Poland", "Portugal", "Romania", "Slovak Republic", "Slovenia",
            "Spain", "Sweden"]


def _raw_oecd():
    with open(RAW / "oecd-vc-investments" / "oecd_vc_gdp.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(ln for ln in fh if not ln.startswith("#")))


def _raw_gdp():
    with open(RAW / "reference" / "macro" / "gdp_current_usd.csv", encoding="utf-8") as fh:
        return {(r["geo"], int(r["year"])): float(r["value"]) for r in csv.DictReader(fh)}


def _raw(rows, names, stage, unit, year):
    return {r["country"]: float(r["value"]) for r in rows if r["country"] in names
            and r["stage"] == stage and r["unit"] == unit and int(r["year"]) == year}


@pytest.fixture(scope="module")
def raw():
    return _raw_oecd()


@pytest.fixture(scope="module")
def oecd_places():
    s = load_dataset("oecd_vc")
    return add_places(s, ["coalition", "BE", "EU27_excl_coalition"], COALITION)


def _one(frame, **where):
    m = pd.Series(True, index=frame.index)
    for k, v in where.items():
        m &= (frame[k].astype("object") == v).fillna(False)
    rows = frame[m.to_numpy(dtype=bool)]
    assert len(rows) == 1, (where, len(rows))
    return rows.iloc[0]


# ----------------------------------------------------------------------------- validation


def test_resolve_groups_normalises_codes_and_keeps_order():
    g = resolve_groups({"coalition": ["be", " nl ", "DK"], "iberia": "ES,PT"})
    assert isinstance(g, Groups)
    assert g["coalition"] == ("BE", "NL", "DK") and g["iberia"] == ("ES", "PT")
    assert resolve_groups(None) == {} and resolve_groups(g) is g


@pytest.mark.parametrize("groups, words", [
    ({"coalition": ["BE", "XX"]}, ["'XX'", "not an ISO 3166 alpha-2", "coalition"]),
    ({"coalition": ["Belgium"]}, ["did you mean 'BE'?"]),
    ({"coalition": ["BE", "UK"]}, ["did you mean 'GB'?"]),
    ({"coalition": []}, ["is empty"]),
    ({"coalition": ""}, ["is empty"]),
    ({"a": ["BE", "NL"], "b": ["NL", "DK"]}, ["overlap", "'NL'", "'a'", "'b'"]),
    ({"EU27": ["BE"]}, ["already a built-in region", "EU27"]),
    ({"us": ["BE"]}, ["already a built-in region"]),
    ({"BE": ["BE"]}, ["ISO 3166 country code"]),
    ({"nor": ["NO"]}, ["ISO 3166 country code"]),
    ({"EU27_excl_x": ["BE"]}, ["EU27_excl_"]),
    ({"1st": ["BE"]}, ["start with a letter"]),
    ({"a": ["BE", "be"]}, ["more than once"]),
])
def test_bad_groups_name_the_argument_and_the_value(groups, words):
    with pytest.raises(FundgapError) as exc:
        resolve_groups(groups)
    text = str(exc.value)
    assert "groups" in text
    for w in words:
        assert w in text


def test_groups_must_be_a_mapping():
    with pytest.raises(FundgapError, match="mapping of group name"):
        resolve_groups(["BE", "NL"])


def test_kinds_members_and_the_rest_of_the_eu27():
    g = resolve_groups(COALITION)
    assert [g.kind(p) for p in ("EU27", "US", "coalition", "BE", "EU27_excl_coalition",
                                "EU27_excl_BE", "EU27_excl_EU27", "USA", "Belgium", 5)] == [
        "region", "region", "group", "country", "complement", "complement", None, None, None,
        None]
    rest = g.members("EU27_excl_coalition")
    # the 27 members of the 2020 EU minus BE, NL, DK, SE, FI (NO is not a member)
    assert len(rest) == 22 and not {"BE", "NL", "DK", "SE", "FI"} & set(rest)
    assert {"CY", "MT", "DE", "FR"} <= set(rest)
    assert len(g.members("EU27_excl_BE")) == 26
    with pytest.raises(FundgapError):
        g.members("EU27")


# ----------------------------------------------------------------------------- series sums


@pytest.mark.parametrize("stage", ["all", "seed", "early", "later"])
@pytest.mark.parametrize("year", [2007, 2013, 2019, 2024])
def test_coalition_usd_is_the_sum_of_the_raw_members(raw, oecd_places, stage, year):
    vals = _raw(raw, COALITION_NAMES, STAGES[stage], USD, year)
    assert len(vals) == 6
    row = _one(oecd_places, region="coalition", stage_group=stage, unit="USD_M", year=year)
    assert row["value"] == pytest.approx(sum(vals.values()), rel=1e-12)
    assert row["members"] == "BE,DK,FI,NL,NO,SE" and row["n_members"] == 6
    assert row["members_missing"] == "" and row["flag"] == "" and pd.isna(row["country"])
    assert row["derived"] == "sum_of_members"


@pytest.mark.parametrize("stage, year", [("all", 2025), ("seed", 2016), ("later", 2021),
                                         ("early", 2010)])
def test_coalition_pct_gdp_is_members_money_over_members_gdp(raw, oecd_places, stage, year):
    gdp = _raw_gdp()
    usd = _raw(raw, COALITION_NAMES[:5], STAGES[stage], USD, year)  # Norway: no World Bank GDP
    den = sum(gdp[(c, year)] for c in COALITION_WB) / 1e6
    row = _one(oecd_places, region="coalition", stage_group=stage, unit="PCT_GDP", year=year)
    assert row["value"] == pytest.approx(100.0 * sum(usd.values()) / den, rel=1e-12)
    assert row["members"] == "BE,DK,FI,NL,SE" and row["n_members"] == 5
    assert row["members_missing"] == "NO" and row["flag"] == "members_missing"
    assert row["derived"] == "sum_of_members_over_members_gdp"


def test_pct_gdp_is_never_a_sum_of_shares(raw, oecd_places):
    shares = _raw(raw, COALITION_NAMES[:5], "Total", PCT, 2025)
    row = _one(oecd_places, region="coalition", stage_group="all", unit="PCT_GDP", year=2025)
    assert row["value"] < 0.5 * sum(shares.values())  # a sum of 5 shares would be ~5x


def test_the_rest_of_the_eu27_is_flagged_for_cyprus_and_malta(raw, oecd_places):
    rest_names = [n for n in EU_NAMES if n not in COALITION_NAMES]
    for stage, year in (("all", 2025), ("seed", 2012), ("later", 2018)):
        vals = _raw(raw, rest_names, STAGES[stage], USD, year)
        assert len(vals) == 20
        row = _one(oecd_places, region="EU27_excl_coalition", stage_group=stage, unit="USD_M",
                   year=year)
        assert row["value"] == pytest.approx(sum(vals.values()), rel=1e-12)
        assert row["members_missing"] == "CY,MT" and row["flag"] == "members_missing"
        assert row["n_members"] == 20


def test_a_country_place_keeps_the_source_own_rows(raw, oecd_places):
    for unit, label in (("USD_M", USD), ("PCT_GDP", PCT)):
        expected = _raw(raw, ["Belgium"], "Later stage venture", label, 2022)["Belgium"]
        row = _one(oecd_places, region="BE", stage_group="later", unit=unit, year=2022)
        assert row["value"] == pytest.approx(expected, rel=1e-15)
        assert row["members"] == "BE" and pd.isna(row["country"]) and row["derived"] == "no"


def test_places_keep_the_canonical_dtypes_and_the_input_rows(oecd_places):
    s = load_dataset("oecd_vc")
    assert isinstance(oecd_places["region"].dtype, pd.CategoricalDtype)
    assert {"coalition", "BE", "EU27_excl_coalition"} <= set(oecd_places["region"].cat.categories)
    assert oecd_places["stage_group"].dtype == s["stage_group"].dtype
    assert oecd_places["year"].dtype == s["year"].dtype
    pd.testing.assert_frame_equal(
        oecd_places.iloc[: len(s)][list(s.columns)].astype({"region": "object"}),
        s.astype({"region": "object"}))
    info = oecd_places.attrs["places"]
    assert info["coalition"]["members_with_data"] == ["BE", "DK", "FI", "NL", "NO", "SE"]
    assert info["EU27_excl_coalition"]["members_without_data"] == ["CY", "MT"]


def _synthetic_series():
    # SYNTHETIC: BE has no 2024 row, so the 2024 sum of the group misses it
    return pd.DataFrame({
        "source": "synthetic", "table": "t", "region": "EU27", "country": ["BE", "NL", "NL", "BE"],
        "sector": "all", "stage_group": "all", "measure": "vc_invested",
        "year": [2023, 2023, 2024, 2025], "value": [1.0, 2.0, 4.0, 8.0], "unit": "USD_M",
        "price_base": "current"})


def test_a_year_with_a_member_missing_is_flagged_not_silently_summed():
    out = add_places(_synthetic_series(), ["benelux"], {"benelux": ["BE", "NL"]}, gdp=None)
    g = out[out["region"] == "benelux"].set_index("year")
    assert g.loc[2023, "value"] == 3.0 and g.loc[2023, "flag"] == ""
    assert g.loc[2024, "value"] == 4.0 and g.loc[2024, "members"] == "NL"
    assert g.loc[2024, "members_missing"] == "BE" and g.loc[2024, "flag"] == "members_missing"
    assert g.loc[2025, "members_missing"] == "NL" and g.loc[2025, "n_members"] == 1
    assert "PCT_GDP" not in set(out["unit"])  # gdp=None: no share of GDP


def test_per_person_rows_from_a_population_table():
    pop = pd.DataFrame({"iso2": ["BE", "NL"], "year": 2023, "value": [1e6, 3e6]})  # SYNTHETIC
    rows = sum_members(_synthetic_series(), "benelux", ["BE", "NL"], gdp=None, population=pop)
    per = rows[rows["unit"] == "USD_per_person"]
    assert per["year"].tolist() == [2023]  # no population for 2024/2025
    assert per["value"].iloc[0] == pytest.approx(3.0 * 1e6 / 4e6)


def test_a_member_counted_twice_is_refused():
    s = pd.concat([_synthetic_series(), _synthetic_series().iloc[[0]]], ignore_index=True)
    with pytest.raises(FundgapError, match="count them twice"):
        sum_members(s, "benelux", ["BE", "NL"], gdp=None)


def test_unknown_places_and_frames_without_country():
    with pytest.raises(FundgapError, match="argument 'places'"):
        add_places(_synthetic_series(), ["benelux"], None)
    with pytest.raises(MissingColumnError):
        add_places(_synthetic_series().drop(columns="country"), ["BE"])


def test_rounds_places_are_copies_of_the_members_rounds():
    rounds = pd.DataFrame({"country": ["BE", "NL", "DE", None], "region": ["EU27"] * 3 + [None],
                           "amount_usd": [1.0, 2.0, 4.0, 8.0]})  # SYNTHETIC
    out = add_places(rounds, ["benelux", "DE"], {"benelux": ["BE", "NL", "LU"]})
    assert out.loc[out["region"] == "benelux", "amount_usd"].tolist() == [1.0, 2.0]
    assert out.loc[out["region"] == "DE", "amount_usd"].tolist() == [4.0]
    assert len(out) == 4 + 3 and out.attrs["places"]["benelux"]["members_without_data"] == ["LU"]


def test_place_totals_sum_gdp_only_over_complete_years():
    gdp = _raw_gdp()
    t = place_totals(["benelux", "DE"], {"benelux": ["BE", "NL", "LU"]})
    row = t[(t["region"] == "benelux") & (t["year"] == 2020)]
    assert row["value"].iloc[0] == pytest.approx(
        sum(gdp[(c, 2020)] for c in ("BEL", "NLD", "LUX")) / 1e6, rel=1e-12)
    de = t[(t["region"] == "DE") & (t["year"] == 2011)]
    assert de["value"].iloc[0] == pytest.approx(gdp[("DEU", 2011)] / 1e6, rel=1e-12)
    assert place_totals(["coalition"], COALITION).empty  # no year has Norway's GDP


def test_no_share_of_gdp_from_constant_prices():
    s = _synthetic_series().assign(price_base="2024")
    rows = sum_members(s, "benelux", ["BE", "NL"])
    assert set(rows["unit"]) == {"USD_M"}  # the shipped GDP is in current USD
    assert "PCT_GDP" in set(sum_members(_synthetic_series(), "benelux", ["BE", "NL"])["unit"])
