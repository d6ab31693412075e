"""The whole report on the shipped data and on a synthetic PitchBook-layout export.

Expected numbers come from the published tables, not from fundgap: NCSES table
SINV-31 gives 2022 VC invested of USD 61,911 million in the EU-27 and USD 247,925
million in the US, so EU27 / US = 61,911 / 247,925 = 0.24971.
"""

from __future__ import annotations

import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

from fundgap.report.pipeline import WORKBOOK_NAME, write_report

HOSTILE = '=HYPERLINK("http://x","y")'
SHEETS = ["Cover", "Contents", "Notes", "Key findings", "All findings", "Depth by stage",
          "Depth by fine stage", "Gap over time", "Gap by stage", "Sources compared",
          "Countries and groups",
          "Fund case EU vs US", "Fund sizes", "Funds able to lead", "Scenario",
          "Scenario US paths", "Scenario US trends", "Scenario crossings", "Scenario sensitivity",
          "Published benchmarks", "Model options", "Data sources"]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    res = write_report(out, n_sims=100, strict=True)
    wb = openpyxl.load_workbook(res.workbook)
    return res, wb


def _header(ws):
    """The header row of the sheet's table, in words (note markers dropped), and its row."""
    ref = next(iter(ws.tables.values())).ref
    row = int(re.match(r"[A-Z]+(\d+)", ref).group(1))
    return [re.sub(r" \[note \d+\]", "", str(c.value)) for c in ws[row] if c.value], row


def _rows(ws):
    header, row = _header(ws)
    names = [h.split(" (")[0] for h in header]
    return [dict(zip(names, [c.value for c in r])) for r in ws.iter_rows(min_row=row + 1)
            if r[0].value is not None]


def _cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_every_section_runs_on_the_shipped_data(shipped):
    res, _ = shipped
    status = {s.key: s.status for s in res.sections}
    for key in ("depth", "gap", "sources", "capacity", "scenario", "published", "workbook",
                "figures"):
        assert status[key] == "ok", res.summary()
    # the shipped rounds are US only: the regional regression is reported as unavailable
    assert status["compare"] == "unavailable"


def test_workbook_sheets_in_order(shipped):
    _, wb = shipped
    assert wb.sheetnames == SHEETS


def test_no_formulas_anywhere(shipped):
    _, wb = shipped
    assert not [c.coordinate for c in _cells(wb) if c.data_type == "f"]


def test_native_charts_on_the_chart_sheets(shipped):
    _, wb = shipped
    for name in ("Depth by stage", "Gap over time", "Gap by stage", "Sources compared",
                 "Scenario"):
        assert len(wb[name]._charts) >= 1, name
    # the fan: shaded bands as stacked areas, the median and central lines over them
    fan = wb["Scenario"]._charts[0]
    assert fan.tagname == "areaChart" and fan.grouping == "stacked"


def test_frozen_headers_cursor_and_no_merged_cells(shipped):
    _, wb = shipped
    for name in ("Key findings", "Depth by stage", "Gap over time", "Fund case EU vs US",
                 "Scenario", "Published benchmarks"):
        ws = wb[name]
        assert ws.freeze_panes is not None, name
        header_row = int(ws.freeze_panes[1:]) - 1
        assert ws.cell(row=header_row, column=1).value is not None
    for ws in wb.worksheets:
        assert not ws.merged_cells.ranges
        assert ws.sheet_view.selection[0].activeCell == "A1"


def test_units_and_price_base_in_headers(shipped):
    _, wb = shipped
    header, _ = _header(wb["Depth by stage"])
    assert "Median round, EUR million, 2024 prices" in header, header
    header, _ = _header(wb["Gap over time"])
    assert header[0] == "Year"
    assert all("as a share of the US" in h and h.endswith("(%)") for h in header[1:]), header
    assert "EU-27 as a share of the US: NCSES table SINV-31 (%)" in header


def test_number_formats(shipped):
    _, wb = shipped
    ws = wb["Gap over time"]
    first = int(ws.freeze_panes[1:])
    assert ws.cell(row=first, column=1).number_format == "0"  # year: 2,035 never
    cells = [ws.cell(row=r, column=2) for r in range(first, ws.max_row + 1)]
    numbers = [c for c in cells if isinstance(c.value, float)]
    assert numbers and all(c.number_format == "0.0%" for c in numbers)  # ratios as percentages
    assert all(c.value == "[x]" for c in cells if c.value is not None and c not in numbers)


