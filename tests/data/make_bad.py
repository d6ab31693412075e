"""Generate the corpus of malformed (synthetic) files in tests/data/bad/ and its MANIFEST.csv.

Run from the project root: ``python tests/data/make_bad.py``. Deterministic (seeded).
Every file is synthetic; the manifest says, for each, which loader reads it and what
must happen: ``error`` (a FundgapError subclass naming the file), ``rejects`` (rows in
``.rejects`` whose reason contains the detail) or ``loads`` (read, with the note given).
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

import numpy as np

OUT = Path(__file__).parent / "bad"

PB_BANNER = "PitchBook Data, Inc. (synthetic fixture)\nDeals\nDownloaded: 02-Jan-2025\n\n"
PB_HEADER = ["Deal ID", "Companies", "Deal Date", "Deal Size", "Deal Status", "Deal Type", "Series",
             "Primary Industry Sector", "Primary Industry Group", "Company Country/Territory/Region"]
PB_ROWS = [
    ["1-A", "Alpha Bio", "2021-03-15", "1,250.50", "Completed", "Later Stage VC", "Series C",
     "Healthcare", "Biotechnology", "Germany"],
    ["2-B", "Beta Soft", "2021-06-01", "12.00", "Completed", "Early Stage VC", "",
     "Information Technology", "Software", "United States"],
    ["3-C", "Gamma Tx", "2022-01-10", "", "Completed", "Seed Round", "", "Healthcare",
     "Biotechnology", "United Kingdom"],
]

CB_HEADER = ["Transaction Name", "Transaction Name URL", "Organization Name", "Funding Type",
             "Money Raised", "Money Raised Currency", "Announced Date", "Organization Industries",
             "Organization Location"]

CB13_HEADER = ("company_permalink,company_name,company_category_code,company_country_code,"
               "company_state_code,company_region,company_city,funding_round_type,funded_at,"
               "funded_month,funded_quarter,funded_year,raised_amount_usd")

MANIFEST: list[dict] = []


def csv_text(rows, delimiter=",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def pb(rows=None, header=None, banner=True, delimiter=",") -> str:
    return (PB_BANNER if banner else "") + csv_text([header or PB_HEADER, *(PB_ROWS if rows is None else rows)], delimiter)


def add(name: str, data: bytes | str, *, source: str, kind: str, expect: str, detail: str,
        n_data: int = -1, encoding: str = "utf-8") -> None:
    path = OUT / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    MANIFEST.append({"file": name, "source": source, "kind": kind, "expect": expect,
                     "detail": detail, "n_data": n_data})


FIXED_TIME = (2025, 1, 1, 0, 0, 0)


def stable_zip(members: list[tuple[str, bytes]]) -> bytes:
    """A zip whose bytes do not depend on the clock (fixed member times, fixed core.xml dates)."""
    import re

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-01-01T00:00:00Z", data)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data)
    return buf.getvalue()


def xlsx_bytes(rows) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    return stable_zip([(i.filename, src.read(i.filename)) for i in src.infolist()])


def replace_part(xlsx: bytes, part: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    return stable_zip([(i.filename, content if i.filename == part else src.read(i.filename))
                       for i in src.infolist()])


BOMB = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    rng = np.random.default_rng(20261122)
    E, R, L = "error", "rejects", "loads"

    # --- files that cannot be read as a table
    add("synthetic_empty.csv", b"", source="pitchbook", kind="rounds", expect=E, detail="FileFormatError")
    add("synthetic_blank_lines_only.csv", "\n\n   \n\n", source="pitchbook", kind="rounds", expect=E,
        detail="FileFormatError")
    add("synthetic_binary_garbage.csv", rng.integers(0, 256, 4096, dtype=np.uint8).tobytes(),
        source="pitchbook", kind="rounds", expect=E, detail="FileFormatError")
    add("synthetic_nul_bytes_inside.csv", pb().encode().replace(b"Beta", b"Be\x00\x00ta"),
        source="pitchbook", kind="rounds", expect=E, detail="FileFormatError")
    add("synthetic_renamed_zip.xlsx",
        stable_zip([("readme.txt", b"not a workbook"), ("data/deals.csv", pb().encode())]), source="pitchbook", kind="rounds", expect=E,
        detail="FileFormatError")
    good_xlsx = xlsx_bytes([PB_HEADER, *PB_ROWS])
    add("synthetic_xml_entity_bomb.xlsx", replace_part(good_xlsx, "xl/worksheets/sheet1.xml", BOMB),
        source="pitchbook", kind="rounds", expect=E, detail="FileFormatError")
    add("synthetic_truncated.xlsx", good_xlsx[: len(good_xlsx) // 2], source="pitchbook", kind="rounds",
        expect=E, detail="FileFormatError")
    add("synthetic_legacy_ole2.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), source="pitchbook",
        kind="rounds", expect=E, detail="FileFormatError")
    add("synthetic_gzipped.csv", gzip.compress(pb().encode(), mtime=0), source="pitchbook", kind="rounds",
        expect=E, detail="FileFormatError")
    add("synthetic_pdf_renamed.csv", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", source="pitchbook",
        kind="rounds", expect=E, detail="FileFormatError")
    add("synthetic_html_saved_as.csv", "<html><body><table><tr><td>Deal ID</td></tr></table></body></html>",
        source="pitchbook", kind="rounds", expect=E, detail="FileFormatError")
    add("synthetic_unbalanced_quote.csv", pb().replace("Alpha Bio", '"Alpha Bio'), source="pitchbook",
        kind="rounds", expect=R, detail="field(s), the header has")

    # --- layout problems
    add("synthetic_unknown_layout.csv", "Foo,Bar,Baz\n1,2,3\n", source="", kind="rounds", expect=E,
        detail="UnknownSourceError")
    add("synthetic_only_banner_text.csv", "PitchBook Data\nNothing was exported\n", source="",
        kind="rounds", expect=E, detail="UnknownSourceError")
    add("synthetic_missing_deal_size.csv", pb(rows=[r[:3] + r[4:] for r in PB_ROWS],
                                               header=PB_HEADER[:3] + PB_HEADER[4:]),
        source="pitchbook", kind="rounds", expect=E, detail="MissingColumnError")
    add("synthetic_dealroom_missing_packed.csv", "NAME,HQ COUNTRY,EACH ROUND TYPE,EACH ROUND AMOUNT\n"
        "Acme,Germany,SEED,1\n", source="dealroom", kind="rounds", expect=E, detail="MissingColumnError")
    dup_conflict = [r[:4] + [str(len(r[1]))] + r[4:] for r in PB_ROWS]
    add("synthetic_duplicated_header_conflict.csv",
        pb(rows=dup_conflict, header=PB_HEADER[:4] + ["Deal Size"] + PB_HEADER[4:]),
        source="pitchbook", kind="rounds", expect=E, detail="FileFormatError")
    dup_same = [r[:4] + [r[3]] + r[4:] for r in PB_ROWS]
    add("synthetic_duplicated_header_same.csv",
        pb(rows=dup_same, header=PB_HEADER[:4] + ["Deal Size"] + PB_HEADER[4:]),
        source="pitchbook", kind="rounds", expect=L, detail="duplicated header", n_data=3)
    add("synthetic_header_only.csv", pb(rows=[]), source="pitchbook", kind="rounds", expect=L,
        detail="", n_data=0)

    # --- encodings, line endings, delimiters (all load)
    latin = pb(rows=[["1-A", "Société Générale Bio", *PB_ROWS[0][2:]], *PB_ROWS[1:]])
    add("synthetic_cp1252.csv", latin, encoding="cp1252", source="pitchbook", kind="rounds", expect=L,
        detail="cp1252", n_data=3)
    add("synthetic_utf8_bom.csv", "\ufeff" + pb(banner=False), source="pitchbook", kind="rounds",
        expect=L, detail="", n_data=3)
    add("synthetic_utf16_tab.csv", "\ufeff" + pb(delimiter="\t"), encoding="utf-16-le", source="pitchbook",
        kind="rounds", expect=L, detail="UTF-16", n_data=3)
    add("synthetic_cr_only.csv", pb().replace("\n", "\r"), source="pitchbook", kind="rounds", expect=L,
        detail="CR-only", n_data=3)
    add("synthetic_semicolon.csv", pb(delimiter=";"), source="pitchbook", kind="rounds", expect=L,
        detail="delimiter sniffed: ';'", n_data=3)
    add("synthetic_pipe.csv", pb(delimiter="|"), source="pitchbook", kind="rounds", expect=L,
        detail="delimiter sniffed: '|'", n_data=3)
    add("synthetic_blank_rows_between.csv", pb().replace("\n2-B", "\n,,,,,,,,,\n\n2-B"),
        source="pitchbook", kind="rounds", expect=L, detail="empty row(s) skipped", n_data=3)
    add("synthetic_trailing_empty_columns.csv",
        pb().replace("\n", "," * 30 + "\n").replace(PB_BANNER.replace("\n", "," * 30 + "\n"), PB_BANNER),
        source="pitchbook", kind="rounds", expect=L, detail="column(s) without a header", n_data=3)

    # --- row problems: loaded, with the bad rows in .rejects
    text = pb()
    add("synthetic_truncated.csv", text[: text.rindex("Seed Round") + 4], source="pitchbook",
        kind="rounds", expect=R, detail="field(s), the header has", n_data=2)
    add("synthetic_extra_fields_row.csv", pb().replace("United States", "United States,extra,cells"),
        source="pitchbook", kind="rounds", expect=R, detail="field(s), the header has", n_data=2)
    rows = [r[:] for r in PB_ROWS]
    rows[1][2] = "2099-06-01"
    add("synthetic_future_dates.csv", pb(rows=rows), source="pitchbook", kind="rounds", expect=R,
        detail="date in the future", n_data=2)
    rows = [r[:] for r in PB_ROWS]
    rows[0][2], rows[1][2] = "31/02/2021", "not a date"
    add("synthetic_bad_dates.csv", pb(rows=rows), source="pitchbook", kind="rounds", expect=R,
        detail="unparseable date", n_data=1)
    rows = [r[:] for r in PB_ROWS]
    rows[1][2] = ""
    add("synthetic_missing_dates.csv", pb(rows=rows), source="pitchbook", kind="rounds", expect=R,
        detail="missing date", n_data=2)
    rows = [r[:] for r in PB_ROWS]
    rows[0][3], rows[1][3] = "-1,250.50", "12..0abc"
    add("synthetic_negative_and_garbage_amounts.csv", pb(rows=rows), source="pitchbook", kind="rounds",
        expect=R, detail="amount", n_data=1)
    rows = [r[:] for r in PB_ROWS]
    rows[0][3] = "1,250,500,000"  # raw dollars in a USD-millions column
    add("synthetic_wrong_unit_pitchbook.csv", pb(rows=rows), source="pitchbook", kind="rounds", expect=R,
        detail="absurd amount", n_data=2)
    add("synthetic_wrong_unit_crunchbase2013.csv", "\r".join([
        CB13_HEADER,
        "/company/a,Alpha,biotech,USA,MA,Boston,Boston,series-a,2012-01-01,2012-01,2012-Q1,2012,5",
        "/company/b,Beta,biotech,USA,MA,Boston,Boston,series-b,2012-02-01,2012-02,2012-Q1,2012,7000000",
    ]) + "\r", source="crunchbase2013", kind="rounds", expect=R, detail="implausibly small amount", n_data=1)
    rows = [r[:] for r in PB_ROWS]
    rows[2][4] = "Announced/In Progress"
    add("synthetic_status_not_completed.csv", pb(rows=rows), source="pitchbook", kind="rounds", expect=R,
        detail="deal status not completed", n_data=2)
    add("synthetic_exact_duplicates.csv", pb(rows=PB_ROWS + [PB_ROWS[0], PB_ROWS[0]]), source="pitchbook",
        kind="rounds", expect=R, detail="duplicate", n_data=3)
    rows = [r[:] for r in PB_ROWS]
    rows[1][9] = "Narnia"
    add("synthetic_unknown_country.csv", pb(rows=rows), source="pitchbook", kind="rounds", expect=R,
        detail="unknown country", n_data=2)
    add("synthetic_unknown_currency.csv", csv_text([CB_HEADER,
        ["Series A - X", "https://cb/x", "X Bio", "Series A", "5000000", "XYZ", "2022-01-01",
         "Biotechnology", "Lyon, Auvergne-Rhone-Alpes, France, Europe"],
        ["Seed - Y", "https://cb/y", "Y Bio", "Seed", "1000000", "EUR", "2022-02-01",
         "Biotechnology", "Lyon, Auvergne-Rhone-Alpes, France, Europe"]]),
        source="crunchbase", kind="rounds", expect=R, detail="unknown currency", n_data=1)
    add("synthetic_dealroom_misaligned_packed.csv",
        "NAME,HQ COUNTRY,INDUSTRIES,EACH ROUND TYPE,EACH ROUND AMOUNT,EACH ROUND CURRENCY,EACH ROUND DATE\n"
        "Acme,Germany,health,SEED;SERIES A,1;2;3,EUR;EUR,jan/2020;jan/2021\n"
        "Beta,France,health,SEED,1,EUR,feb/2020\n",
        source="dealroom", kind="rounds", expect=R, detail="different lengths", n_data=1)
    add("synthetic_cb_funds_bad_currency.csv",
        '"id", "fund_id", "object_id", "name", "funded_at", "raised_amount", "raised_currency_code"\n'
        "1,1,'f:1','Good Fund I','2010-01-01',100000000,'USD'\n"
        "2,2,'f:2','Odd Fund II','2011-01-01',50000000,'ZZZ'\n",
        source="crunchbase2013_funds", kind="funds", expect=R, detail="unknown currency", n_data=1)
    add("synthetic_preqin_bad_vintage.csv",
        "FUND ID,NAME,FUND MANAGER,VINTAGE / INCEPTION YEAR,FUND SIZE (USD MN),FUND CURRENCY\n"
        "1,Fund A,M,20x9,100,USD\n2,Fund B,M,2018,abc,USD\n3,Fund C,M,2019,50,USD\n",
        source="preqin", kind="funds", expect=R, detail="unparseable", n_data=1)

    with open(OUT / "MANIFEST.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(MANIFEST[0]))
        w.writeheader()
        w.writerows(MANIFEST)
    print(f"wrote {len(MANIFEST)} files to {OUT}")


if __name__ == "__main__":
    main()
