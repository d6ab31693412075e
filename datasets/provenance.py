"""Provenance records of the datasets fundgap ships (read by datasets/build.py).

Each record is written here by hand from the SOURCE.txt / README.md / LICENSE.txt files
kept beside the raw data in ``datasets/raw/``; build.py adds rows, coverage years and the
sha256 of every shipped file, and writes ``fundgap/data/datasets.json``.
"""

from __future__ import annotations

COPIED = "; copied as published into datasets/raw/ on 2026-11-22"


def retrieved(upstream: str, copied: str = "2026-11-22") -> str:
    """Retrieval statement: when the publisher's data were taken, and when fundgap copied them."""
    return upstream + COPIED.replace("2026-11-22", copied)

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

NCSES_PUBLISHER = ("U.S. National Science Foundation, National Center for Science and Engineering Statistics "
                   "(NCSES), Science and Engineering Indicators, supplementary tables; data: PitchBook")
NCSES_LICENCE = ("U.S. federal government statistical tables: public domain (cite NCSES and the table "
                 "number). Underlying PitchBook data are proprietary; only the published aggregates are shipped.")
NCSES_TRANSCRIBED = ("The tables were transcribed from NCSES by a third party (commit 1f879ab); values were "
                     "checked against one another, not against the NCSES originals: check a value against the "
                     "NCSES table before citing it.")
