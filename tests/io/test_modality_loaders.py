"""The modality column of each loader, on SYNTHETIC fixtures in the providers' layouts.

The expected modalities are read by hand from the fixture text (EU ATMP definitions).
"""

import pandas as pd

import fundgap
from fundgap.schema import MODALITY_DTYPE

PB = (
    "PitchBook Data, Inc. (synthetic fixture)\nDeals\nDownloaded: 02-Jan-2025\n\n\n\n"
    "Deal ID,Companies,Deal Date,Deal Size,Deal Status,Deal Type,Primary Industry Sector,"
    "Primary Industry Group,Verticals,Keywords,Description,Company Country/Territory/Region\n"
    # row 8: the words are in Keywords and Description
    '1-1T,Alpha Gene,2021-03-15,10,Completed,Early Stage VC,Healthcare,Pharmaceuticals and Biotechnology,'
    'Life Sciences,"gene therapy, AAV","Developer of AAV gene therapies for retinal dystrophies.",Belgium\n'
    # row 9: generic labels only
    "2-2T,Beta Bio,2021-04-01,5,Completed,Seed Round,Healthcare,Pharmaceuticals and Biotechnology,"
    "Life Sciences,,,Netherlands\n"
    # row 10: text without an ATMP
    "3-3T,Gamma Soft,2021-05-01,3,Completed,Seed Round,Information Technology,Software,SaaS,,"
    "Cloud software for accountants.,Denmark\n"
    # row 11: tissue engineered
    "4-4T,Delta Tissue,2022-01-10,8,Completed,Early Stage VC,Healthcare,Pharmaceuticals and Biotechnology,"
    "Life Sciences,,Developer of autologous chondrocyte implants for knee cartilage repair.,Sweden\n"
    # row 12: cell therapy in the Verticals alone
    "5-5T,Eps Cells,2022-02-02,4,Completed,Early Stage VC,Healthcare,Pharmaceuticals and Biotechnology,"
    '"Life Sciences, Cell Therapy",,,Finland\n'
)


def _modalities(ld) -> list[str]:
    assert ld.data["modality"].dtype == MODALITY_DTYPE
    return ld.data["modality"].astype(object).tolist()


def test_pitchbook_reads_verticals_keywords_and_description(tmp_path, write_text):
    p = write_text(tmp_path / "synthetic_pitchbook_modality.csv", PB)
    ld = fundgap.read_rounds(p, source="pitchbook", today="2025-01-01")
    ld.check_accounting()
    assert ld.data["source_row"].tolist() == [8, 9, 10, 11, 12]
    assert _modalities(ld) == ["gene_therapy", "unknown", "other", "tissue_engineered", "cell_therapy"]
    # the text the rule read stays beside it
    assert ld.data.loc[0, "keywords"] == "gene therapy, AAV"
    assert ld.data.loc[3, "description"].startswith("Developer of autologous chondrocyte")
    assert ld.data.loc[4, "verticals"] == "Life Sciences, Cell Therapy"


def test_pitchbook_without_text_columns_is_unknown(tmp_path, write_text):
    text = ("Deal ID,Companies,Deal Date,Deal Size,Deal Status,Deal Type,Company Country/Territory/Region\n"
            "1-1T,Alpha,2021-03-15,10,Completed,Seed Round,Belgium\n")
    ld = fundgap.read_rounds(write_text(tmp_path / "synthetic_pb_plain.csv", text), source="pitchbook",
                             today="2025-01-01")
    assert _modalities(ld) == ["unknown"]


CB = (
    "Transaction Name,Transaction Name URL,Organization Name,Funding Type,Money Raised,"
    "Money Raised Currency,Announced Date,Organization Industries,Organization Location,"
    "Organization Description\n"
    'Series A - Ac,https://www.crunchbase.com/funding_round/ac-a,Ac Therapeutics,Series A,20000000,EUR,'
    '2022-03-01,"Biotechnology, Health Care","Ghent, Oost-Vlaanderen, Belgium, Europe",'
    '"Ac develops allogeneic CAR-T cell therapies for solid tumours."\n'
    'Seed Round - Bc,https://www.crunchbase.com/funding_round/bc-s,Bc Bio,Seed,1000000,EUR,2022-04-01,'
    '"Biotechnology, Health Care","Leiden, Zuid-Holland, Netherlands, Europe",\n'
    'Series B - Cc,https://www.crunchbase.com/funding_round/cc-b,Cc Tools,Series B,9000000,USD,'
    '2022-05-01,"Biotechnology, Life Science","Boston, Massachusetts, United States, North America",'
    '"Cc supplies cell culture media and reagents for cell therapy manufacturing."\n'
    'Grant - Dc,https://www.crunchbase.com/funding_round/dc-g,Dc Cells,Grant,500000,EUR,2022-06-01,'
    'Biotechnology,"Oslo, Oslo, Norway, Europe",'
    '"Dc is developing mesenchymal stromal cells for graft-versus-host disease."\n'
)