def test_key_findings_reproduce_the_ncses_table(shipped):
    _, wb = shipped
    rows = _rows(wb["Key findings"])
    assert 1 <= len(rows) <= 12
    hit = [r for r in rows if "NCSES table SINV-31" in r["Finding"] and "EU-27" in r["Finding"]]
    assert len(hit) == 1
    assert hit[0]["Value"] == pytest.approx(61911 / 247925, rel=1e-6)
    assert str(hit[0]["Year or window"]) == "2022"
    assert hit[0]["Source"] == "NCSES table SINV-31"
    assert all(r["Source"] and r["Status"] for r in rows)  # every finding names its source


def test_cover_has_version_and_citation(shipped):
    import fundgap

    _, wb = shipped
    labels = {r[0]: r[1] for r in wb["Cover"].iter_rows(values_only=True) if r[0]}
    assert labels["fundgap version"] == fundgap.__version__
    assert "fundgap" in labels["How to cite"]
    assert labels["Data vintages"].startswith(("OECD", "NCSES"))
    # the answer names its source: the first headline is the OECD's EU-27 / US ratio
    assert "% of the US" in labels["Answer"] and "OECD" in labels["Answer"]


def test_figures_and_tables_written(shipped):
    res, _ = shipped
    names = sorted(p.name for p in res.figures)
    for stem in ("depth_by_stage", "gap_over_time", "fund_sizes", "scenario_fan"):
        assert f"{stem}.png" in names and f"{stem}.svg" in names
    tables = {p.name for p in res.tables}
    assert {"depth_by_stage_group.csv", "gap.csv", "scenario.csv"} <= tables
    back = pd.read_csv(res.out_dir / "tables" / "gap.csv")
    assert {"source", "metric", "estimate"} <= set(back.columns)


def test_published_benchmarks_sit_beside_fundgap_figures(shipped):
    _, wb = shipped
    rows = _rows(wb["Published benchmarks"])
    assert {"fundgap's value", "Publisher", "Verdict", "Reason", "Code"} <= set(rows[0])
    # NVCA: US VC deal value 2022 = USD 240.93bn; NCSES SINV-31 has USD 247,925m for that year
    row25 = [r for r in rows if r["Code"] == 25][0]
    assert row25["fundgap's value"] == pytest.approx(247.925)
    assert row25["Verdict"] == "reproduced"
    assert row25["Relative difference, fundgap / published - 1"] == pytest.approx(
        247.925 / 240.93 - 1)


# ----------------------------------------------------------------------------- user data


def _synthetic_pitchbook(path, rng):
    """A synthetic PitchBook-layout deal export: 70 EU27 and 70 US biotech rounds."""
    n = 140
    country = np.where(np.arange(n) < 70, rng.choice(["Germany", "France", "Netherlands"], n),
                       "United States")
    series = rng.choice(["Seed", "A", "B", "C"], n)
    size = np.round(np.exp(rng.normal(2.5, 1.0, n)) * np.where(country == "United States", 2, 1), 2)
    names = [f"Synthetic Bio {i}" for i in range(n)]
    names[0] = HOSTILE
    names[1] = "+cmd|' /C calc'!A0"
    status = ["Completed"] * n
    status[0] = "Failed"  # rejected: the hostile name must reach the Rejected rows sheet
    frame = pd.DataFrame({
        "Deal ID": [f"S{i:04d}" for i in range(n)],
        "Companies": names,
        "Deal Date": pd.date_range("2015-01-01", periods=n, freq="20D").strftime("%Y-%m-%d"),
        "Deal Size": size,
        "Deal Status": status,
        "Deal Type": "Early Stage VC",
        "Series": series,
        "Company Country/Territory/Region": country,
        "Primary Industry Sector": "Healthcare",
        "Primary Industry Group": "Pharmaceuticals and Biotechnology",
    })
    frame.to_csv(path, index=False)
    return frame


@pytest.fixture(scope="module")
def user(tmp_path_factory):
    rng = np.random.default_rng(20261122)
    d = tmp_path_factory.mktemp("user")
    src = d / "synthetic_pitchbook.csv"
    _synthetic_pitchbook(src, rng)
    from fundgap.schema import conform

    n = 40
    funds = conform(pd.DataFrame({  # synthetic funds with the manager's region
        "fund_id": [f"F{i}" for i in range(n)],
        "fund_name": [f"Synthetic Fund {i}" for i in range(n)],
        "region": ["EU27"] * 20 + ["US"] * 20,
        "vintage": 2018,
        "size": np.round(np.exp(rng.normal(4.5, 0.8, n)), 1),
        "currency": "EUR",
        "fund_type": "vc",
        "source": "synthetic",
    }).assign(size_eur=lambda d: d["size"], size_usd=lambda d: d["size"] * 1.1), "funds")
    res = write_report(d / "out", rounds=src, sources={"rounds": "pitchbook"}, funds=funds, n_sims=50,
                       strict=True, max_rows=10)
    return res, openpyxl.load_workbook(res.workbook)


