"""The workbook writer: text safety, formats, freezing, charts, row caps, atomic writes.

The writer goes through xlsxwriter; openpyxl reads the result back here.
"""

from __future__ import annotations

import os

import numpy as np
import openpyxl
import pandas as pd
import pytest

import fundgap
from fundgap.models.results import Result
from fundgap.report import excel
from fundgap.report.excel import (
    Chart,
    Sheet,
    Table,
    describe_unit,
    write_result,
    write_workbook,
)

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+1+2",
    "-3+4",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "plain name",
]


def _all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def _rounds():
    return pd.DataFrame({
        "company": pd.array(HOSTILE, dtype="string"),
        "region": pd.Categorical(["EU27", "US", "US", "EU27", "CN", "UK", "US"]),
        "year": pd.array([2020, 2021, 2022, 2020, 2021, 2022, 2023], dtype="Int64"),
        "amount_eur": [1.5, np.nan, 12345.678, 0.25, 3.0, 7.0, np.inf],
        "date": pd.to_datetime(["2020-01-02"] * 7),
        "is_biotech": pd.array([True, False, None, True, True, False, True], dtype="boolean"),
    })


def test_hostile_text_stays_text(tmp_path):
    p = write_workbook([Sheet("Rounds", title="=cmd|' /C calc'!A0",
                              lines=[("-label", "=1+1")],
                              tables=[Table(_rounds(), caption="@caption")])],
                       tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(p)
    ws = wb["Rounds"]
    values = [c.value for c in _all_cells(wb)]
    for name in HOSTILE:
        # XML turns a bare carriage return into a line feed; the text stays text
        assert name in values or name.replace("\r", "\n") in values
    assert not [c.coordinate for c in _all_cells(wb) if c.data_type == "f"]
    # the formula-like company is a string cell with the quote prefix
    cell = next(c for c in _all_cells(wb) if c.value == HOSTILE[0])
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert ws["A1"].value == "=cmd|' /C calc'!A0"


def test_formula_like_text_is_not_a_formula_in_the_xml(tmp_path):
    import zipfile

    p = write_workbook([Sheet("S", tables=[Table(pd.DataFrame({"company": HOSTILE}))])],
                       tmp_path / "x.xlsx")
    with zipfile.ZipFile(p) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_illegal_xml_characters_are_replaced(tmp_path):
    frame = pd.DataFrame({"company": ["bad\x00name\x1bx", "ok"]})
    p = write_workbook([Sheet("S", tables=[Table(frame)])], tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(p)["S"]
    assert ws["A2"].value == "bad\ufffdname\ufffdx"


def test_missing_and_infinite_numbers_show_the_shorthand(tmp_path):
    # the Analysis Function's shorthand: [x] not available (default), [z] not applicable
    p = write_workbook([Sheet("S", tables=[Table(_rounds(), missing={"is_biotech": "[z]"})])],
                       tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(p)["S"]
    # a line explaining the shorthand, the header in row 2, data from row 3; amount_eur in D
    assert "[x] = not available" in ws["A1"].value and "[z] = not applicable" in ws["A1"].value
    assert ws["D2"].value == "amount_eur"
    assert ws["D3"].value == 1.5
    assert ws["D4"].value == "[x]"
    assert ws["D9"].value == "[x]"  # infinity is not a number a reader can use
    assert ws["F5"].value == "[z]"  # missing boolean, marked as the table asks
    assert ws["F3"].value is True


def test_number_formats_units_freeze_and_cursor(tmp_path):
    sheet = Sheet("Depth", title="Depth", lines=["Source: synthetic"],
                  tables=[Table(_rounds(), units={"amount_eur": "EUR million, 2024 prices"})])
    p = write_workbook([sheet], tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(p)["Depth"]
    # title row 1, line row 2, blank row 3, header row 4
    assert ws["D4"].value == "amount_eur (EUR million, 2024 prices)"
    assert ws.freeze_panes == "A5"
    assert ws["C5"].number_format == "0"  # year: no thousands separator
    assert ws["D5"].number_format == "#,##0.0"
    assert ws["E5"].number_format == "yyyy-mm-dd"
    assert ws.sheet_view.selection[0].activeCell == "A1"
    assert ws.column_dimensions["A"].width >= 10
    assert not ws.merged_cells.ranges


def test_no_blank_rows_inside_tables(tmp_path):
    frame = pd.DataFrame({"a": ["x", None, "z"], "b": [None, None, None]})
    p = write_workbook([Sheet("S", tables=[Table(frame), Table(frame, caption="second")])],
                       tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(p)["S"]
    # the shorthand line, the first table in rows 2-5 (no empty cell: [x]), one blank row,
    # then the caption and the second table
    assert [ws.cell(row=r, column=1).value for r in range(2, 9)] == [
        "a", "x", "[x]", "z", None, "second", "a"]
    assert [ws.cell(row=r, column=2).value for r in range(3, 6)] == ["[x]"] * 3
    assert set(ws.tables) == {"tbl_S", "tbl_S_2"}


def test_native_line_chart_on_sheet_ranges(tmp_path):
    fan = pd.DataFrame({"year": [2024, 2025, 2026], "p5": [1.0, 1.1, 1.2],
                        "p50": [1.0, 1.2, 1.4], "p95": [1.0, 1.3, 1.6]})
    sheet = Sheet("Scenario", tables=[Table(fan, units="EUR million, 2024 prices")],
                  charts=[Chart(x="year", y=["p5", "p50", "p95"], dashed=["p5", "p95"],
                                title="fan", y_title="EUR million, 2024 prices")])
    p = write_workbook([sheet], tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(p)["Scenario"]
    # openpyxl's reader keeps charts of the loaded sheet; years on a value axis (x-y lines)
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert chart.tagname == "scatterChart"
    assert len(chart.series) == 3
    ref = chart.series[1].yVal.numRef.f
    assert ref in ("'Scenario'!$C$2:$C$4", "Scenario!$C$2:$C$4")
    assert ws["B1"].value == "p5 (EUR million, 2024 prices)"
    assert ws["A1"].value == "year"  # years carry no unit
    assert chart.anchor._from.row > 3  # below the table (rows 1-4), not over it


def test_lines_skip_missing_years_instead_of_drawing_zero(tmp_path):
    t = pd.DataFrame({"year": [2020, 2021, 2022, 2023], "a": [0.1, np.nan, 0.2, 0.3],
                      "b": [np.nan, 0.5, 0.6, np.nan]})
    p = write_workbook([Sheet("S", tables=[Table(t)], charts=[Chart(x="year", y=["a", "b"])])],
                       tmp_path / "x.xlsx")
    chart = openpyxl.load_workbook(p)["S"]._charts[0]
    refs = [s.yVal.numRef.f.split("!")[1] for s in chart.series]
    # header in row 2 (after the shorthand line): a has rows 3 and 5-6, b has rows 4-5
    assert refs == ["$B$3", "$B$5:$B$6", "$C$4:$C$5"]


def test_text_categories_are_a_string_reference(tmp_path):
    wide = pd.DataFrame({"stage group": ["seed", "early"], "US": [1.0, 5.0]})
    sheet = Sheet("Depth", tables=[Table(wide)],
                  charts=[Chart(x="stage group", y=["US"], kind="bar")])
    p = write_workbook([sheet], tmp_path / "x.xlsx")
    chart = openpyxl.load_workbook(p)["Depth"]._charts[0]
    assert chart.tagname == "barChart"
    assert chart.series[0].cat.strRef.f in ("'Depth'!$A$2:$A$3", "Depth!$A$2:$A$3")


def test_chart_with_unknown_column_fails_loudly(tmp_path):
    sheet = Sheet("S", tables=[Table(pd.DataFrame({"year": [1], "v": [2.0]}))],
                  charts=[Chart(x="year", y=["nope"])])
    with pytest.raises(KeyError):
        write_workbook([sheet], tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_row_cap_sends_the_table_to_csv(tmp_path):
    frame = pd.DataFrame({"company": [f"c{i}" for i in range(25)], "amount": np.arange(25.0)})
    p = write_workbook([Sheet("Rejected rows", tables=[Table(frame, csv_name="rejected.csv")])],
                       tmp_path / "x.xlsx", max_rows=10)
    ws = openpyxl.load_workbook(p)["Rejected rows"]
    assert "rejected.csv" in ws["A1"].value
    assert ws.max_row == 12  # note, header, 10 rows
    back = pd.read_csv(tmp_path / "rejected.csv")
    assert len(back) == 25


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    def broken_close(self):  # (the workbook is written into an open temporary file)
        self.filename.write(b"half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr("xlsxwriter.workbook.Workbook.close", broken_close)
    # (issue 16: the OS error comes as a FundgapError naming the file)
    with pytest.raises(fundgap.OutputError, match="disk full"):
        write_workbook([Sheet("S", lines=["x"])], tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "x.xlsx"
    write_workbook([Sheet("Old", lines=["old"])], target)
    before = target.read_bytes()

    def broken_close(self):
        raise OSError("disk full")

    monkeypatch.setattr("xlsxwriter.workbook.Workbook.close", broken_close)
    with pytest.raises(fundgap.OutputError):
        write_workbook([Sheet("New", lines=["new"])], target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.xlsx"]


def test_wrong_suffix_is_a_fundgap_error(tmp_path):
    from fundgap.errors import FundgapError

    with pytest.raises(FundgapError, match=r"\.xlsx"):
        write_workbook([Sheet("S")], tmp_path / "x.xls")


def test_sheet_names_are_made_safe_and_unique(tmp_path):
    p = write_workbook([Sheet("a/b:c*d?[e]" + "x" * 40), Sheet("Data"), Sheet("data")],
                       tmp_path / "x.xlsx")
    names = openpyxl.load_workbook(p).sheetnames
    assert names[0] == "a_b_c_d__e_" + "x" * 20
    assert names[1:] == ["Data", "data (2)"]
    assert all(len(n) <= 31 for n in names)


def test_describe_unit():
    assert describe_unit("EUR_M", 2024) == "EUR million, 2024 prices"
    assert describe_unit("EUR_M", 2024.0) == "EUR million, 2024 prices"
    assert describe_unit("USD_M", "current") == "USD million, current prices"
    assert describe_unit("PCT_GDP", "current") == "% of GDP"
    assert describe_unit(None) == ""


def test_write_result_puts_unit_in_header_and_meta_on_second_sheet(tmp_path):
    frame = pd.DataFrame({"region": ["EU27", "US"], "metric": ["median", "median"],
                          "estimate": [4.0, 10.0], "unit": ["EUR_M", "EUR_M"],
                          "price_base": ["2024", "2024"]})
    r = Result(frame, title="Median round size", meta={"seed": 7, "by": ("region",)})
    p = write_result(r, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames == ["Result", "Result options"]
    ws = wb["Result"]
    assert ws["A1"].value == "Median round size"
    # title, the unit line, then the header in words with the unit; codes spelled out
    header = [c.value for c in ws[3]]
    assert header == ["Region", "Measure", "Estimate (EUR million, 2024 prices)"]
    assert [c.value for c in ws[4]] == ["EU-27", "Median round", 4.0]
    assert ws["C4"].number_format == "#,##0.0"
    opts = wb["Result options"]
    rows = [tuple(c.value for c in r) for r in opts.iter_rows(min_row=3)]
    assert ("seed", "7") in rows and ("by", "region") in rows


def test_result_to_excel_goes_through_write_result(tmp_path):
    r = Result(pd.DataFrame({"company": [HOSTILE[0]], "estimate": [1.0]}), title="t")
    p = r.to_excel(tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(p)
    assert HOSTILE[0] in [c.value for c in _all_cells(wb)]
    assert not [c for c in _all_cells(wb) if c.data_type == "f"]


def test_very_long_text_is_cut_to_the_cell_limit(tmp_path):
    frame = pd.DataFrame({"note": ["x" * 40_000]})
    p = write_workbook([Sheet("S", tables=[Table(frame)])], tmp_path / "x.xlsx")
    v = openpyxl.load_workbook(p)["S"]["A2"].value
    assert len(v) == excel.EXCEL_MAX_CHARS
    assert v.endswith("]")


def test_timezone_aware_dates_are_written(tmp_path):
    frame = pd.DataFrame({"date": pd.to_datetime(["2021-03-04 12:00"]).tz_localize("Europe/Paris")})
    p = write_workbook([Sheet("S", tables=[Table(frame)])], tmp_path / "x.xlsx")
    v = openpyxl.load_workbook(p)["S"]["A2"].value
    assert (v.year, v.month, v.day, v.hour) == (2021, 3, 4, 11)


def test_no_temp_files_left_after_success(tmp_path):
    write_workbook([Sheet("S", lines=["x"])], tmp_path / "x.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]
    assert not any(n.startswith(".") for n in os.listdir(tmp_path))


def test_links_to_other_sheets_are_internal(tmp_path):
    p = write_workbook([Sheet("Cover", lines=[("Contents", "go", "#'Data (long)'!A1")]),
                        Sheet("Data (long)")], tmp_path / "x.xlsx")
    link = openpyxl.load_workbook(p)["Cover"]["B1"].hyperlink
    assert link.location == "'Data (long)'!A1"
    assert not link.target
