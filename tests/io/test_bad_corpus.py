"""Every malformed file in tests/data/bad/ gets a clear answer: a FundgapError naming the file
(and, where it is about a row, the row, column and value), or its problems listed in .rejects.
Never a bare traceback, never rows silently dropped. See tests/data/make_bad.py."""

import csv
from pathlib import Path

import pytest

import fundgap

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
with open(BAD / "MANIFEST.csv", newline="") as _f:
    CASES = list(csv.DictReader(_f))

READERS = {"rounds": fundgap.read_rounds, "funds": fundgap.read_funds}


def test_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert all((BAD / c["file"]).exists() for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_file(case):
    path = BAD / case["file"]
    read = READERS[case["kind"]]
    source = case["source"] or None
    n_data = int(case["n_data"])
    if case["expect"] == "error":
        with pytest.raises(fundgap.FundgapError) as e:
            read(path, source=source, today="2025-01-01")
        err = e.value
        assert type(err).__name__ == case["detail"], str(err)
        assert str(path) in str(err)
        assert err.file == str(path)
        return
    try:
        ld = read(path, source=source, today="2025-01-01")
    except fundgap.FundgapError as err:  # pragma: no cover - shows the message on failure
        pytest.fail(f"{case['file']}: unexpected {type(err).__name__}: {err}")
    ld.check_accounting()
    if n_data >= 0:
        assert len(ld.data) == n_data, ld.summary()
    if case["expect"] == "rejects":
        assert len(ld.rejects) > 0
        hits = ld.rejects["reason"].str.contains(case["detail"], regex=False)
        assert hits.any(), ld.summary()
        assert ld.rejects["source_row"].notna().all()
    else:
        assert case["detail"] in " ".join(ld.notes), ld.notes


def test_row_level_error_names_row_column_value():
    path = BAD / "synthetic_duplicated_header_conflict.csv"
    with pytest.raises(fundgap.FileFormatError) as e:
        fundgap.read_rounds(path, source="pitchbook")
    err = e.value
    assert err.row == 6 and err.column == "Deal Size" and err.value is not None


def test_binary_error_names_row_and_bytes():
    with pytest.raises(fundgap.FileFormatError) as e:
        fundgap.read_rounds(BAD / "synthetic_nul_bytes_inside.csv", source="pitchbook")
    assert e.value.row == 7 and "00" in e.value.value


def test_xml_bomb_is_refused_before_parsing():
    with pytest.raises(fundgap.FileFormatError, match="entity") as e:
        fundgap.read_rounds(BAD / "synthetic_xml_entity_bomb.xlsx", source="pitchbook")
    assert e.value.column == "xl/worksheets/sheet1.xml"


def test_openpyxl_uses_defusedxml():
    from openpyxl import xml as oxml

    assert oxml.DEFUSEDXML is True


def test_the_xlsx_reader_expands_no_entity_even_without_the_pre_check(monkeypatch):
    """Even without fundgap's own pre-check, the XLSX reader (calamine) expands no entity: the
    bomb's cell is not blown up (issue 16: calamine replaced openpyxl as the reader; openpyxl
    still parses through defusedxml wherever it parses)."""
    import fundgap.io._xlsx as x

    monkeypatch.setattr(x, "check_budget", lambda path, sheet_name=None: None)
    try:
        ld = fundgap.read_rounds(BAD / "synthetic_xml_entity_bomb.xlsx", source="pitchbook")
    except fundgap.FundgapError:
        return
    longest = max((len(str(v)) for v in ld.rejects.astype(str).to_numpy().ravel()), default=0)
    longest = max(longest, max((len(str(v)) for v in ld.data.astype(str).to_numpy().ravel()),
                               default=0))
    assert longest < 1000


def test_missing_file():
    with pytest.raises(fundgap.FileFormatError, match="file not found"):
        fundgap.read_rounds(BAD / "no_such_file.csv", source="pitchbook")
