"""The shared table reader: encodings, line ends, delimiters, header finding, row numbers."""

import datetime as dt

import pytest

from fundgap.errors import FileFormatError
from fundgap.io._read import peek_rows, read_table


def test_row_numbers_with_quoted_newline_blank_and_empty_rows(tmp_path):
    p = tmp_path / "synthetic.csv"
    p.write_bytes(b'banner\n\na,b\n1,"x\ny"\n\n,\n2,z\n')
    t = read_table(p)
    assert t.header_row == 3
    assert t.frame["a"].tolist() == ["1", "2"]
    assert t.frame["b"].tolist() == ["x\ny", "z"]
    # rows: 1 banner, 2 blank, 3 header, 4 quoted two-line record, 5 blank, 6 empty, 7 data
    assert t.source_row.tolist() == [4, 7]
    assert t.n_empty_rows == 2 and t.n_input == 2


@pytest.mark.parametrize("encoding,newline", [("utf-8", "\n"), ("utf-8-sig", "\r\n"),
                                              ("cp1252", "\r"), ("latin-1", "\n"),
                                              ("utf-16", "\r\n")])
def test_encodings_and_line_endings_give_the_same_table(tmp_path, encoding, newline):
    text = "Title line\nName;Amount;City\nZürich AG;1,5;Genève\nÅse;2;Köln\n"
    p = tmp_path / "synthetic.csv"
    p.write_bytes(text.replace("\n", newline).encode(encoding))
    t = read_table(p)
    assert t.frame["Name"].tolist() == ["Zürich AG", "Åse"]
    assert t.frame["City"].tolist() == ["Genève", "Köln"]
    assert t.frame["Amount"].tolist() == ["1,5", "2"]
    assert t.source_row.tolist() == [3, 4]


def test_explicit_encoding_that_fails_names_row(tmp_path):
    p = tmp_path / "synthetic.csv"
    p.write_bytes("a,b\nx,y\nCafé,1\n".encode("latin-1"))
    with pytest.raises(FileFormatError) as e:
        read_table(p, encoding="utf-8")
    assert e.value.row == 3


def test_duplicated_and_unnamed_headers(tmp_path):
    p = tmp_path / "synthetic.csv"
    p.write_text("a,b,a,,\n1,2,3,,\n4,5,6,x,\n")
    t = read_table(p)
    assert list(t.frame.columns) == ["a", "b", "a.1", "Unnamed: 3"]
    assert t.duplicated == {"a": ["a.1"]}
    assert any("empty column" in n for n in t.notes)


def test_truncated_and_long_rows_are_kept_as_bad_rows(tmp_path):
    p = tmp_path / "synthetic.csv"
    p.write_text("a,b,c\n1,2,3\n4,5,6,7\n8,9\n10,11,12\n")
    t = read_table(p)
    assert t.frame["a"].tolist() == ["1", "10"]
    assert t.source_row.tolist() == [2, 5]
    assert t.bad_rows["source_row"].tolist() == [3, 4]
    assert t.n_input == 4


def test_xlsx_values_become_text(tmp_path, write_xlsx):
    p = write_xlsx(tmp_path / "synthetic.xlsx",
                   [["Exported"], ["Name", "Size", "When", "N"],
                    ["A", 12.5, dt.datetime(2021, 3, 1), 3], ["B", None, None, 4.0]])
    t = read_table(p)
    assert t.header_row == 2
    assert t.frame["Size"].tolist()[0] == "12.5"
    assert t.frame["When"].tolist()[0] == "2021-03-01"
    assert t.frame["N"].tolist() == ["3", "4"]
    assert t.source_row.tolist() == [3, 4]


def test_sheet_name(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["x"])
    ws = wb.create_sheet("Preqin_Export")
    ws.append(["NAME", "SIZE"])
    ws.append(["F", 1])
    p = tmp_path / "synthetic.xlsx"
    wb.save(p)
    assert read_table(p, sheet_name="Preqin_Export").frame["NAME"].tolist() == ["F"]
    with pytest.raises(FileFormatError, match="no such sheet"):
        read_table(p, sheet_name="Nope")


