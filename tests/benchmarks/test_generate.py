"""The SYNTHETIC export generator of benchmarks/ is seeded and writes the real layouts.

Fast (10^3 rows); no timing assertions. The expected headers are written out by hand
from ../shared/data/reference/export_column_layouts.csv, not taken from the generator.
"""

from __future__ import annotations

import csv
import importlib.util
import io
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
N = 1000


def _load_generate():
    spec = importlib.util.spec_from_file_location("fundgap_bench_generate",
                                                  ROOT / "benchmarks" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


gen = _load_generate()

PITCHBOOK_HEADER = [
    "Deal ID", "Companies", "Company ID", "Deal Date", "Announced Date", "Deal Size",
    "Deal Size Status", "Deal Type", "Deal Type 2", "Deal Type 3", "VC Round", "Series",
    "Primary Industry Sector", "Primary Industry Group", "Verticals", "Keywords", "Deal Status",
    "Current Financing Status", "HQ Location", "Company State/Province",
    "Company Country/Territory/Region", "HQ Global Region", "Year Founded", "Investors",
    "Lead/Sole Investors", "Pre-money Valuation", "Post Valuation", "Raised to Date",
]
CRUNCHBASE_REQUIRED = [
    "Transaction Name", "Transaction Name URL", "Organization Name", "Organization Name URL",
    "Funding Type", "Money Raised", "Money Raised Currency", "Money Raised (in USD)",
    "Announced Date", "Funding Stage", "Organization Industries", "Organization Location",
    "Lead Investors", "Investor Names",
]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("synthetic")
    out = {}
    for source in ("pitchbook", "crunchbase"):
        a = gen.ensure(source, N, seed=7, root=d / "a")
        b = gen.ensure(source, N, seed=7, root=d / "b")
        c = gen.ensure(source, N, seed=8, root=d / "c")
        out[source] = (a, b, c)
    return out


@pytest.mark.parametrize("source", ["pitchbook", "crunchbase"])
def test_seeded_and_deterministic(files, source):
    a, b, c = files[source]
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


@pytest.mark.parametrize("source", ["pitchbook", "crunchbase"])
def test_named_synthetic(files, source):
    a, _, _ = files[source]
    assert a.name.startswith("SYNTHETIC_")
    assert str(N) in a.name


def _pitchbook_table(path):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return lines[:6], pd.read_csv(io.StringIO("".join(lines[6:])), dtype=str, keep_default_na=False)


def test_pitchbook_banner_and_header(files):
    path = files["pitchbook"][0]
    banner, table = _pitchbook_table(path)
    assert "SYNTHETIC" in banner[0] and "SYNTHETIC" in banner[1]
    header = next(csv.reader([path.read_text(encoding="utf-8").splitlines()[6]]))
    assert header == PITCHBOOK_HEADER
    assert len(table) == N


def test_pitchbook_values_look_like_the_export(files):
    _, t = _pitchbook_table(files["pitchbook"][0])
    size = t["Deal Size"]
    # USD millions with two decimals; thousands separated by commas
    assert size[size != ""].str.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d").all()
    assert size.str.contains(",").any()
    undisclosed = (size == "").mean()
    assert 0.2 < undisclosed < 0.6
    status = set(t["Deal Status"])
    assert "Completed" in status and len(status) >= 2
    assert 0.8 < (t["Deal Status"] == "Completed").mean() < 0.99
    assert t["Deal Date"].str.fullmatch(r"\d\d-[A-Z][a-z]{2}-\d{4}").all()
    assert {"Seed Round", "Early Stage VC", "Later Stage VC", "Grant"} <= set(t["Deal Type"])
    assert t["Series"].str.fullmatch(r"(|Seed|Series Seed|Angel|Series [A-G](\d|-\d)?)").all()
    countries = set(t["Company Country/Territory/Region"])
    assert {"United States", "United Kingdom", "Germany", "China"} <= countries
    assert "Pharmaceuticals and Biotechnology" in set(t["Primary Industry Group"])
    # about 1.5% duplicates: exact re-exports share the Deal ID
    dup_ids = t["Deal ID"].duplicated().sum()
    assert 5 <= dup_ids <= 20
    key = t[["Company ID", "Deal Date", "Deal Size"]][t["Deal Size"] != ""]
    assert key.duplicated().sum() >= 1


def test_crunchbase_header_and_values(files):
    path = files["crunchbase"][0]
    header = next(csv.reader([path.read_text(encoding="utf-8").splitlines()[0]]))
    assert header[: len(CRUNCHBASE_REQUIRED) - 2] == CRUNCHBASE_REQUIRED[:-2]
    assert set(CRUNCHBASE_REQUIRED) <= set(header)
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(t) == N
    loc = t["Organization Location"].str.split(", ")
    assert (loc.str.len() == 4).all()
    assert {"Europe", "North America", "Asia"} <= set(loc.str[-1])
    money = t["Money Raised"]
    assert money[money != ""].str.fullmatch(r"\d+").all()  # raw currency units
    assert 0.2 < (money == "").mean() < 0.6
    ccy = set(t["Money Raised Currency"]) - {""}
    assert {"USD", "EUR", "GBP", "CNY"} <= ccy
    # the USD column is blank exactly where the amount is, apart from a few unconverted rows
    assert ((money == "") <= (t["Money Raised (in USD)"] == "")).all()
    usd_rows = (t["Money Raised Currency"] == "USD") & (t["Money Raised (in USD)"] != "")
    assert (t.loc[usd_rows, "Money Raised"] == t.loc[usd_rows, "Money Raised (in USD)"]).all()
    assert {"Seed", "Series A", "Venture - Series Unknown", "Grant"} <= set(t["Funding Type"])
    assert t["Announced Date"].str.fullmatch(r"\d{4}-\d\d-\d\d").all()
    assert 5 <= t["Transaction Name URL"].duplicated().sum() <= 20


def test_canonical_rounds_meets_schema():
    from fundgap.schema import ROUND_COLUMNS, validate_rounds

    f = gen.canonical_rounds(N, seed=1)
    validate_rounds(f)
    assert list(f.columns) == list(ROUND_COLUMNS)
    assert f.equals(gen.canonical_rounds(N, seed=1))


@pytest.fixture(scope="module")
def excel_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("synthetic_excel")
    return {s: (gen.ensure(s, N, seed=7, root=d, style="excel"), gen.ensure(s, N, seed=7, root=d))
            for s in ("pitchbook", "crunchbase")}


@pytest.mark.parametrize("source", ["pitchbook", "crunchbase"])
def test_excel_style_bytes(excel_files, source):
    path, standard = excel_files[source]
    assert path.name.startswith("SYNTHETIC_") and "_excel_" in path.name
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, as Excel's "CSV UTF-8"
    body = raw[3:]
    assert body.count(b"\r\n") == body.count(b"\n") >= N + 1  # every line ends in CRLF
    first = body.split(b"\r\n", 1)[0].decode("utf-8")
    header = next(csv.reader([first]))  # no banner rows: the header comes first
    assert header[0] == ("Deal ID" if source == "pitchbook" else "Transaction Name")
    if source == "crunchbase":
        assert first.startswith('"Transaction Name","Transaction Name URL"')  # every field quoted


def test_excel_style_same_rows_other_formats(excel_files):
    path, standard = excel_files["pitchbook"]
    t = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    _, s = _pitchbook_table(standard)
    assert len(t) == len(s) == N
    # the same deals: ids, companies, statuses and types agree row by row
    for col in ("Deal ID", "Companies", "Deal Status", "Deal Type", "Series",
                "Company Country/Territory/Region"):
        assert (t[col] == s[col]).all(), col
    # dates as 3/15/2021 for 15-Mar-2021; sizes without thousands separators
    want = pd.to_datetime(s["Deal Date"], format="%d-%b-%Y")
    assert (pd.to_datetime(t["Deal Date"], format="%m/%d/%Y") == want).all()
    assert t["Deal Date"].str.fullmatch(r"[1-9]\d?/[1-9]\d?/\d{4}").all()
    assert (t["Deal Size"] == s["Deal Size"].str.replace(",", "")).all()
    # HQ locations from many synthetic cities: far more distinct values than standard
    assert t["HQ Location"].nunique() > 5 * s["HQ Location"].nunique()


def test_excel_style_crunchbase_wider_labels(excel_files):
    path, standard = excel_files["crunchbase"]
    t = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    s = pd.read_csv(standard, dtype=str, keep_default_na=False)
    assert (t["Transaction Name URL"] == s["Transaction Name URL"]).all()
    assert (t["Money Raised"] == s["Money Raised"]).all()
    loc = t["Organization Location"].str.split(", ")
    assert (loc.str.len() == 4).all()
    # the country (second-last part) is the standard file's
    assert (loc.str[-2] == s["Organization Location"].str.split(", ").str[-2]).all()
    assert t["Organization Location"].nunique() > 5 * s["Organization Location"].nunique()
    # the standard industries come first, up to two more tags follow
    assert all(a.startswith(b) for a, b in zip(t["Organization Industries"],
                                                s["Organization Industries"]))
    assert t["Organization Industries"].nunique() > s["Organization Industries"].nunique()