NCSES_ROW_COLUMNS = {
    "path": "the NCSES row path, footnote markers and tags removed (e.g. 'China -> Total -> "
            "Pharmaceuticals and biotechnology'); the raw label behind 'sector'",
    "footnote": "footnote markers of the row label, if any",
    "flag": "NCSES special value letter after a number ('i' imputed, 'r' revised), if any",
    "source_row": "line of the row in the raw table (header = 1)",
    "source_column": "the raw year column (e.g. 'field_2018', or '2022' in SINV-33)",
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
        "name": "ncses_industry",
        "title": "NCSES Science & Engineering Indicators venture-capital tables by industry (PitchBook-based): "
                 "S8-64 (China and US by industry), S8-65 (China and US by industry vertical; verticals "
                 "overlap), 8-6 (US) and 8-7 (China) health care, ICT and transportation, SKTI-25 "
                 "(biotechnology VC by US state)",
        "kind": "series",
        "coverage": "S8-64 and S8-65 2013-2018, China (incl. Hong Kong) and the US; 8-6 (US) and 8-7 (China) "
                    "2013 and 2018 only; SKTI-25 2010-2020, biotechnology, 50 states, the District of "
                    "Columbia, the four census regions and the US total",
        "source": "NCSES / PitchBook",
        "publisher": NCSES_PUBLISHER,
        "origin": "NCSES tables S8-64 'Venture capital investment in China and the United States, by "
                  "industry: 2013-18' (modal id 1966), S8-65 '... by industry vertical or technology area: "
                  "2013-18' (1942), 8-6 'U.S. venture capital investment in health care, ICT, and "
                  "transportation industries: 2013 and 2018' (1899), 8-7 'China venture capital investment "
                  "in health care, ICT, and transportation industries: 2013 and 2018' (1900), SKTI-25 "
                  "'Biotechnology-related venture capital funding, by U.S. state and region: 2010-20' (6210); "
                  "machine-readable transcription github.com/bq-org/ncses_stats_explorer_placeholder "
                  "output/tables/{1966,1942,1899,1900,6210}/data.csv at commit 1f879ab; raw copies with "
                  "their README.md in datasets/raw/ncses/",
        "retrieved": retrieved("transcription at commit 1f879ab; PitchBook accessed 21 September 2019 "
                               "(S8-64, S8-65, 8-6, 8-7) and 27 September 2021 (SKTI-25)", "2026-12-03"),
        "licence": NCSES_LICENCE,
        "citation": "National Center for Science and Engineering Statistics (NCSES), Science and Engineering "
                    "Indicators, Tables S8-64, S8-65, 8-6, 8-7 and SKTI-25 (data: PitchBook). Cite the "
                    "table a value comes from (column 'table'), e.g. \"NCSES, Science and Engineering "
                    "Indicators, table S8-64\".",
        "caveats": [
            "S8-65's verticals OVERLAP: PitchBook classifies a firm in several verticals, and NCSES notes "
            "that the verticals sum to more than total investment. They carry their own measure, "
            "'vc_invested_by_vertical', so no sum over measure 'vc_invested' meets them; never add "
            "verticals together or to the industries of S8-64. No S8-65 total is shipped or computed.",
            "China includes Hong Kong (region CN, country CN). NCSES states this for S8-62, and S8-64's "
            "China totals lie within 0.2% of S8-62's China row in every year 2013-2018 (same PitchBook "
            "extract).",
            "8-6 (US) and 8-7 (China) have two years only, 2013 and 2018, rounded to USD 1 million; they "
            "cite S8-64 and agree with it to rounding (pharmaceuticals and biotechnology: US 5,953 and "
            "18,662 against 5,953.03 and 18,662.21; China 71 and 3,206 against 70.75 and 3,205.70).",
            "8-7 spells 'Healthcare' where 8-6 spells 'Health care': both are sector 'health_care'. "
            "'other_health_care' is a residual whose content depends on the table: in 8-6 it is health "
            "care less devices, technology systems and pharmaceuticals and biotechnology (1,161 in 2013 = "
            "S8-64's services 1,136.80 + other 24.69); in 8-7 (label 'Other') it is all health care except "
            "pharmaceuticals and biotechnology; in S8-64 it is PitchBook's small 'Other health care' "
            "industry. Compare it only within one table.",
            "Rows nest: S8-64's sector 'all' is the sum of its 41 industries (checked in every year); "
            "8-6/8-7's 'health_care' and 'ict' are the sums of the sub-industries listed under them. Sum "
            "only leaves, within one table.",
            "SKTI-25: states carry measure 'vc_invested:state:<ISO 3166-2>' and census regions "
            "'vc_invested:census_region:<name>' (code also in 'subdivision': 'US-CA', 'census:West'); "
            "only the national total has the plain 'vc_invested'. Each census region equals the sum of "
            "its states' published values; the US total differs from the sum of the four regions by up "
            "to 11.4 (2012). 120 state-years are 'NA' (not available) and are not shipped; Alaska and Nevada are 'NA' in every year. Its US total "
            "equals SKTI-24's US biotechnology row.",
            "Two classifications of 'biotech': S8-64's 'pharmaceuticals_and_biotechnology' is PitchBook's "
            "primary industry; SKTI-24/SKTI-25's 'biotech' is NCSES's biotechnology-related VC (PitchBook "
            "accessed 2021). US 2018: 18,662 against 18,180. Do not treat them as one series.",
            "Deal-based (PitchBook) investment by location of the company's headquarters; the tables come "
            "from different PitchBook extracts (2019, 2021), so the same cell can differ between tables. "
            "Never blend with the OECD fund-reported statistics.",
            "Sector names are snake_case slugs of the NCSES labels (the label is in 'path'); spelling "
            "variants are made one: 'Healthcare'/'Health care', 'Construction (non-wood)'/'(nonwood)', "
            "'Oil and Gas'/'Oil and gas'.",
            NCSES_TRANSCRIBED,
        ],
        "codebook": {
            **SERIES_CODEBOOK,
            "region": "CN (China incl. Hong Kong) or US",
            "country": "ISO 3166 alpha-2: CN or US",
            "sector": "slug of the NCSES industry, vertical or sector label: S8-64 and 8-6/8-7 industries "
                      "('pharmaceuticals_and_biotechnology', 'health_care_devices_and_supplies', "
                      "'health_care', 'software' ...; 'all' = S8-64's Total); S8-65 verticals "
                      "('life_sciences', 'oncology', 'digital_health' ...); SKTI-25 'biotech'",
            "measure": "'vc_invested' (S8-64, 8-6, 8-7, SKTI-25's US total); 'vc_invested_by_vertical' "
                       "(S8-65: overlapping, never sum); 'vc_invested:state:<code>' and "
                       "'vc_invested:census_region:<name>' (SKTI-25 sub-areas)",
            "subdivision": "SKTI-25 only: ISO 3166-2 code of the US state ('US-CA', 'US-DC') or "
                           "'census:<region>' for a census region (Midwest, Northeast, South, West); empty "
                           "for the US total and the other tables",
            **NCSES_ROW_COLUMNS,
        },
    },
    {
        "name": "ncses_firms",
        "title": "NCSES SINV-33: number of U.S.-headquartered firms receiving venture capital, by PitchBook "
                 "primary industry code, with the industry classification of SINV-34",
        "kind": "series",
        "coverage": "2003-2022, US-headquartered firms; 215 PitchBook primary industry codes (212 with at "
                    "least one published count) in 13 industry groups",
        "source": "NCSES / PitchBook",
        "publisher": NCSES_PUBLISHER,
        "origin": "NCSES tables SINV-33 'U.S.-headquartered firms receiving venture capital investments, by "
                  "Primary Industry Code: 2003-22' (modal id 10580) and SINV-34 'PitchBook venture capital "
                  "Primary Industry Code-to-industry classification: 2003-22' (10581); machine-readable "
                  "transcription github.com/bq-org/ncses_stats_explorer_placeholder "
                  "output/tables/{10580,10581}/data.csv at commit 1f879ab; raw copies with their README.md "
                  "in datasets/raw/ncses/",
        "retrieved": retrieved("transcription at commit 1f879ab; PitchBook accessed September 2023 (SINV-33) "
                               "and May 2023 (SINV-34)", "2026-12-03"),
        "licence": NCSES_LICENCE,
        "citation": "National Center for Science and Engineering Statistics (NCSES), Science and Engineering "
                    "Indicators, Tables SINV-33 and SINV-34 (data: PitchBook); e.g. \"NCSES, Science and "
                    "Engineering Indicators, table SINV-33\".",
        "caveats": [
            "A NUMBER of firms (unit 'count', measure 'firms_receiving_vc'), not money; price_base is empty.",
            "'-' means suppressed or none: the 853 such cells cannot be told apart from zero and are not "
            "shipped (rejects of the loader, reason 'suppressed or none'). Three codes have no published "
            "count in any year.",
            "Several codes jump between 2012 and 2013 (Biotechnology 42 -> 192, BPO/outsource services "
            "169 -> 15, Infrastructure 144 -> 0, Internet retail 0 -> 74; 14 codes change threefold or "
            "more): a change of classification or coverage is likely, and NCSES does not explain it. "
            "Compare years across 2012/2013 with care.",
            "sector 'biotechnology' is PitchBook's primary industry code 'Biotechnology' (industry group "
            "'Biomedical', beside 'Drug discovery', 'Drug delivery' ...); it is narrower than 'biotech' in "
            "SKTI-24/SKTI-25 (biotechnology-related VC).",
            "industry_group is SINV-34's classification as published (13 groups; 'Biomedical' and "
            "'Healthcare' are separate groups); every code of SINV-33 is listed there.",
            NCSES_TRANSCRIBED,
        ],
        "codebook": {
            **SERIES_CODEBOOK,
            "region": "US",
            "country": "US",
            "sector": "slug of the PitchBook primary industry code ('biotechnology', 'drug_discovery', "
                      "'application_software' ...)",
            "measure": "'firms_receiving_vc': number of US-headquartered firms receiving VC in the year",
            "unit": "'count': a number of firms",
            "price_base": "empty: a count has no price base",
            "industry_group": "SINV-34's industry classification of the code, as published ('Biomedical', "
                              "'Healthcare', 'Software' ...)",
            **NCSES_ROW_COLUMNS,
            "path": "the PitchBook primary industry code as published (e.g. 'Biotechnology')",
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
        "name": "population_wb",
        "title": "Population, total (World Bank WDI SP.POP.TOTL): the 27 EU members, Norway, UK, US, China "
                 "and the World Bank's EU aggregate",
        "kind": "reference",
        "coverage": "2000-2025, 32 geographies (27 members, NO, GB, US, CN, EUU as EU27); an extract of the "
                    "World Bank file, not the whole file",
        "source": "World Bank WDI",
        "publisher": "World Bank, World Development Indicators",
        "origin": "github.com/datasets/world-development-indicators indicators/sp.pop.totl/data.csv at commit "
                  "4ebec5a2273f531ba238a34dbe440394dc5a6c4b; extract of the listed countries and years copied "
                  "verbatim into datasets/raw/worldbank/sp_pop_totl_extract.csv (see SOURCE.txt there); "
                  "ISO2 codes added by datasets/build.py",
        "retrieved": retrieved("World Bank WDI via commit 4ebec5a2 of datasets/world-development-indicators",
                               copied="2026-12-03"),
        "licence": "CC BY 4.0 (World Bank WDI, as the World Bank states)",
        "citation": "World Bank, World Development Indicators, Population, total (SP.POP.TOTL), via "
                    "github.com/datasets/world-development-indicators @4ebec5a2 (retrieved 2026-12-03).",
        "caveats": [
            "An extract: 27 EU members, NOR, GBR, USA, CHN and EUU, years 2000-2025 (832 rows).",
            "Checked in the build: every code has every year, and the 27 members sum to the World Bank's EUU "
            "row every year (tolerance 0.01%; they agree exactly).",
            "Midyear estimates of residents; 2025 is the World Bank's latest estimate and may be revised.",
            "The default population of fundgap.findings and country_comparison (USD per inhabitant).",
        ],
        "codebook": {"country": "ISO 3166 alpha-2 (EU27 = the World Bank's European Union aggregate, EUU)",
                     "year": "calendar year", "population": "persons, midyear estimate",
                     "source_code": "World Bank country code (ISO alpha-3 or EUU)"},
    },
    {
        "name": "gdp_oecd",
        "title": "GDP in current US dollars implied by the OECD VC table (USD mn / % of GDP): every country "
                 "of oecd_vc, Norway included",
        "kind": "reference",
        "coverage": "2002-2025 (by country as in oecd_vc): 25 of the EU-27, Norway, UK, US and the other OECD "
                    "countries of the file; country-years whose VC values are all 0 have no GDP",
        "source": "OECD",
        "publisher": "OECD, Entrepreneurship Financing Database (the GDP the OECD divides by for its "
                     "'Percentage of GDP' rows)",
        "origin": "computed by datasets/build.py from datasets/raw/oecd-vc-investments/oecd_vc_gdp.csv (the raw "
                  "copy behind oecd_vc; see its origin): for each country, stage and year, VC in 'US dollars, "
                  "exchange rate converted' (millions) / ('Percentage of GDP' / 100)",
        "retrieved": retrieved("OECD SDMX download of 2026-06-24 (comment line of the file)"),
        "licence": "OECD Terms and Conditions (1 July 2024): reuse with attribution; CC BY 4.0 for content "
                   "since 2024-07-01",
        "citation": "OECD (2026), \"Venture capital investments (market statistics)\", OECD Entrepreneurship "
                    "Financing Database, DSD_VC@DF_VC_INV (accessed 2026-06-24); GDP derived by fundgap as "
                    "USD / share of GDP.",
        "caveats": [
            "Not a published GDP series: the denominator the OECD used, recovered from two published values; "
            "the stages of one country-year agree to about 1e-12 (the build stops above 1e-9).",
            "The OECD's GDP vintage and conversion differ from the World Bank's (gdp_usd): Belgium 2025 "
            "about 725,000 USD mn here; use one table for every place of a comparison, never a mix.",
            "Used for the groups of fundgap.findings (the coalition's share of GDP) because gdp_usd has no "
            "Norway; population comes from population_wb.",
        ],
        "codebook": {"iso2": "ISO 3166 alpha-2", "year": "calendar year",
                     "gdp_usd_m": "GDP, millions of current US dollars (exchange-rate converted)",
                     "unit": "USD_M", "n_stages": "stages with both values above 0 (all agree)",
                     "derived": "oecd_usd_over_pct_gdp"},
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
