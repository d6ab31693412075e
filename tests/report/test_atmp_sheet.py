"""An export whose text names advanced therapies gets an ATMP sheet; others do not."""

from __future__ import annotations

import openpyxl
import pandas as pd

from fundgap.report.pipeline import write_report

TEXTS = ["Autologous CAR-T cell therapy for lymphoma",    # gene therapy (modified cells)
         "Allogeneic mesenchymal stem cell therapy",       # cell therapy
         "Small-molecule kinase inhibitors for cancer"]    # other


def test_atmp_sheet_counts_rounds_by_modality(tmp_path):
    n = 60  # SYNTHETIC PitchBook-layout export, 20 rounds of each text, EU and US alternating
    pd.DataFrame({
        "Deal ID": [f"S{i}" for i in range(n)], "Companies": [f"Synthetic Bio {i}" for i in range(n)],
        "Deal Date": "2022-05-01", "Deal Size": [10 + i % 7 for i in range(n)],
        "Deal Status": "Completed", "Deal Type": "Early Stage VC", "Series": "A",
        "Company Country/Territory/Region": ["Germany" if i % 2 else "United States"
                                             for i in range(n)],
        "Primary Industry Group": "Pharmaceuticals and Biotechnology",
        "Description": [TEXTS[i % 3] for i in range(n)],
    }).to_csv(tmp_path / "synthetic_deals.csv", index=False)
    res = write_report(tmp_path / "out", rounds=tmp_path / "synthetic_deals.csv", n_sims=0,
                       figures=False, strict=True)
    ws = openpyxl.load_workbook(res.workbook)["ATMP modalities"]
    rows = [r for r in ws.iter_rows(values_only=True) if r[0] in ("EU-27", "United States")]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r[1]] = counts.get(r[1], 0) + int(r[3])
    assert counts == {"Gene therapy": 20, "Cell therapy": 20, "Other": 20}
    f = res.findings.get("round_size.atmp.count")
    assert f["value"] == 40 / 60


def test_no_atmp_sheet_without_text(tmp_path):
    res = write_report(tmp_path / "out", n_sims=0, figures=False, strict=True)
    assert "ATMP modalities" not in openpyxl.load_workbook(res.workbook).sheetnames
    st = {s.key: s.status for s in res.sections}
    assert st["atmp"] == "unavailable"