def test_mysql_dump_quoting(tmp_path):
    p = tmp_path / "synthetic.csv"
    p.write_text('"id", "name"\n1,\'O\\\'Brien Fund\'\n2,NULL\n')
    t = read_table(p, quotechar="'", escapechar="\\")
    assert list(t.frame.columns) == ["id", "name"]
    assert t.frame["name"].tolist() == ["O'Brien Fund", "NULL"]


def test_peek_rows(tmp_path):
    p = tmp_path / "synthetic.csv"
    p.write_text("t\n\nA|B\n1|2\n")
    assert peek_rows(p)[2] == ["A", "B"]


def test_utf8_fast_path_falls_back_when_bad_bytes_come_late(tmp_path):
    # the first MB is valid UTF-8, a cp1252 byte appears after it
    rows = "".join(f"name{i},{i}\n" for i in range(120_000))
    p = tmp_path / "synthetic.csv"
    p.write_bytes(("n,v\n" + rows).encode() + "Café,1\n".encode("cp1252"))
    t = read_table(p)
    assert t.frame["n"].iloc[-1] == "Café"
    assert any("cp1252" in n for n in t.notes)
    assert t.source_row[-1] == 120_002


def test_progress_reader_reads_everything():
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from fundgap.io._csv import read_with_progress as _read_with_progress

    body = b"".join(b"%d,x\n" % i for i in range(20_000))
    t = _read_with_progress(body, pacsv.ReadOptions(column_names=["a", "b"], block_size=1 << 14),
                            pacsv.ParseOptions(),
                            pacsv.ConvertOptions(column_types={"a": pa.string(), "b": pa.string()}))
    assert t.num_rows == 20_000 and t.column("a")[-1].as_py() == "19999"


def test_columns_reads_only_the_wanted_columns_csv_and_xlsx(tmp_path, write_xlsx):
    """``columns=``: the other columns are skipped and listed; a row empty in every column
    read is an empty row; the copy of a wanted column under a duplicated header is read."""
    text = ("Name,Note,Size,Name,Extra\n"
            "A,x,1,A,e1\n"
            ",only a note,,,e2\n"      # empty in Name/Size/Name.1: an empty row when not read
            "C,z,3,C,e3\n")
    p = tmp_path / "synthetic_subset.csv"
    p.write_text(text, encoding="utf-8")
    x = tmp_path / "synthetic_subset.xlsx"
    write_xlsx(x, [r.split(",") for r in text.strip().split("\n")])
    for path in (p, x):
        t = read_table(path, columns=lambda names: ["Name", "Size"])
        assert t.columns == ["Name", "Size", "Name.1"]
        assert t.skipped == ["Note", "Extra"]
        assert t.header == ["Name", "Size", "Name.1", "Note", "Extra"]
        assert t.frame["Size"].tolist() == ["1", "3"]
        assert t.source_row.tolist() == [2, 4] and t.n_empty_rows == 1
        assert t.duplicated == {"Name": ["Name.1"]}
        assert any("3 of 5 columns read; not used by this loader: ['Note', 'Extra']" in n
                   for n in t.notes)
        assert any("1 empty row(s) in every column read skipped" in n for n in t.notes)
        full = read_table(path)
        assert full.skipped == [] and full.n_empty_rows == 0 and len(full.frame) == 3


def test_columns_wanting_every_column_reads_as_default(tmp_path):
    p = tmp_path / "synthetic_all.csv"
    p.write_text("A,B\n1,2\n", encoding="utf-8")
    t = read_table(p, columns=["B", "A"])
    assert t.columns == ["A", "B"] and t.skipped == []
    assert not any("columns read" in n for n in t.notes)
