"""Provenance records of the datasets fundgap ships (read by datasets/build.py).

Each record is written here by hand from the SOURCE.txt / README.md / LICENSE.txt files
kept beside the raw data in ``datasets/raw/``; build.py adds rows, coverage years and the
sha256 of every shipped file, and writes ``fundgap/data/datasets.json``.
"""

from __future__ import annotations

COPIED = "; copied as published into datasets/raw/ on 2026-11-22"


def retrieved(upstream: str) -> str:
    """Retrieval statement: when the publisher's data were taken, and when fundgap copied them."""
    return upstream + COPIED

SERIES_CODEBOOK = {
    "source": "publisher code of the statistic ('oecd', 'ncses')",
    "table": "table or dataflow id (e.g. 'DSD_VC@DF_VC_INV', 'SINV-31')",
    "region": "fundgap region: EU27 (fixed 2020 composition), UK, OTHER_EUROPE, US, CN (incl. Hong Kong "
              "where the source says so), ROW, or the aggregates EUROPE, EU28, ASIA, WORLD",
    "country": "ISO 3166 alpha-2 for a country row; empty for an aggregate",
    "sector": "'all', 'biotech', 'health_care', ... (sector of the investee)",
    "stage_group": "'all' (total), 'seed', 'early', 'later'",
    "measure": "what is measured: 'vc_invested' (by investee location); "
               "'vc_invested_by_investor_hq' (SINV-98, SINV-99); '<measure>:<path>' for a source sub-area "
               "without a fundgap code (never sum these with the others)",
    "year": "calendar year",
    "value": "the number, in 'unit'",
    "unit": "'USD_M' = millions of US dollars, current prices, exchange-rate converted; "
            "'PCT_GDP' = percent of GDP",
    "price_base": "'current' (nominal); deflate with fundgap.normalise.deflate",
}

