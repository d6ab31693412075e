"""gap() and compare_sources() against values typed from the published NCSES table.

NCSES table SINV-31 (Science and Engineering Indicators, PitchBook data, USD millions,
/work/shared/data/ncses/SINV-31/data.csv): United States 2020-2022 = 172059, 345734,
247925; EU-27 = 31019, 70287, 61911. Expected values below are worked out by hand.
"""

import numpy as np
import pandas as pd
import pytest

from fundgap.errors import FundgapError
from fundgap.models import GapResult, SourceComparisonResult, compare_sources, gap
from fundgap.schema import conform

US = {2020: 172059.0, 2021: 345734.0, 2022: 247925.0}
EU = {2020: 31019.0, 2021: 70287.0, 2022: 61911.0}


def _series(values, region, source="ncses", table="SINV-31", unit="USD_M", measure="vc_invested",
            country=None):
    return pd.DataFrame({"source": source, "table": table, "region": region, "country": country,
                         "sector": "all", "stage_group": "all", "measure": measure,
                         "year": list(values), "value": list(values.values()), "unit": unit,
                         "price_base": "current"})


@pytest.fixture
def ncses():
    return conform(pd.concat([_series(US, "US"), _series(EU, "EU27")], ignore_index=True),
                   "series")


def _metric(res, metric, year=None):
    f = res.to_frame()
    m = f["metric"] == metric
    m &= f["year"].isna() if year is None else (f["year"] == year)
    row = f[m.fillna(False)]
    assert len(row) == 1
    return row.iloc[0]


def test_yearly_gap_and_ratio_from_ncses(ncses):
    res = gap(ncses)
    assert isinstance(res, GapResult)
    assert _metric(res, "gap", 2022)["estimate"] == 186014.0  # 247925 - 61911
    assert _metric(res, "ratio", 2022)["estimate"] == pytest.approx(0.2497166)
    assert _metric(res, "multiple", 2022)["estimate"] == pytest.approx(247925 / 61911)
    assert _metric(res, "ratio", 2021)["estimate"] == pytest.approx(0.2032979)
    assert _metric(res, "gap", 2022)["unit"] == "USD_M"
    assert _metric(res, "gap", 2022)["source"] == "ncses"


def test_cumulative_and_trend(ncses):
    res = gap(ncses, period=(2020, 2022))
    assert _metric(res, "cumulative_base")["estimate"] == 765718.0
    assert _metric(res, "cumulative_against")["estimate"] == 163217.0
    assert _metric(res, "cumulative_gap")["estimate"] == 602501.0
    assert _metric(res, "cumulative_ratio")["estimate"] == pytest.approx(0.2131555)
    assert _metric(res, "cumulative_gap")["period"] == "2020-2022"
    # three equally spaced years: OLS slope of log value = (ln y2022 - ln y2020) / 2
    g = _metric(res, "growth_base")
    assert g["estimate"] == pytest.approx(np.sqrt(247925 / 172059) - 1)
    assert g["ci_low"] < g["estimate"] < g["ci_high"]
    assert _metric(res, "growth_against")["estimate"] == pytest.approx(np.sqrt(61911 / 31019) - 1)
    short = gap(ncses, period=(2021, 2022))
    assert _metric(short, "cumulative_gap")["estimate"] == 186014.0 + 275447.0
    assert np.isnan(_metric(short, "growth_base")["estimate"])  # two points: no fit


def test_years_filter(ncses):
    res = gap(ncses, years=(2021, None))
    assert sorted(res.to_frame()["year"].dropna().unique()) == [2021, 2022]
    assert sorted(gap(ncses, years=[2020]).to_frame()["year"].dropna().unique()) == [2020]


def test_gdp_shares(ncses):
    synthetic_gdp = pd.DataFrame({"region": ["US", "EU27"], "year": [2022, 2022],
                                  "value": [1_000_000.0, 500_000.0]})
    res = gap(ncses, gdp=synthetic_gdp)
    assert _metric(res, "base_pct_gdp", 2022)["estimate"] == pytest.approx(24.7925)
    assert _metric(res, "against_pct_gdp", 2022)["estimate"] == pytest.approx(12.3822)
    assert _metric(res, "gap_pct_gdp", 2022)["estimate"] == pytest.approx(24.7925 - 12.3822)
    assert np.isnan(_metric(res, "base_pct_gdp", 2021)["estimate"])


def test_pct_gdp_unit_gives_points_and_means():
    synthetic = conform(pd.concat([
        _series({2021: 0.7, 2022: 0.9}, "US", source="oecd", unit="PCT_GDP"),
        _series({2021: 0.1, 2022: 0.2}, "EU27", source="oecd", unit="PCT_GDP")]), "series")
    res = gap(synthetic, unit="PCT_GDP")
    assert _metric(res, "gap", 2022)["unit"] == "PP"
    assert _metric(res, "mean_gap")["estimate"] == pytest.approx(0.65)
    assert "cumulative_gap" not in set(res.to_frame()["metric"])