def test_user_rounds_give_a_regional_comparison(user):
    res, wb = user
    status = {s.key: s.status for s in res.sections}
    assert status["compare"] == "ok", res.summary()
    assert "Regional comparison" in wb.sheetnames
    assert "Rejected rows" in wb.sheetnames


def test_user_funds_with_regions_give_capacity_by_region(user):
    res, wb = user
    status = {s.key: s.status for s in res.sections}
    assert status["capacity"] == "ok" and status["scenario"] == "ok", res.summary()
    cap = res.results["capacity"].to_frame()
    assert {"EU27", "US"} <= set(cap["region"].astype(str))


def test_hostile_company_names_stay_text(user):
    _, wb = user
    values = [c.value for c in _cells(wb)]
    assert HOSTILE in values
    cell = next(c for c in _cells(wb) if c.value == HOSTILE)
    assert cell.data_type == "s"
    assert not [c.coordinate for c in _cells(wb) if c.data_type == "f"]


def test_row_cap_sends_long_tables_to_csv(user):
    res, wb = user
    # the long scenario table is never printed: the sheet points to its CSV
    text = " ".join(_sheet_text(wb["Scenario"]))
    assert "tables/scenario_long.csv" in text
    assert (res.out_dir / "tables" / "scenario_long.csv").exists()
    # a table longer than the cap (10 rows here) shows its first rows and names its CSV
    ws = wb["All findings"]
    note = [c.value for c in ws["A"] if isinstance(c.value, str) and "rows, more than" in c.value]
    assert note and len(next(iter(ws.tables.values())).ref) and ws.max_row < 30


def test_bad_user_file_raises_a_fundgap_error(tmp_path):
    from fundgap.errors import FundgapError

    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,here\n1,2\n")
    with pytest.raises(FundgapError):
        write_report(tmp_path / "out", rounds=bad, sources={"rounds": "pitchbook"}, n_sims=0,
                     strict=True)
    assert not (tmp_path / "out" / WORKBOOK_NAME).exists()


def _sheet_text(ws):
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_scenario_sheet_shows_window_us_counterfactuals_and_sensitivity(shipped):
    res, wb = shipped
    text = _sheet_text(wb["Scenario"])
    assert any("last 10 observed years" in t for t in text)
    paths, _ = _header(wb["Scenario US paths"])
    for words in ("US flat", "US on its trend (trend window)", "US on its trend over all years"):
        assert any(words in h and h.startswith("EU-27 as a share of the US") for h in paths), words
    assert any(h.startswith("US growth a year") for h in paths)
    assert wb["Scenario sensitivity"]["A1"].value.startswith("Sensitivity (tornado)")
    cf = res.out_dir / "tables" / "scenario_us_counterfactuals.csv"
    t = pd.read_csv(cf).set_index("stage_group")
    # flat US: the ratio is exactly the start ratio times the multiple (x5)
    assert np.allclose(t["ratio_us_flat"], 5 * t["ratio_start"])
    # the published fund sizes make the levers differ: the EU average fund (EUR 56m, European
    # Commission 2017) leads 56 x 0.3 = 16.8 today, 84 with bigger funds, 16.8 with more funds
    case = pd.read_csv(res.out_dir / "tables" / "fund_case.csv")
    eu = case[(case["side"] == "EU") & case["pair"].str.startswith("average")].set_index("lever")
    assert eu.loc["today", "largest_lead_round_eur"] == pytest.approx(16.8)
    assert eu.loc["bigger_funds", "largest_lead_round_eur"] == pytest.approx(84.0)


def test_fund_capacity_sheet_has_the_published_eu_us_case(shipped):
    res, wb = shipped
    text = _sheet_text(wb["Fund case EU vs US"])
    assert any("point values" in t and "NOT distributions" in t for t in text)
    assert any("European Commission, VentureEU" in t for t in text)
    case = pd.read_csv(res.out_dir / "tables" / "fund_case.csv")
    avg = case[case["pair"].str.startswith("average")].set_index(["side", "lever"])
    assert avg.loc[("EU", "today"), "largest_lead_round_eur"] == pytest.approx(16.8)
    assert avg.loc[("US", "today"), "largest_lead_round_eur"] == pytest.approx(46.8)
    assert avg.loc[("EU", "bigger_funds"), "largest_lead_round_eur"] == pytest.approx(84.0)
    assert avg.loc[("EU", "more_funds"), "largest_lead_round_eur"] == pytest.approx(16.8)
    assert avg["share_rounds_leadable"].notna().all()