RECORDS: list[dict] = [
    {
        "name": "oecd_vc",
        "title": "OECD venture capital investments (market statistics) by country and stage, USD mn and % of GDP, "
                 "with computed EU-27 aggregates",
        "kind": "series",
        "coverage": "2007-2025 for 25 of the EU-27 (no Cyprus, Malta), UK, US (from 2006), Norway, Switzerland, "
                    "Canada, Israel, Australia, Japan, Korea (from 2002), New Zealand, South Africa, Russia; "
                    "NO China; all sectors; stages total / seed / start-up and other early / later",
        "source": "OECD",
        "publisher": "OECD, Entrepreneurship Financing Database (statistics compiled from national VC "
                     "associations, e.g. Invest Europe, NVCA/PitchBook for the US)",
        "origin": "OECD SDMX dataflow OECD.SDD.TPS,DSD_VC@DF_VC_INV,1.0 (accessed 2026-06-24), "
                  "https://sdmx.oecd.org/public/rest/data/OECD.SDD.TPS,DSD_VC@DF_VC_INV,1.0/all?format=csvfilewithlabels ; "
                  "file copied from https://github.com/felix-aidala/Cardinal40-Technical data/raw/oecd_vc_gdp.csv at "
                  "commit 870959897f0b4d7f0e6971b2c2721c2be8a26dc5 (file last changed in "
                  "f6b8ffb29163109c20a7b7645cefc871cd1fc6ad); raw copy in datasets/raw/oecd-vc-investments/",
        "retrieved": retrieved("OECD SDMX download of 2026-06-24 (comment line of the file)"),
        "licence": "OECD Terms and Conditions (1 July 2024): extracting, copying, adapting and redistributing "
                   "data allowed with attribution; OECD content since 2024-07-01 defaults to CC BY 4.0. "
                   "The intermediary repository has no licence of its own.",
        "citation": "OECD (2026), \"Venture capital investments (market statistics)\", OECD Entrepreneurship "
                    "Financing Database, DSD_VC@DF_VC_INV (accessed 2026-06-24). EU-27 aggregates computed by "
                    "fundgap from the member rows.",
        "caveats": [
            "Fund-reported market statistics (investment by VC funds in companies located in the country), "
            "not deal-level data: far below PitchBook/NCSES deal values for Europe (EU-27/US about 1/14 here in "
            "2025 against about 1/4 in NCSES SINV-31 for 2022). Never blend with ncses_vc.",
            "The file's own comment says 'Total stage only' but it holds all four stages.",
            "340 values are 0. In every country-year with all four stages, seed + early + later equals the "
            "total exactly, zeros included, and the older OECD.Stat extract simply omits these rows (e.g. "
            "Australia seed 2010-2011); 0 is kept as 'no investment recorded'. The 8 country-years whose total "
            "is 0 (flag 'total_zero': HR 2009, GR 2012, LV 2009, LT 2008, SK 2008, 2009, 2011, 2012) cannot be "
            "told apart from non-reporting; exclude them if that matters.",
            "EU-27 aggregates (rows with region EU27 and no country, derived='sum_of_members') cover the 25 "
            "members present (Cyprus and Malta are missing in every year); 'members' lists them. Their % of "
            "GDP is sum(VC) / sum(GDP of the same 25 members) x 100 with World Bank GDP in current USD "
            "(NY.GDP.MKTP.CD), i.e. the GDP-weighted mean of the member shares. This is the OECD's own basis: "
            "for the members, the file's % of GDP equals USD / World Bank GDP (median relative difference "
            "below 1e-9; at most 4%, Croatia).",
            "Japan and Korea have totals only; Korea's figures start in 2002, the US in 2006, most others 2007.",
            "USD values are converted at current exchange rates by the OECD: movements of the euro move EU "
            "figures.",
        ],
        "codebook": {
            **SERIES_CODEBOOK,
            "derived": "'no' = OECD value; 'sum_of_members' = computed EU-27 USD total; "
                       "'sum_of_members_over_members_gdp' = computed EU-27 % of GDP",
            "members": "ISO2 codes of the members summed (EU-27 rows)",
            "n_members": "number of members summed (EU-27 rows; 25)",
            "flag": "'total_zero' = country-year whose total and stages are all 0",
            "stage_raw": "the OECD stage label",
            "area_raw": "the OECD country label",
            "source_row": "line of the row in the raw file (comment lines counted)",
        },
    },
    {
        "name": "ncses_vc",
        "title": "NCSES Science & Engineering Indicators venture-capital tables (PitchBook-based): SINV-31, "
                 "S8-62, SKTI-24 (biotechnology), SINV-98 (by investor HQ), SINV-99 (US and China by sector)",
        "kind": "series",
        "coverage": "SINV-31 2003-2022 (US, EU-27, UK, China incl. HK, ...); S8-62 1999-2018 (EU = 28 members "
                    "incl. UK); SKTI-24 2000-2020 biotechnology (US, China, Europe, ...); SINV-98 2000-2020 by "
                    "investor HQ; SINV-99 2000-2020 US and China by industry sector (incl. health care)",
        "source": "NCSES / PitchBook",
        "publisher": "U.S. National Science Foundation, National Center for Science and Engineering Statistics "
                     "(NCSES), Science and Engineering Indicators, supplementary tables; data: PitchBook",
        "origin": "NCSES tables SINV-31 (modal id 10578; PitchBook accessed September 2023), S8-62 (1964; "
                  "accessed 21 September 2019), SKTI-24 (6211; accessed 27 September 2021), SINV-98 (5913; "
                  "accessed 12 September 2021), SINV-99 (5911; accessed 12 September 2021); machine-readable "
                  "transcription github.com/bq-org/ncses_stats_explorer_placeholder "
                  "output/tables/{10578,1964,6211,5913,5911}/data.csv at commit 1f879ab; raw copies in "
                  "datasets/raw/ncses/",
        "retrieved": retrieved("transcription at commit 1f879ab; PitchBook access dates 2019-09-21 (S8-62), 2021-09-12 (SINV-98, SINV-99), 2021-09-27 (SKTI-24), 2023-09 (SINV-31)"),
        "licence": "U.S. federal government statistical tables: public domain (cite NCSES and the table "
                   "number). Underlying PitchBook data are proprietary; only the published aggregates are shipped.",
        "citation": "National Center for Science and Engineering Statistics (NCSES), Science and Engineering "
                    "Indicators, Tables SINV-31, S8-62, SKTI-24, SINV-98 and SINV-99 (data: PitchBook).",
        "caveats": [
            "Deal-based (PitchBook) investment by location of the company's headquarters (SINV-98: of the "
            "INVESTOR's headquarters); includes seed, early and late-stage rounds. Not comparable with the "
            "OECD fund-reported statistics: show both, never blend.",
            "China includes Hong Kong (region CN, country CN) as NCSES states.",
            "S8-62's 'EU' is the 28-member EU including the UK (region EU28); the UK is also listed inside it.",
            "SINV-99 (by sector) is attributed to the INVESTOR's headquarters like SINV-98: its US and China "
            "totals equal SINV-98's rows in every year (to rounding) and its title reads 'investment by "
            "firms headquartered in'; measure 'vc_invested_by_investor_hq'. Sectors are the investee's "
            "primary industry (PitchBook).",
            "The tables were transcribed from NCSES by a third party (commit 1f879ab); values were "
            "checked against one another (SINV-99 totals = SINV-98 rows; SINV-99 sectors add up to the "
            "totals) but not against the NCSES originals: check values against the NCSES table before "
            "citing them.",
            "Each table was built from a different PitchBook extract (2019, 2021, 2023): the same region and "
            "year differ between tables because PitchBook revises its data.",
            "'NA' cells (not available) are not shipped; they are rejects of the loader (fundgap.read_series("
            "..., source='ncses')).",
            "Sub-areas without a fundgap region code (Middle East, Oceania, Rest of Asia, NCSES's own 'ROW', "
            "North America, EU 'All others' ...) carry measure '<measure>:<path>'.",
        ],
        "codebook": {
            **SERIES_CODEBOOK,
            "path": "the NCSES row path, footnote markers removed (e.g. 'Total -> EU-27')",
            "footnote": "footnote markers of the row label (e.g. 'b')",
            "flag": "NCSES special value letter after a number ('i' imputed, 'r' revised), if any",
            "source_row": "line of the row in the raw table (header = 1)",
            "source_column": "the raw year column (e.g. 'field_2022')",
        },
    },
    {
        "name": "crunchbase2013_us_rounds",
        "title": "CrunchBase export of October 2013: funding rounds of US companies (incl. 3,889 biotech rounds)",
        "kind": "rounds",
        "coverage": "US companies only; rounds dated 1960-01-01 (placeholder) .. 2013-10-01; all sectors, "
                    "biotech flagged",
        "source": "CrunchBase (Oct 2013)",
        "publisher": "CrunchBase (user-contributed database), export of October 2013",
        "origin": "https://github.com/datahoarder/crunchbase-october-2013 (Dan Nguyen) at commit "
                  "9303ebdc38fd6dbaa597e12a81edeec0246a61e2, files crunchbase-rounds.csv and "
                  "crunchbase-companies.csv; raw copies in datasets/raw/crunchbase-oct2013-us/",
        "retrieved": retrieved("CrunchBase export of October 2013, repository commit of 2015-09-10"),
        "licence": "CC-BY (CrunchBase Licensing Policy prior to 12 December 2013, reproduced in LICENSE.txt, "
                   "shipped beside the data): attribution = link back to https://www.crunchbase.com",
        "citation": "CrunchBase data export, October 2013 (CC-BY), via github.com/datahoarder/crunchbase-october-2013; "
                    "https://www.crunchbase.com",
        "caveats": [
            "US companies only: no EU or China comparison is possible from this file.",
            "raised_amount_usd only (CrunchBase's own USD conversion; original currency not kept).",
            "Known traps handled by the loader 'crunchbase2013': latin-1, CR-only line endings, ~1,000 empty "
            "trailing columns, Excel artefacts such as '#NAME?', exact duplicate rows (rejected with a pointer), "
            "1960-01-01 placeholder dates, coarse stage labels ('venture' -> venture_unknown, 'series-c+' -> "
            "series_c_plus, 'other').",
            "User-contributed, self-reported, incomplete coverage (smaller rounds and undisclosed amounts missing).",
        ],
        "codebook": {
            "(canonical)": "fundgap rounds schema (fundgap.schema.ROUND_COLUMNS): round_id, company, country, "
                           "region, stage, stage_group, stage_raw, date, year, amount, currency, amount_usd, "
                           "amount_eur, is_biotech, modality, sector_raw, source, source_row; money in "
                           "millions",
            "stage_raw": "CrunchBase funding_round_type",
            "sector_raw": "CrunchBase company_category_code (biotech = 'biotech')",
            "modality": "read from company_category_code alone: 'biotech', 'medical' and 'health' cannot "
                        "tell a modality (unknown), other categories are not ATMPs (other); no row is an ATMP "
                        "class, as the 2013 export has no descriptions",
            "company_permalink": "CrunchBase company path (joins crunchbase2013_us_companies.permalink)",
            "company_state_code": "US state of the company",
            "company_city": "city of the company",
        },
    },
    {
        "name": "crunchbase2013_us_companies",
        "title": "CrunchBase export of October 2013: US companies (companion of crunchbase2013_us_rounds)",
        "kind": "table",
        "coverage": "17,727 US companies; founded/first-funded dates to 2013",
        "source": "CrunchBase (Oct 2013)",
        "publisher": "CrunchBase (user-contributed database), export of October 2013",
        "origin": "https://github.com/datahoarder/crunchbase-october-2013 at commit "
                  "9303ebdc38fd6dbaa597e12a81edeec0246a61e2, crunchbase-companies.csv (shipped as published)",
        "retrieved": retrieved("CrunchBase export of October 2013, repository commit of 2015-09-10"),
        "licence": "CC-BY (CrunchBase Licensing Policy prior to 12 December 2013; LICENSE.txt shipped)",
        "citation": "CrunchBase data export, October 2013 (CC-BY), via github.com/datahoarder/crunchbase-october-2013; "
                    "https://www.crunchbase.com",
        "caveats": [
            "Shipped as published (latin-1, CR line endings); load_dataset() decodes it, drops the empty "
            "'Unnamed' trailing columns and all-empty rows, and leaves the values untouched.",
            "US companies only.",
        ],
        "codebook": {
            "permalink": "CrunchBase company path", "name": "company name",
            "category_code": "CrunchBase category ('biotech', ...)",
            "funding_total_usd": "total funding, raw US dollars (not millions)",
            "status": "operating / acquired / closed / ipo", "country_code": "ISO3 (USA)",
            "state_code": "US state", "region": "CrunchBase region", "city": "city",
            "funding_rounds": "number of rounds", "founded_at": "founding date",
            "first_funding_at": "date", "last_funding_at": "date",
            "founded_month": "YYYY-MM", "founded_quarter": "YYYY-Qn", "founded_year": "year",
            "last_milestone_at": "date of the last CrunchBase milestone",
        },
    },
    {
        "name": "crunchbase2013_funds",
        "title": "CrunchBase 2013 Snapshot: venture capital and private-equity funds with size and currency",
        "kind": "funds",
        "coverage": "1,564 funds of 1,026 managers, 1975-2014; native currency (USD, EUR, GBP, CAD, JPY, AUD, "
                    "SEK); no manager country",
        "source": "CrunchBase 2013 Snapshot",
        "publisher": "CrunchBase, 2013 Snapshot (crunchbase_2013_snapshot_20131212 MySQL dump), table cb_funds",
        "origin": "https://github.com/sauravkh/finalProject crunchbase_2013inCSV/cb_funds.csv at commit "
                  "90d3f73cca6350f81206a395b1612d27240fa0b5 (file added in edc1c03631d232f80ecdcefb2d9f1da7cc99aab0); "
                  "same table as funds.csv of Kaggle justinas/startup-investments; raw copy in "
                  "datasets/raw/crunchbase-2013-snapshot-funds/",
        "retrieved": retrieved("CrunchBase 2013 Snapshot of 2013-12-12, repository commit of 2017-03-09"),
        "licence": "CC BY 4.0 per the Kaggle copy, attribution \"Crunchbase 2013 Snapshot (c) 2013\"; the snapshot "
                   "date (2013-12-12) equals the day CrunchBase moved to CC BY-NC 4.0, so the licence is "
                   "ambiguous: treated as CC-BY with attribution, flagged here.",
        "citation": "Crunchbase 2013 Snapshot (c) 2013, table cb_funds, via github.com/sauravkh/finalProject",
        "caveats": [
            "Mixes private equity with VC; includes spam and unit errors (e.g. a EUR 62 'fund' meaning EUR 62m, "
            "an $89bn 'fund' of a private person): handled by the documented, tested rules of the loader "
            "'crunchbase2013_funds' (rejects with reasons), never by hand edits.",
            "Manager country is NOT in this table: country and region stay empty (never invented).",
            "Sizes in the fund's own currency ('currency'); USD/EUR derived at ECB annual average rates of the "
            "vintage year.",
        ],
        "codebook": {
            "(canonical)": "fundgap funds schema (fundgap.schema.FUND_COLUMNS): fund_id, fund_name, manager, "
                           "country, region, vintage, size, currency, size_usd, size_eur, fund_type, "
                           "life_science_focus, source, source_row; money in millions",
            "manager_id": "CrunchBase object id of the managing financial organisation ('f:NNN')",
            "size_note": "what the cleaning rules did to the size (e.g. a unit correction), if anything",
            "funded_at": "date the fund was announced/closed (vintage = its year)",
            "source_url": "the news item CrunchBase cited",
        },
    },
    {
        "name": "published_figures",
        "title": "Published headline figures on the EU-US-China venture capital and biotech funding gap "
                 "(Draghi, EC, EIB, IMF, NVCA, PitchBook, SVB, Evaluate, NRDD, McKinsey, ChinaBio ...)",
        "kind": "table",
        "coverage": "about 60 figures, 2013-2025, each with source, address, verbatim snippet and flag",
        "source": "public reports (see each row)",
        "publisher": "compiled for fundgap from public reports and articles; each row names its publisher",
        "origin": "datasets/raw/published/published_figures.md (compiled from the web addresses in each row), "
                  "parsed by rules in datasets/build.py:parse_published",
        "retrieved": retrieved("figures read at the web address of each row; the date of reading is not recorded in the source table"),
        "licence": "facts with citations (figures and verbatim snippets of 25 words or fewer quoted for "
                   "reference); cite the original publisher of each figure",
        "citation": "Cite the source in each row (column 'source', address in 'address'); the table itself: "
                    "fundgap published_figures (2026).",
        "caveats": [
            "Many figures were read in secondary or mirrored copies: rows whose flag starts with 'FLAG' "
            "(is_flagged) are secondary/tertiary, of unclear year or scope, or not checked against the primary; "
            "rows that reuse a flagged row's source ('same') inherit the flag (flagged_via).",
            "Figures differ in scope (deal value vs fund-reported investment vs fundraising; Europe vs EU vs "
            "EU+UK; biotech vs life sciences vs health care): compare like with like.",
            "One table row can hold several figures ('0.2 / 0.7' for 'EU / US'): parsed into one row per "
            "figure ('code' = the table's #, 'part' = position); value_raw keeps the cell as published.",
            "region_code maps 'EU' to EU27 for years from 2020 and to EU28 before (rule, not stated by the "
            "sources); ambiguous regions ('US/EU' ratios, 'global') have no code.",
            "Ranges ('100-150') are stored as their midpoint with value_low/value_high.",
        ],
        "codebook": {
            "code": "the # of the row in the published table", "part": "position of the figure in that row",
            "metric": "what the figure measures", "region": "region as published (one part)",
            "region_code": "fundgap region where unambiguous", "stage": "stage as published",
            "stage_group": "all/seed/early/later where unambiguous",
            "year": "reference year (last year of a range)", "year_start": "first year of a range",
            "year_raw": "year cell as published", "value": "the number (midpoint of a range)",
            "value_low": "low end", "value_high": "high end", "value_raw": "value cell as published",
            "unit": "unit as published ('USD bn', 'EUR m', '%', '×', 'count' ...)",
            "scope": "qualifiers found in the value cell (parenthesis, text after ';')",
            "source": "title and publisher", "address": "web address where the figure was read",
            "flag": "the compiler's flag/remark",
            "is_flagged": "flag starts with 'FLAG', or the row reuses the source of a flagged row",
            "flagged_via": "code of the flagged row whose source this row reuses ('same')",
            "is_derived": "arithmetic on published numbers, not itself published",
            "snippet": "verbatim snippet",
        },
    },
    {
        "name": "fx_ecb_annual",
        "title": "ECB euro foreign exchange reference rates, annual averages (currency units per EUR)",
        "kind": "reference",
        "coverage": "1999-2025 (2025 partial, to 9 May), 41 currencies (USD, GBP, CNY from 2005 ...)",
        "source": "ECB",
        "publisher": "European Central Bank, euro foreign exchange reference rates",
        "origin": "ECB eurofxref-hist.csv as mirrored in github.com/h0tbird/eurofxref at commit "
                  "d21ffee4b337f6d7ea9eb59045155aadf7b48b98 (data to 2025-05-09); raw copy in "
                  "datasets/raw/reference/ecb-fx/; annual mean computed by datasets/build_reference.py "
                  "(the definition of the ECB's annual series EXR.A.<CUR>.EUR.SP00.A)",
        "retrieved": retrieved("ECB daily file up to 2025-05-09 (mirror commit d21ffee)"),
        "licence": "ECB statistics: reuse with attribution ('Source: ECB')",
        "citation": "European Central Bank, euro foreign exchange reference rates (EXR), annual averages computed "
                    "from the daily rates.",
        "caveats": [
            "2025 is a partial year (to 9 May), flagged 'partial'.",
            "CNY starts 1 April 2005 at the ECB; earlier years have no ECB CNY rate.",
            "Annual means checked against published EXR.A values for USD 2010-2016 and CNY 2024 (SOURCE.txt).",
        ],
        "codebook": {"year": "calendar year", "currency": "ISO 4217", "per_eur": "units of currency per 1 EUR, "
                     "mean of daily rates", "n_obs": "daily observations", "first_obs": "date",
                     "last_obs": "date", "partial": "year not complete in the file"},
    },
    {
        "name": "us_cpi_u",
        "title": "US CPI-U, all items, U.S. city average, annual average (BLS CUUR0000SA0), 1982-84=100",
        "kind": "reference",
        "coverage": "2000-2025 (2025 = 11 months, as BLS's own annual average)",
        "source": "BLS",
        "publisher": "U.S. Bureau of Labor Statistics",
        "origin": "monthly indices from github.com/datasets/cpi-us data/cpiai.csv at commit "
                  "a1f785a423e22924ef9a438f8996130b1d00374f; raw copy datasets/raw/reference/macro/us_cpi_u_annual.csv",
        "retrieved": retrieved("BLS monthly CPI-U via datasets/cpi-us commit a1f785a (2026-07-01)"),
        "licence": "U.S. federal government work, public domain (packaging ODC-PDDL-1.0)",
        "citation": "U.S. Bureau of Labor Statistics, CPI-U, U.S. city average, all items (CUUR0000SA0), annual average.",
        "caveats": [
            "2025 averages 11 months (October 2025 not published by BLS); BLS's official 2025 average is the "
            "same 11-month mean.",
            "Verified: 2005-2025 match BLS annual averages listed in PolicyEngine/spm-calculator exactly.",
        ],
        "codebook": {"year": "calendar year", "cpi_u": "index, 1982-84=100", "base": "index base",
                     "series": "BLS series id", "n_months": "months averaged", "geo": "USA",
                     "publisher": "BLS", "note": "remarks"},
    },
    {
        "name": "hicp",
        "title": "HICP all items, annual average index, EURO AREA (Eurostat prc_hicp_aind, EA, 2015=100)",
        "kind": "reference",
        "coverage": "2000-2025, euro area (changing composition), NOT EU-27",
        "source": "Eurostat",
        "publisher": "Eurostat",
        "origin": "2012-2025: Eurostat SDMX-CSV export in github.com/Real-Sahil/CarbonSite (commit 8232e3be...); "
                  "2000-2011: hard-coded table in github.com/TomDevine11/Triviverse (commit 0ae2f68b...), checked "
                  "against Eurostat RCH_A_AVG rates from PyPSA/technology-data (commit 738868cd...); raw copy "
                  "datasets/raw/reference/macro/hicp_annual_index.csv",
        "retrieved": retrieved("Eurostat exports of 2026-02-06 (LAST UPDATE) via the commits named in origin"),
        "licence": "Eurostat reuse policy (Commission Decision 2011/833/EU), attribution 'Source: Eurostat'",
        "citation": "Eurostat, HICP annual average index, all items, euro area (prc_hicp_aind, INX_A_AVG, CP00).",
        "caveats": [
            "NOT VERIFIED FOR EU-27: no public copy of the EU27_2020 index was found; this is the euro-area "
            "index used as the EUR deflator. EU27_2020 annual rates exist only to 2023 (raw "
            "hicp_annual_rates.csv) and are not shipped as an index.",
            "2000-2011 come from a hand-copied table in a third-party repository (weaker source), checked "
            "year by year against Eurostat's published annual rates (23 of 26 years equal after rounding, the "
            "other 3 on the rounding boundary).",
        ],
        "codebook": {"year": "calendar year", "hicp": "index, 2015=100", "base": "index base",
                     "geo": "EA (euro area)", "geo_note": "composition note", "series": "Eurostat series",
                     "publisher": "Eurostat"},
    },
    {
        "name": "gdp_usd",
        "title": "GDP in current US dollars (World Bank NY.GDP.MKTP.CD): US, China, EU, UK and the 27 EU members",
        "kind": "reference",
        "coverage": "2000-2025, 31 geographies (USA, CHN, EUU, GBR, 27 members)",
        "source": "World Bank WDI",
        "publisher": "World Bank, World Development Indicators",
        "origin": "github.com/datasets/world-development-indicators indicators/ny.gdp.mktp.cd/data.csv at commit "
                  "4ebec5a2273f531ba238a34dbe440394dc5a6c4b (2026-07-01); raw copy "
                  "datasets/raw/reference/macro/gdp_current_usd.csv",
        "retrieved": retrieved("World Bank WDI release of July 2026 via commit 4ebec5a2 (2026-07-01)"),
        "licence": "CC BY 4.0 (World Bank WDI)",
        "citation": "World Bank, World Development Indicators, GDP (current US$), NY.GDP.MKTP.CD (release July 2026).",
        "caveats": [
            "2025 from the July 2026 release (first estimate).",
            "Verified: CHN and USA equal an independent raw WB bulk file for all years; EUU equals the sum of the "
            "27 members. Large revisions against the 2024 vintage for SVK 2000-2007, CYP/MLT 2017-2023.",
        ],
        "codebook": {"iso3": "ISO3 or WB aggregate code", "iso2": "ISO2 (empty for aggregates)",
                     "aggregate": "aggregate code (EU27 ...)", "name": "name", "year": "calendar year",
                     "gdp_usd_m": "GDP, millions of current US dollars", "unit": "USD_M",
                     "series": "WB indicator", "publisher": "World Bank"},
    },
    {
        "name": "eu_membership",
        "title": "EU member states with accession and exit dates, EU-27 (2020) and EU-28 flags, euro adoption",
        "kind": "reference",
        "coverage": "28 countries (27 members + UK), 1958-2020",
        "source": "EUR-Lex / Eurostat",
        "publisher": "EUR-Lex glossary 'Enlargement', Eurostat Statistics Explained 'Glossary:EU enlargements'; "
                     "codes from country_converter",
        "origin": "datasets/raw/reference/eu_membership_iso_codes.csv (codes: github.com/IndEcol/country_converter "
                  "country_data.tsv, HEAD 4d579e7 2025-12-18; dates: EUR-Lex and Eurostat glossaries)",
        "retrieved": retrieved("country_converter HEAD 4d579e7 (2025-12-18) and EUR-Lex/Eurostat glossaries"),
        "licence": "facts (dates and codes); country_converter is GPL-3.0 code whose data are facts; EUR-Lex/"
                   "Eurostat reuse with attribution",
        "citation": "EUR-Lex, Glossary of summaries: Enlargement; Eurostat, Glossary: EU enlargements.",
        "caveats": [
            "Founding-six date 1958-01-01 = entry into force of the EEC Treaty (a convention; the EU proper "
            "dates from 1993-11-01).",
            "UK exit 2020-01-31 (third country from 1 February 2020).",
        ],
        "codebook": {"iso2": "ISO2", "iso3": "ISO3", "name": "short name", "eurostat_code": "Eurostat geo code "
                     "(EL for Greece)", "accession_date": "date", "exit_date": "date or empty",
                     "in_eu27_2020": "member of the EU-27 (2020 composition)",
                     "euro_adoption_year": "year the euro was adopted, empty if not"},
    },
]
