"""Property tests: for any generated export, every input row ends in .data or .rejects."""

import csv
import io
import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fundgap

ALPHABET = "abcXYZ019 ,;|\t\"'-./$€éüß"
text = st.text(alphabet=ALPHABET, max_size=10)
dates = st.one_of(text, st.sampled_from(["2021-03-15", "15-Mar-2021", "2099-01-01", "", "1960-01-01",
                                         "03/04/2020", "jan/2024"]))
amounts = st.one_of(text, st.sampled_from(["1,250.50", "12", "", "-3", "250,000", "n/a", "$12M",
                                           "1.2bn", "0.0000001", "abc"]))
statuses = st.sampled_from(["Completed", "Announced/In Progress", "Failed/Cancelled", "", "completed"])
countries = st.sampled_from(["Germany", "United States", "China", "Narnia", "", "UK", "Hong Kong"])
types = st.sampled_from(["Seed Round", "Early Stage VC", "Later Stage VC", "Grant", "Debt - General",
                         "Something Else", ""])
series = st.sampled_from(["", "Series A", "Series B1", "Series D", "Seed"])

row = st.tuples(text, dates, amounts, statuses, types, series, countries)

HEADER = ["Deal ID", "Companies", "Deal Date", "Deal Size", "Deal Status", "Deal Type", "Series",
          "Company Country/Territory/Region"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, max_size=25), n_banner=st.integers(0, 6),
       delimiter=st.sampled_from([",", ";", "\t", "|"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
       newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_pitchbook_rows_accounted_for(rows, n_banner, delimiter, encoding, newline):
    buf = io.StringIO()
    for i in range(n_banner):
        buf.write(f"Synthetic banner line {i}\n")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(HEADER)
    for i, r in enumerate(rows):
        w.writerow([f"id-{i}", *r])
    data = buf.getvalue().replace("\n", newline).encode(encoding)
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "synthetic_pitchbook_property.csv")
        with open(p, "wb") as f:
            f.write(data)
        ld = fundgap.read_rounds(p, source="pitchbook", today="2025-01-01")
    assert ld.n_input == len(rows)
    assert len(ld.data) + len(ld.rejects) == len(rows)
    seen = sorted(ld.data["source_row"].tolist() + ld.rejects["source_row"].tolist())
    assert seen == [n_banner + 2 + i for i in range(len(rows))]
    assert ld.rejects["reason"].notna().all()
    fundgap.validate_rounds(ld.data)


packed = st.lists(st.tuples(st.sampled_from(["SEED", "SERIES A", "EARLY VC", "GRANT", "ODD"]),
                            st.sampled_from(["1.5", "n/a", "30", "-2", "x"]),
                            st.sampled_from(["EUR", "USD", "XYZ", ""]),
                            st.sampled_from(["jan/2019", "mar/2021", "2099", "bad"])), max_size=4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(companies=st.lists(st.tuples(text, packed, st.booleans()), max_size=12))
def test_dealroom_rounds_accounted_for(companies):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["NAME", "HQ COUNTRY", "EACH ROUND TYPE", "EACH ROUND AMOUNT", "EACH ROUND CURRENCY",
                "EACH ROUND DATE"])
    expected = 0
    for i, (name, rounds, break_it) in enumerate(companies):
        cols = [";".join(r[k] for r in rounds) for k in range(4)]
        if break_it and len(rounds) > 1:
            cols[1] = cols[1] + ";9"  # one amount too many
            expected += 1
        else:
            expected += max(len(rounds), 1)
        if not rounds:
            cols = ["", "", "", ""]
        w.writerow([f"{name} {i}", "Germany", *cols])
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "synthetic_dealroom_property.csv")
        with open(p, "w", encoding="utf-8") as f:
            f.write(buf.getvalue())
        ld = fundgap.read_rounds(p, source="dealroom", today="2025-01-01")
    assert ld.n_input == expected
    assert len(ld.data) + len(ld.rejects) == expected


fund_rows = st.tuples(text, st.one_of(text, st.sampled_from(["100", "1,200.5", "", "-5", "9e9", "abc"])),
                      st.sampled_from(["USD", "EUR", "GBP", "XYZ", "", "usd"]),
                      st.sampled_from(["2019", "2099", "", "20x9", "2015.0"]),
                      st.sampled_from(["Venture", "Buyout", "Growth", "", "Real Estate"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(fund_rows, max_size=20), as_xlsx=st.booleans())
def test_generic_funds_rows_accounted_for(rows, as_xlsx):
    header = ["Fund", "Size", "Cur", "Vintage", "Type"]
    with tempfile.TemporaryDirectory() as d:
        if as_xlsx:
            import openpyxl

            wb = openpyxl.Workbook()
            wb.active.append(header)
            for i, r in enumerate(rows):
                wb.active.append([f"F{i} {r[0]}", *r[1:]])
            p = os.path.join(d, "synthetic_funds_property.xlsx")
            wb.save(p)
        else:
            p = os.path.join(d, "synthetic_funds_property.csv")
            with open(p, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(header)
                for i, r in enumerate(rows):
                    w.writerow([f"F{i} {r[0]}", *r[1:]])
        ld = fundgap.read_funds(p, source="generic", today="2025-01-01",
                                columns={"fund_name": "Fund", "size": "Size", "currency": "Cur",
                                         "vintage": "Vintage", "fund_type": "Type"})
    assert ld.n_input == len(rows)
    assert len(ld.data) + len(ld.rejects) == len(rows)
    assert sorted(ld.data["source_row"].tolist() + ld.rejects["source_row"].tolist()) == [
        i + 2 for i in range(len(rows))]
    fundgap.validate_funds(ld.data)
