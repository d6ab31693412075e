"""The SYNTHETIC Dealroom, Preqin, PitchBook funds, generic and XLSX exports of benchmarks/.

Fast (10^3 rows); no timing assertions. The expected headers are written out by hand from
../shared/data/reference/export_column_layouts.csv and the loaders' documented header
names, not taken from the generator. Every file must load with fundgap with every record
accounted for: rows kept + rows rejected = records written (for Dealroom, one record per
round of a company row that can be unpacked, plus one per row that cannot).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path

import pandas as pd
import pytest

import fundgap

ROOT = Path(__file__).resolve().parents[2]
N = 1000


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"fundgap_bench_{name}",
                                                  ROOT / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # (dataclasses look their module up there)
    spec.loader.exec_module(mod)
    return mod


gen = _load("generate")

# reference layout rows "Dealroom company export (rounds nested)" (upper-case export), plus the
# TAGLINE / TAGS / LONG DESCRIPTION columns the Dealroom loader reads for the modality
DEALROOM_HEADER = [
    "NAME", "PROFILE URL", "TAGLINE", "LONG DESCRIPTION", "HQ REGION", "HQ COUNTRY", "HQ CITY",
    "LAUNCH DATE", "INDUSTRIES", "SUB INDUSTRIES", "TAGS", "GROWTH STAGE", "TOTAL FUNDING (EUR M)",
    "TOTAL FUNDING (USD M)", "LAST ROUND", "LAST FUNDING", "LAST FUNDING DATE", "EACH ROUND TYPE",
    "EACH ROUND AMOUNT", "EACH ROUND CURRENCY", "EACH ROUND DATE", "EACH ROUND INVESTORS",
]
# reference layout rows 'Preqin fund export (xlsx sheet "Preqin_Export")'
PREQIN_HEADER = [
    "FUND ID", "NAME", "FIRM ID", "FUND MANAGER", "ASSET CLASS", "STRATEGY",
    "VINTAGE / INCEPTION YEAR", "FUND SIZE (USD MN)", "TARGET SIZE (USD MN)",
    "FINAL CLOSE SIZE (USD MN)", "FINAL CLOSE SIZE (EUR MN)", "FINAL CLOSE SIZE (CURR. MN)",
    "FUND CURRENCY", "STATUS", "GEOGRAPHIC FOCUS", "PRIMARY REGION FOCUS", "REGION", "COUNTRY",
    "DOMICILE", "FINAL CLOSE DATE", "FUND NUMBER (OVERALL)", "FUND NUMBER (SERIES)",
    "CORE INDUSTRIES", "INDUSTRIES", "NET IRR (%)", "NET TVPI (X)", "NET DPI (X)",
]
# reference layout rows "PitchBook fund export", then the manager-location column the
# PitchBook funds loader accepts
PITCHBOOK_FUNDS_HEADER = [
    "Fund ID", "Fund Name", "Investors", "Fund No.", "First Fund", "Vintage", "Fund Status",
    "Fund Size", "Fund Size Group", "Fund Type", "Open Date", "Close Date", "Fund Target Size",
    "Fund Target Size Low", "Fund Target Size High", "LPs", "Fund Partners",
    "Preferred Geography", "Preferred Industry", "Fund Country",
]
PITCHBOOK_HEADER = [
    "Deal ID", "Companies", "Company ID", "Deal Date", "Announced Date", "Deal Size",
    "Deal Size Status", "Deal Type", "Deal Type 2", "Deal Type 3", "VC Round", "Series",
    "Primary Industry Sector", "Primary Industry Group", "Verticals", "Keywords", "Deal Status",
    "Current Financing Status", "HQ Location", "Company State/Province",
    "Company Country/Territory/Region", "HQ Global Region", "Year Founded", "Investors",
    "Lead/Sole Investors", "Pre-money Valuation", "Post Valuation", "Raised to Date",
]

CSV_SOURCES = ("dealroom", "preqin", "pitchbook_funds", "generic")
BANNER = {"pitchbook_funds": 6}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("synthetic_layouts")
    out = {}
    for source in CSV_SOURCES:
        out[source] = (gen.ensure(source, N, seed=7, root=d / "a"),
                       gen.ensure(source, N, seed=7, root=d / "b"),
                       gen.ensure(source, N, seed=8, root=d / "c"))
    return out


def _header_and_table(path: Path, skip: int = 0) -> tuple[list[str], pd.DataFrame]:
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines(keepends=True)[skip:]
    header = next(csv.reader([lines[0]]))
    table = pd.read_csv(io.StringIO("".join(lines)), dtype=str, keep_default_na=False)
    return header, table


@pytest.mark.parametrize("source", CSV_SOURCES)
def test_seeded_deterministic_and_named(files, source):
    a, b, c = files[source]
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    assert a.name.startswith("SYNTHETIC_") and f"_n{N}_seed7" in a.name


@pytest.mark.parametrize("source, header", [("dealroom", DEALROOM_HEADER),
                                            ("preqin", PREQIN_HEADER),
                                            ("pitchbook_funds", PITCHBOOK_FUNDS_HEADER)])
def test_real_headers(files, source, header):
    got, table = _header_and_table(files[source][0], BANNER.get(source, 0))
    assert got == header
    assert len(table) == N


def test_generic_header_and_mapping(files):
    got, table = _header_and_table(files["generic"][0])
    assert got == ["Deal ref", "Startup", "Country", "Round", "Closed on", "Amount (m)",
                   "Currency", "Sector", "Notes", "Analyst"]
    assert set(gen.GENERIC_COLUMNS.values()) <= set(got)
    assert files["generic"][0].read_bytes().startswith(b"\xef\xbb\xbf")  # saved by a spreadsheet
    assert len(table) == N


def test_pitchbook_funds_banner_says_synthetic(files):
    lines = files["pitchbook_funds"][0].read_text(encoding="utf-8").splitlines()
    assert "SYNTHETIC" in lines[0] and "SYNTHETIC" in lines[1]
    assert lines[5] == ""


def _read(source: str, path: Path):
    if source in ("preqin", "pitchbook_funds"):
        return fundgap.read_funds(str(path), source=source)
    kw = {"columns": gen.GENERIC_COLUMNS} if source == "generic" else {}
    return fundgap.read_rounds(str(path), source=source, **kw)


@pytest.mark.parametrize("source", CSV_SOURCES)
def test_loads_with_every_record_accounted(files, source):
    path = files[source][0]
    info = gen.info_of(path)
    ld = _read(source, path)
    ld.check_accounting()
    assert len(ld.data) + len(ld.rejects) == info["records"]
    assert len(ld.data) > 0.8 * info["records"]
    reasons = ld.rejects["reason"].astype(str)
    # the exported-twice rows come back as exact duplicates
    assert (reasons == "exact duplicate row").sum() >= info["exact_duplicate_rows"] * (
        1 if source != "dealroom" else 0)


def test_dealroom_packed_rounds_by_hand(files):
    """Records counted from the file itself: rounds in the EACH ROUND TYPE lists of rows
    whose packed lists agree, plus one per row with no rounds or disagreeing lists."""
    _, t = _header_and_table(files["dealroom"][0])
    packed = ["EACH ROUND TYPE", "EACH ROUND AMOUNT", "EACH ROUND CURRENCY", "EACH ROUND DATE",
              "EACH ROUND INVESTORS"]
    n_el = pd.DataFrame({c: t[c].map(lambda s: 0 if s == "" else s.count(";") + 1) for c in packed})
    nonzero = n_el.where(n_el > 0)
    rounds = n_el.max(axis=1)
    agree = nonzero.min(axis=1) == nonzero.max(axis=1)
    bad = (rounds == 0) | ~agree
    assert 0 < int((~agree & (rounds > 0)).sum()) < 0.05 * N  # a few short amount lists
    assert 0.03 * N < int((rounds == 0).sum()) < 0.15 * N
    records = int(rounds[~bad].sum() + bad.sum())
    assert gen.info_of(files["dealroom"][0])["records"] == records
    amounts = t["EACH ROUND AMOUNT"].str.split(";").explode()
    amounts = amounts[amounts.notna() & (amounts != "")]
    assert (amounts == "n/a").mean() > 0.2  # undisclosed rounds
    assert amounts[amounts != "n/a"].str.fullmatch(r"\d+(\.\d{1,2})?").all()
    dates = t["EACH ROUND DATE"].str.split(";").explode()
    assert dates[dates.notna() & (dates != "")].str.fullmatch(
        r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/(19|20)\d\d").all()
    assert t["EACH ROUND INVESTORS"].str.contains("++", regex=False).any()


def test_preqin_values(files):
    _, t = _header_and_table(files["preqin"][0])
    assert {"Venture Capital", "Private Equity"} <= set(t["ASSET CLASS"])
    assert {"Closed", "Raising"} <= set(t["STATUS"])
    assert {"US", "UK", "Germany"} <= set(t["COUNTRY"])
    raising = t["STATUS"].isin(["Raising", "First Close"])
    assert (t.loc[raising, "FINAL CLOSE SIZE (USD MN)"] == "").all()  # no final close yet
    closed = ~raising & (t["FINAL CLOSE SIZE (USD MN)"] != "")
    usd = t.loc[closed & (t["FUND CURRENCY"] == "USD")]
    assert (usd["FINAL CLOSE SIZE (USD MN)"] == usd["FINAL CLOSE SIZE (CURR. MN)"]).all()
    assert t["VINTAGE / INCEPTION YEAR"].str.fullmatch(r"(|(19|20)\d\d)").all()


def test_pitchbook_funds_values(files):
    _, t = _header_and_table(files["pitchbook_funds"][0], 6)
    size = t["Fund Size"]
    assert size[size != ""].str.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d").all()
    assert size.str.contains(",").any()
    assert t["Open Date"].str.fullmatch(r"\d\d-[A-Z][a-z]{2}-\d{4}").all()
    assert (t["First Fund"] == "Yes").eq(t["Fund No."] == "1").all()
    assert {"Venture - General", "Buyout", "Real Estate"} <= set(t["Fund Type"])


@pytest.fixture(scope="module")
def xlsx(tmp_path_factory):
    d = tmp_path_factory.mktemp("synthetic_xlsx")
    return (gen.ensure("pitchbook", N, seed=7, root=d / "a", style="xlsx"),
            gen.ensure("pitchbook", N, seed=7, root=d / "b", style="xlsx"),
            gen.ensure("pitchbook", N, seed=8, root=d / "c", style="xlsx"),
            gen.ensure("pitchbook", N, seed=7, root=d / "a"))


def _sheet(path: Path) -> list[list]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


def test_xlsx_seeded_header_and_cells(xlsx):
    a, b, c, csv_path = xlsx
    assert a.name.startswith("SYNTHETIC_") and a.suffix == ".xlsx"
    ra, rb, rc = _sheet(a), _sheet(b), _sheet(c)
    assert ra == rb and ra != rc
    assert "SYNTHETIC" in ra[0][0] and "SYNTHETIC" in ra[1][0]
    assert ra[6] == PITCHBOOK_HEADER
    assert len(ra) == 7 + N
    body = pd.DataFrame(ra[7:], columns=PITCHBOOK_HEADER)
    _, t = _header_and_table(csv_path, 6)
    # the same deals as the CSV of the same seed: sizes as numbers, dates as dates
    assert (body["Deal ID"] == t["Deal ID"]).all()
    size = pd.to_numeric(t["Deal Size"].str.replace(",", ""), errors="coerce")
    got = pd.to_numeric(body["Deal Size"], errors="coerce")
    assert got.isna().eq(size.isna()).all()
    assert (got.dropna() - size.dropna()).abs().max() < 1e-9
    dates = pd.to_datetime(t["Deal Date"], format="%d-%b-%Y")
    assert (pd.to_datetime(body["Deal Date"]) == dates).all()


def test_xlsx_loads_like_the_csv(xlsx):
    a, _, _, csv_path = xlsx
    x = fundgap.read_rounds(str(a), source="pitchbook")
    c = fundgap.read_rounds(str(csv_path), source="pitchbook")
    x.check_accounting()
    assert len(x.data) + len(x.rejects) == N
    assert len(x.data) == len(c.data) and len(x.rejects) == len(c.rejects)
    assert sorted(x.data["round_id"]) == sorted(c.data["round_id"])


def test_unknown_style_refused():
    with pytest.raises(ValueError, match="style"):
        gen.data_path("dealroom", N, style="excel")


@pytest.fixture(scope="module")
def xlsx_layouts(tmp_path_factory, files):
    d = tmp_path_factory.mktemp("synthetic_layouts_xlsx")
    return {s: (gen.ensure(s, N, seed=7, root=d / "a", style="xlsx"),
                gen.ensure(s, N, seed=7, root=d / "b", style="xlsx"),
                gen.ensure(s, N, seed=8, root=d / "c", style="xlsx"), files[s][0])
            for s in CSV_SOURCES}


@pytest.mark.parametrize("source", CSV_SOURCES)
def test_xlsx_layouts_hold_the_csv_cells(xlsx_layouts, source):
    a, b, c, csv_path = xlsx_layouts[source]
    assert a.name.startswith("SYNTHETIC_") and a.suffix == ".xlsx"
    ra, rb, rc = _sheet(a), _sheet(b), _sheet(c)
    assert ra == rb and ra != rc
    skip = BANNER.get(source, 0)
    if skip:
        assert "SYNTHETIC" in ra[0][0] and "SYNTHETIC" in ra[1][0]
    header, t = _header_and_table(csv_path, skip)
    assert ra[skip] == header and len(ra) == skip + 1 + N
    body = pd.DataFrame(ra[skip + 1:], columns=header)
    # every cell is the CSV's: a plain number as a number, an ISO date as a date, else text
    for col in header:
        want = t[col]
        got = body[col]
        num = want.str.fullmatch(r"-?\d+(\.\d+)?")
        iso = want.str.fullmatch(r"\d{4}-\d\d-\d\d")
        assert (got[want == ""].isna()).all(), col
        assert (pd.to_numeric(got[num]) == pd.to_numeric(want[num])).all(), col
        assert (pd.to_datetime(got[iso]) == pd.to_datetime(want[iso])).all(), col
        text = (want != "") & ~num & ~iso
        assert (got[text] == want[text]).all(), col


@pytest.mark.parametrize("source", CSV_SOURCES)
def test_xlsx_layouts_load_like_the_csv(xlsx_layouts, source):
    a, _, _, csv_path = xlsx_layouts[source]
    x, c = _read(source, a), _read(source, csv_path)
    x.check_accounting()
    assert len(x.data) + len(x.rejects) == gen.info_of(a)["records"] == gen.info_of(csv_path)["records"]
    assert len(x.data) == len(c.data) and len(x.rejects) == len(c.rejects)
    key = "fund_name" if source in ("preqin", "pitchbook_funds") else "company"
    assert sorted(x.data[key]) == sorted(c.data[key])


def test_results_table_reports_spread_ratio_and_accounting():
    run = _load("run")
    row = run._row("read x", "10 rows", [{"status": "ok", "seconds": s, "process_peak_rss_mb": 40.0}
                                         for s in (2.0, 3.0, 4.0)],
                   [{"status": "ok", "seconds": s} for s in (1.0, 1.0, 2.0)],
                   ref_name="ref", target="<= 2x", ratio_target=2.0, mem_target=4.0,
                   file_mb=20.0, accounted=False, rows_data=5, rows_rejects=4, records_written=10)
    cells = run._table_cells(row)
    assert cells[3] == "2.00 / 3.00 / 4.00"
    assert cells[6] == "2.00x (2.00-3.00)"      # min / min, and the per-pair ratios 2, 3, 2
    assert cells[9] == "2.0x"                    # 40 MB peak over a 20 MB file
    assert cells[10] == "time PASS, mem PASS"
    assert cells[11].startswith("MISMATCH")
    assert run.spread([3.0, 1.0, 2.0]) == (1.0, 2.0, 3.0)