def test_refuses_to_mix_sources(ncses):
    oecd = _series({2022: 200.0}, "US", source="oecd", table="VC_INV")
    mixed = conform(pd.concat([ncses, oecd, _series({2022: 20.0}, "EU27", source="oecd",
                                                   table="VC_INV")]), "series")
    with pytest.raises(FundgapError, match="several sources"):
        gap(mixed)
    assert _metric(gap(mixed, source="ncses"), "gap", 2022)["estimate"] == 186014.0
    with pytest.raises(FundgapError):
        gap(mixed, source="pitchbook")


def test_compare_sources_side_by_side(ncses):
    synthetic_oecd = conform(pd.concat([
        _series({2021: 300.0, 2022: 200.0}, "US", source="oecd", table="VC_INV"),
        _series({2021: 30.0, 2022: 20.0}, "EU27", source="oecd", table="VC_INV")]), "series")
    res = compare_sources(pd.concat([ncses, synthetic_oecd], ignore_index=True))
    assert isinstance(res, SourceComparisonResult)
    wide = res.side_by_side("ratio")
    assert list(wide.columns) == ["ncses", "oecd"]
    assert wide.loc[2022, "ncses"] == pytest.approx(0.2497166)
    assert wide.loc[2022, "oecd"] == pytest.approx(0.1)
    assert np.isnan(wide.loc[2020, "oecd"])
    f = res.to_frame()
    assert f["source"].notna().all()
    assert set(f["source"]) == {"ncses", "oecd"}


def test_compare_sources_per_source_measure_and_skips(ncses):
    other = conform(pd.concat([_series({2022: 10.0}, "US", source="x", measure="vc"),
                               _series({2022: 5.0}, "EU27", source="x", measure="vc")]), "series")
    both = pd.concat([ncses, other], ignore_index=True)
    res = compare_sources(both, measure={"ncses": "vc_invested", "x": "vc"})
    assert res.side_by_side("gap").loc[2022].to_dict() == {"ncses": 186014.0, "x": 5.0}
    res = compare_sources(both)
    assert set(res.to_frame()["source"]) == {"ncses"} and "x" in res.meta["skipped"]


def test_duplicate_tables_need_table(ncses):
    dup = conform(pd.concat([ncses, _series(US, "US", table="S8-62"),
                             _series(EU, "EU27", table="S8-62")]), "series")
    with pytest.raises(FundgapError, match="table"):
        gap(dup)
    assert len(gap(dup, table="S8-62").yearly()) == 3


def test_country_rows_summed_only_on_request():
    synthetic = conform(pd.concat([
        _series({2022: 100.0}, "US", source="oecd"),
        _series({2022: 7.0}, "EU27", source="oecd", country="DE"),
        _series({2022: 3.0}, "EU27", source="oecd", country="FR")]), "series")
    with pytest.raises(FundgapError, match="aggregate_countries"):
        gap(synthetic)
    res = gap(synthetic, aggregate_countries=True)
    assert _metric(res, "ratio", 2022)["estimate"] == pytest.approx(0.1)
    assert "DE" in res.meta["notes"][0]


def test_one_country_region_rows_count_as_aggregate():
    # loaders tag the United States rows with country "US": they are the US aggregate
    synthetic = conform(pd.concat([
        _series({2022: 100.0}, "US", source="oecd", country="US"),
        _series({2022: 7.0}, "EU27", source="oecd", country="DE"),
        _series({2022: 3.0}, "EU27", source="oecd", country="FR")]), "series")
    res = gap(synthetic, aggregate_countries=True)
    assert _metric(res, "gap", 2022)["estimate"] == 90.0
    assert not any("US" in n for n in res.meta["notes"])


def test_compare_sources_default_table_for_ncses_and_hint_for_others():
    from fundgap.errors import FundgapError
    from fundgap.models import compare_sources

    # synthetic rows: ncses in two tables (the S8-62 numbers differ on purpose), oecd in one
    rows = []
    for src, table, us, eu in (("ncses", "SINV-31", 200.0, 50.0), ("ncses", "S8-62", 100.0, 10.0),
                               ("oecd", "T", 100.0, 7.0)):
        for reg, v in (("US", us), ("EU27", eu)):
            rows.append({"source": src, "table": table, "region": reg, "country": None,
                         "sector": "all", "stage_group": "all", "measure": "vc_invested",
                         "year": 2022, "value": v, "unit": "USD_M"})
    s = pd.DataFrame(rows)
    r = compare_sources(s)
    assert r.meta["tables"] == {"ncses": "SINV-31"}
    wide = r.side_by_side("ratio")
    assert wide.loc[2022, "ncses"] == pytest.approx(0.25)  # 50 / 200 from SINV-31
    assert wide.loc[2022, "oecd"] == pytest.approx(0.07)
    # an explicit table wins
    r2 = compare_sources(s, table={"ncses": "S8-62"})
    assert r2.side_by_side("ratio").loc[2022, "ncses"] == pytest.approx(0.1)
    # an unknown source with several tables: the message says exactly what to pass
    s3 = s.assign(source=s["source"].replace({"ncses": "other"}))
    with pytest.raises(FundgapError, match=r"table=\{'other': 'S8-62'\}"):
        compare_sources(s3, sources=["other"])