def test_crunchbase_reads_industries_and_description(tmp_path, write_text):
    ld = fundgap.read_rounds(write_text(tmp_path / "synthetic_crunchbase_modality.csv", CB),
                             source="crunchbase", today="2025-01-01")
    ld.check_accounting()
    assert _modalities(ld) == ["gene_therapy", "unknown", "other", "cell_therapy"]
    assert ld.data.loc[2, "description"].startswith("Cc supplies")
    assert ld.data.loc[0, "sector_raw"] == "Biotechnology, Health Care"


DR = (
    "NAME,PROFILE URL,HQ COUNTRY,INDUSTRIES,SUB INDUSTRIES,TAGS,EACH ROUND TYPE,EACH ROUND AMOUNT,"
    "EACH ROUND CURRENCY,EACH ROUND DATE\n"
    # two rounds of a gene-editing company: both carry its modality
    "Edit Bio,https://app.dealroom.co/companies/edit_bio,Belgium,health,biotechnology,"
    "gene editing;rare diseases,SEED;SERIES A,2;15,EUR;EUR,jan/2020;mar/2022\n"
    "Skin Co,https://app.dealroom.co/companies/skin_co,Netherlands,health,biotechnology,"
    "tissue engineering;wound care,SEED,1,EUR,feb/2021\n"
    "Plain Bio,https://app.dealroom.co/companies/plain_bio,Denmark,health,biotechnology,,SEED,1,EUR,feb/2021\n"
)


def test_dealroom_reads_tags(tmp_path, write_text):
    ld = fundgap.read_rounds(write_text(tmp_path / "synthetic_dealroom_modality.csv", DR),
                             today="2025-01-01")
    assert ld.source == "dealroom"
    ld.check_accounting()
    assert ld.data["company"].tolist() == ["Edit Bio", "Edit Bio", "Skin Co", "Plain Bio"]
    assert _modalities(ld) == ["gene_therapy", "gene_therapy", "tissue_engineered", "unknown"]
    assert ld.data.loc[2, "tags"] == "tissue engineering;wound care"


def test_generic_reads_sector_and_description(tmp_path, write_text):
    text = ("Startup,When,EUR m,Sector,About\n"
            "A,2021-01-05,3,Biotech,Ex vivo lentiviral gene therapy for sickle cell disease\n"
            "B,2021-02-05,4,Biotech,\n"
            "C,2021-03-05,5,Biotech,Autologous dendritic cell vaccine for glioblastoma\n"
            "D,2021-04-05,6,Fintech,Payments app\n")
    p = write_text(tmp_path / "synthetic_generic_modality.csv", text)
    ld = fundgap.read_rounds(p, source="generic", currency="EUR",
                             columns={"company": "Startup", "date": "When", "amount": "EUR m",
                                      "sector": "Sector", "description": "About"})
    assert _modalities(ld) == ["gene_therapy", "unknown", "cell_therapy", "other"]
    assert ld.data.loc[3, "description"] == "Payments app"
    # without text columns every row is unknown
    ld2 = fundgap.read_rounds(p, source="generic", currency="EUR",
                              columns={"company": "Startup", "date": "When", "amount": "EUR m"})
    assert _modalities(ld2) == ["unknown"] * 4


def test_crunchbase2013_category_gives_unknown_or_other(tmp_path):
    hdr = ("company_permalink,company_name,company_category_code,company_country_code,"
           "company_state_code,company_region,company_city,funding_round_type,funded_at,"
           "funded_month,funded_quarter,funded_year,raised_amount_usd\r")
    rows = ["/company/a,A,biotech,USA,MA,Boston,Boston,series-a,2012-05-01,2012-05,2012-Q2,2012,5000000\r",
            "/company/b,B,software,USA,CA,SF,SF,series-a,2012-05-01,2012-05,2012-Q2,2012,6000000\r",
            "/company/c,C,,USA,CA,SF,SF,series-a,2012-06-01,2012-06,2012-Q2,2012,7000000\r"]
    p = tmp_path / "synthetic_cb2013_modality.csv"
    p.write_bytes((hdr + "".join(rows)).encode("latin-1"))
    ld = fundgap.read_rounds(str(p), source="crunchbase2013", today="2025-01-01")
    # "biotech" cannot tell a modality; "software" is not an ATMP; an empty category is no text
    assert _modalities(ld) == ["unknown", "other", "unknown"]


def test_modality_survives_conform_of_a_loaded_frame(tmp_path, write_text):
    from fundgap.schema import conform, validate_rounds

    ld = fundgap.read_rounds(write_text(tmp_path / "synthetic_pb_conform.csv", PB), source="pitchbook",
                             today="2025-01-01")
    again = conform(pd.DataFrame(ld.data), "rounds")
    validate_rounds(again)
    assert again["modality"].astype(object).tolist() == _modalities(ld)
