"""Build the reference tables that fundgap.normalise reads.

Reads the raw files kept AS PUBLISHED in ``datasets/raw/reference/`` and writes
clean, header-only (comment-free) CSV tables to ``fundgap/data/reference/``:

=======================  ==========================================================================
output                   built from
=======================  ==========================================================================
fx_ecb_annual.csv        raw/reference/ecb-fx/eurofxref-hist.csv (ECB daily reference rates):
                         annual arithmetic mean of the daily rates per currency and calendar year
us_cpi_u.csv             raw/reference/macro/us_cpi_u_annual.csv (BLS CUUR0000SA0 annual average)
hicp.csv                 raw/reference/macro/hicp_annual_index.csv (Eurostat prc_hicp_aind, EA, 2015=100)
gdp_usd.csv              raw/reference/macro/gdp_current_usd.csv (World Bank NY.GDP.MKTP.CD)
eu_membership.csv        raw/reference/eu_membership_iso_codes.csv (EUR-Lex / Eurostat dates)
country_aliases.csv      the alias rules written in this script (no raw file: they are naming rules)
stage_crosswalk.csv      raw/reference/stage_mapping.csv expanded to concrete labels + the rules below
=======================  ==========================================================================

Run from the project root::

    python datasets/build_reference.py

Only pandas is used. Values are never edited by hand: every number in the outputs
is computed from the raw files above; the only hand-written content is naming rules
(country aliases and stage labels), each with a note.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "datasets" / "raw" / "reference"
OUT = ROOT / "fundgap" / "data" / "reference"

# The last day in the ECB file; a calendar year whose last observation is before
# this year's last TARGET business day is flagged partial.


# --------------------------------------------------------------------------- FX
def build_fx() -> pd.DataFrame:
    """Annual means of the ECB daily reference rates, long format, EUR = 1."""
    raw = pd.read_csv(RAW / "ecb-fx" / "eurofxref-hist.csv", na_values=["N/A"], dtype=str)
    raw = raw.loc[:, [c for c in raw.columns if c and not c.startswith("Unnamed")]]
    raw["Date"] = pd.to_datetime(raw["Date"], format="%Y-%m-%d")
    long = raw.melt(id_vars="Date", var_name="currency", value_name="rate").dropna(subset=["rate"])
    long["rate"] = pd.to_numeric(long["rate"], errors="raise")
    long["year"] = long["Date"].dt.year
    g = long.groupby(["year", "currency"], sort=True)
    fx = g.agg(
        per_eur=("rate", "mean"),
        n_obs=("rate", "size"),
        first_obs=("Date", "min"),
        last_obs=("Date", "max"),
    ).reset_index()
    # the file's own business days per year: a currency-year is partial if it does not
    # span the year's first and last day in the file, and every year is partial if the
    # file itself ends before the last business days of December (2025 ends 9 May).
    days = raw.groupby(raw["Date"].dt.year)["Date"].agg(["min", "max"])
    days.index.name = "year"
    fx = fx.merge(days, left_on="year", right_index=True, how="left")
    year_incomplete = fx["max"] < pd.to_datetime(fx["year"].astype(str) + "-12-20")
    fx["partial"] = year_incomplete | (fx["first_obs"] > fx["min"]) | (fx["last_obs"] < fx["max"])
    eur = days.reset_index().rename(columns={"min": "first_obs", "max": "last_obs"})
    eur["currency"] = "EUR"
    eur["per_eur"] = 1.0
    eur["n_obs"] = raw.groupby(raw["Date"].dt.year).size().to_numpy()
    eur["partial"] = eur["last_obs"] < pd.to_datetime(eur["year"].astype(str) + "-12-20")
    fx = pd.concat([fx.drop(columns=["min", "max"]), eur], ignore_index=True)
    fx["per_eur"] = fx["per_eur"].round(8)
    fx["first_obs"] = fx["first_obs"].dt.strftime("%Y-%m-%d")
    fx["last_obs"] = fx["last_obs"].dt.strftime("%Y-%m-%d")
    fx = fx.sort_values(["currency", "year"]).reset_index(drop=True)
    return fx[["year", "currency", "per_eur", "n_obs", "first_obs", "last_obs", "partial"]]


# ------------------------------------------------------------------ price indices
def build_cpi() -> pd.DataFrame:
    raw = pd.read_csv(RAW / "macro" / "us_cpi_u_annual.csv")
    out = pd.DataFrame(
        {
            "year": raw["year"].astype(int),
            "cpi_u": raw["value"].astype(float),
            "base": "1982-84=100",
            "series": raw["series"],
            "n_months": raw["n_months"].astype(int),
            "geo": raw["geo"],
            "publisher": raw["publisher"],
            "note": raw["note"].fillna(""),
        }
    )
    return out.sort_values("year").reset_index(drop=True)


def build_hicp() -> pd.DataFrame:
    raw = pd.read_csv(RAW / "macro" / "hicp_annual_index.csv")
    if set(raw["geo"]) != {"EA"}:
        raise SystemExit(f"hicp_annual_index.csv: expected geo EA only, got {sorted(set(raw['geo']))}")
    out = pd.DataFrame(
        {
            "year": raw["year"].astype(int),
            "hicp": raw["value"].astype(float),
            "base": "2015=100",
            "geo": "EA",
            "geo_note": "euro area (Eurostat EA, changing composition), not EU27",
            "series": raw["series"],
            "publisher": raw["publisher"],
        }
    )
    return out.sort_values("year").reset_index(drop=True)


def build_gdp(membership: pd.DataFrame) -> pd.DataFrame:
    raw = pd.read_csv(RAW / "macro" / "gdp_current_usd.csv")
    import pycountry

    # any ISO 3166 alpha-3 code (the file holds the members, USA, CHN and GBR today; a country
    # added to the raw file, e.g. Norway for the groups of countries, needs no code change)
    iso3_to_iso2 = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    iso3_to_iso2.update(dict(zip(membership["iso3"], membership["iso2"])))
    iso2 = raw["geo"].map(iso3_to_iso2)
    aggregate = raw["geo"].map({"EUU": "EU27"})
    unknown = iso2.isna() & aggregate.isna()
    if unknown.any():
        raise SystemExit(f"gdp_current_usd.csv: unmapped geo codes {sorted(set(raw.loc[unknown, 'geo']))}")
    out = pd.DataFrame(
        {
            "iso3": raw["geo"],
            "iso2": iso2,
            "aggregate": aggregate,
            "name": raw["geo_name"],
            "year": raw["year"].astype(int),
            "gdp_usd_m": raw["value"].astype(float) / 1e6,
            "unit": "USD_M",
            "series": raw["series"],
            "publisher": raw["publisher"],
        }
    )
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


def build_membership() -> pd.DataFrame:
    raw = pd.read_csv(RAW / "eu_membership_iso_codes.csv", dtype=str, keep_default_na=False)
    out = pd.DataFrame(
        {
            "iso2": raw["iso2"],
            "iso3": raw["iso3"],
            "name": raw["name_short"],
            "eurostat_code": raw["eurostat_geo_code"],
            "accession_date": raw["accession_date"],
            "exit_date": raw["exit_date"],
            "in_eu27_2020": raw["in_EU27_2020"].map({"yes": True, "no": False}),
            "euro_adoption_year": raw["euro_adoption_year"],
        }
    )
    if out["in_eu27_2020"].isna().any():
        raise SystemExit("eu_membership_iso_codes.csv: in_EU27_2020 must be yes/no")
    return out.sort_values("iso2").reset_index(drop=True)


# ------------------------------------------------------------------ country aliases
#: alias -> (iso2, note). Names that pycountry does not resolve by exact name/code,
#: in the spellings of the World Bank, IMF, PitchBook, Crunchbase, Dealroom and the press.
COUNTRY_ALIASES: dict[str, tuple[str, str]] = {
    "USA": ("US", "ISO3 and common"),
    "U.S.": ("US", "common"),
    "U.S.A.": ("US", "common"),
    "US of A": ("US", "common"),
    "United States of America": ("US", "pycountry official name; listed for speed"),
    "United States": ("US", "pycountry name; listed for speed"),
    "America": ("US", "common"),
    "UK": ("GB", "not an ISO code (reserved); common"),
    "U.K.": ("GB", "common"),
    "United Kingdom": ("GB", "pycountry name; listed for speed"),
    "Great Britain": ("GB", "common"),
    "Britain": ("GB", "common"),
    "England": ("GB", "constituent country; VC databases list HQ cities in it"),
    "Scotland": ("GB", "constituent country"),
    "Wales": ("GB", "constituent country"),
    "Northern Ireland": ("GB", "constituent country"),
    "United Kingdom of Great Britain and Northern Ireland": ("GB", "official name"),
    "Korea, Rep.": ("KR", "World Bank spelling"),
    "Korea, Republic of": ("KR", "ISO spelling"),
    "Republic of Korea": ("KR", "UN spelling"),
    "South Korea": ("KR", "common; PitchBook/Crunchbase"),
    "Korea": ("KR", "Crunchbase/Dealroom use Korea for the Republic of Korea"),
    "Korea (South)": ("KR", "common"),
    "North Korea": ("KP", "common"),
    "Korea, Dem. People's Rep.": ("KP", "World Bank spelling"),
    "Hong Kong SAR": ("HK", "IMF/press spelling"),
    "Hong Kong SAR, China": ("HK", "World Bank spelling"),
    "Hong Kong, China": ("HK", "common"),
    "Hong Kong (China)": ("HK", "common"),
    "Macau": ("MO", "common spelling (ISO: Macao)"),
    "Macao SAR, China": ("MO", "World Bank spelling"),
    "Macau SAR": ("MO", "common"),
    "Mainland China": ("CN", "press/PitchBook"),
    "China (Mainland)": ("CN", "common"),
    "PRC": ("CN", "common"),
    "People's Republic of China": ("CN", "official name"),
    "Taiwan": ("TW", "common (ISO: Taiwan, Province of China)"),
    "Taiwan, China": ("TW", "World Bank spelling"),
    "Chinese Taipei": ("TW", "IOC/OECD spelling"),
    "Republic of China": ("TW", "official name"),
    "Russia": ("RU", "common (ISO: Russian Federation)"),
    "Russian Federation": ("RU", "ISO name; listed for speed"),
    "Czechia": ("CZ", "ISO short name; listed for speed"),
    "Czech Republic": ("CZ", "former short name; Crunchbase/PitchBook"),
    "Iran": ("IR", "common"),
    "Iran, Islamic Rep.": ("IR", "World Bank spelling"),
    "Vietnam": ("VN", "common (ISO: Viet Nam)"),
    "Kosovo": ("XK", "user-assigned code XK (used by the EU and World Bank), not ISO 3166"),
    "XK": ("XK", "user-assigned code for Kosovo"),
    "XKX": ("XK", "World Bank code for Kosovo"),
    "Turkey": ("TR", "former ISO name"),
    "Türkiye": ("TR", "ISO short name since 2022"),
    "Turkiye": ("TR", "ascii spelling"),
    "The Netherlands": ("NL", "common"),
    "Netherlands": ("NL", "listed for speed"),
    "Holland": ("NL", "common"),
    "Netherlands, The": ("NL", "inverted"),
    "Slovak Republic": ("SK", "World Bank/OECD spelling"),
    "Moldova": ("MD", "common"),
    "Bolivia": ("BO", "common"),
    "Venezuela": ("VE", "common"),
    "Tanzania": ("TZ", "common"),
    "Syria": ("SY", "common"),
    "Laos": ("LA", "common"),
    "Lao PDR": ("LA", "World Bank spelling"),
    "Brunei": ("BN", "common"),
    "Ivory Coast": ("CI", "common"),
    "Cote d'Ivoire": ("CI", "ascii spelling"),
    "Cape Verde": ("CV", "former name"),
    "Swaziland": ("SZ", "former name"),
    "Macedonia": ("MK", "former name"),
    "North Macedonia": ("MK", "listed for speed"),
    "FYROM": ("MK", "former name"),
    "Burma": ("MM", "former name"),
    "Palestine": ("PS", "common"),
    "Vatican": ("VA", "common"),
    "Vatican City": ("VA", "common"),
    "Egypt, Arab Rep.": ("EG", "World Bank spelling"),
    "Yemen, Rep.": ("YE", "World Bank spelling"),
    "Venezuela, RB": ("VE", "World Bank spelling"),
    "Gambia, The": ("GM", "World Bank spelling"),
    "Bahamas, The": ("BS", "World Bank spelling"),
    "Congo, Dem. Rep.": ("CD", "World Bank spelling"),
    "Congo, Rep.": ("CG", "World Bank spelling"),
    "DR Congo": ("CD", "common"),
    "Democratic Republic of the Congo": ("CD", "common"),
    "Kyrgyz Republic": ("KG", "World Bank spelling"),
    "Micronesia, Fed. Sts.": ("FM", "World Bank spelling"),
    "St. Kitts and Nevis": ("KN", "World Bank spelling"),
    "St. Lucia": ("LC", "World Bank spelling"),
    "St. Vincent and the Grenadines": ("VC", "World Bank spelling"),
    "UAE": ("AE", "common"),
    "U.A.E.": ("AE", "common"),
    "Curacao": ("CW", "ascii spelling"),
    "Reunion": ("RE", "ascii spelling"),
    "Aland Islands": ("AX", "ascii spelling"),
    "Saint Martin": ("MF", "common"),
    "Sint Maarten": ("SX", "common"),
    "EL": ("GR", "Eurostat code for Greece (not ISO)"),
    "Greece (EL)": ("GR", "Eurostat"),
    "Deutschland": ("DE", "German name, seen in Dealroom/Crunchbase exports"),
    "Schweiz": ("CH", "German name"),
    "Suisse": ("CH", "French name"),
    "España": ("ES", "Spanish name"),
    "Österreich": ("AT", "German name"),
    "Sverige": ("SE", "Swedish name"),
    "Danmark": ("DK", "Danish name"),
    "Norge": ("NO", "Norwegian name"),
    "Suomi": ("FI", "Finnish name"),
    "Polska": ("PL", "Polish name"),
    "Italia": ("IT", "Italian name"),
    "Nederland": ("NL", "Dutch name"),
    "België": ("BE", "Dutch name"),
    "Belgique": ("BE", "French name"),
    "Éire": ("IE", "Irish name"),
    "Republic of Ireland": ("IE", "common"),
    "Ireland, Republic of": ("IE", "common"),
    "Bosnia": ("BA", "common"),
    "Bosnia-Herzegovina": ("BA", "common"),
    "Bosnia & Herzegovina": ("BA", "Crunchbase spelling"),
    "Trinidad & Tobago": ("TT", "Crunchbase spelling"),
    "Antigua & Barbuda": ("AG", "Crunchbase spelling"),
    "Saint Kitts & Nevis": ("KN", "Crunchbase spelling"),
    "St. Kitts & Nevis": ("KN", "Crunchbase spelling"),
    "Turks & Caicos Islands": ("TC", "Crunchbase spelling"),
    "São Tomé & Príncipe": ("ST", "Crunchbase spelling"),
    "Heard & McDonald Islands": ("HM", "Crunchbase spelling"),
    "St. Pierre & Miquelon": ("PM", "Crunchbase spelling"),
    "Svalbard & Jan Mayen": ("SJ", "Crunchbase spelling"),
    "Wallis & Futuna": ("WF", "Crunchbase spelling"),
    "US Virgin Islands": ("VI", "common"),
    "U.S. Virgin Islands": ("VI", "common"),
    "British Virgin Islands": ("VG", "common; PitchBook"),
    "Virgin Islands (British)": ("VG", "common"),
    "Cayman": ("KY", "common"),
    "Caribbean Netherlands": ("BQ", "common"),
    "Falkland Islands": ("FK", "common"),
    "Micronesia": ("FM", "common"),
    "Timor-Leste": ("TL", "listed for speed"),
    "East Timor": ("TL", "former name"),
    "Myanmar (Burma)": ("MM", "Crunchbase spelling"),
    "Côte d’Ivoire": ("CI", "typographic apostrophe"),
    "Congo - Kinshasa": ("CD", "Crunchbase spelling"),
    "Congo - Brazzaville": ("CG", "Crunchbase spelling"),
    "Hong Kong SAR China": ("HK", "Crunchbase spelling"),
    "Macao SAR China": ("MO", "Crunchbase spelling"),
    "Palestinian Territories": ("PS", "Crunchbase spelling"),
    "Vatican City State": ("VA", "common"),
    "Channel Islands": ("JE", "PitchBook lists Jersey/Guernsey as Channel Islands; mapped to Jersey"),
    "Virgin Islands (U.S.)": ("VI", "UN spelling"),
    "The Bahamas": ("BS", "common"),
    "The Gambia": ("GM", "common"),
    "Korea, South": ("KR", "CIA/press spelling"),
    "Korea (Republic of)": ("KR", "UN spelling"),
    "Democratic People's Republic of Korea": ("KP", "UN spelling"),
    "St. Vincent & Grenadines": ("VC", "Crunchbase spelling"),
    "Micronesia (Federated States of)": ("FM", "UN spelling"),
    "Bolivia (Plurinational State of)": ("BO", "UN spelling"),
    "Venezuela (Bolivarian Republic of)": ("VE", "UN spelling"),
    "Iran (Islamic Republic of)": ("IR", "UN spelling"),
    "Republic of Moldova": ("MD", "UN spelling"),
    "United Republic of Tanzania": ("TZ", "UN spelling"),
    "Republic of the Congo": ("CG", "common"),
    "United States Virgin Islands": ("VI", "common"),
}


def build_aliases() -> pd.DataFrame:
    rows = [(alias, iso2, note) for alias, (iso2, note) in COUNTRY_ALIASES.items()]
    out = pd.DataFrame(rows, columns=["alias", "iso2", "note"])
    key = out["alias"].str.casefold().str.strip()
    if key.duplicated().any():
        raise SystemExit(f"duplicate aliases: {sorted(out.loc[key.duplicated(), 'alias'])}")
    return out.sort_values("alias").reset_index(drop=True)


# ------------------------------------------------------------------ stage crosswalk
#: Proposal terms in stage_mapping.csv -> canonical stages of fundgap.schema.STAGES.
PROPOSAL_TERMS = {
    "pre_seed": "pre_seed",
    "seed": "seed",
    "series_a": "series_a",
    "series_b": "series_b",
    "series_c": "series_c",
    "series_c_plus": "series_c_plus",
    "series_d_plus": "series_d_plus",
    "early_vc_unspecified": "early_unspecified",
    "late_vc_unspecified": "later_unspecified",
    "venture_unspecified": "venture_unknown",
    "growth_late": "private_equity",
    "ipo_public": "ipo_public",
    "grant": "grant",
    "debt": "debt",
    "other_excluded": "other",
}

TAXONOMY_OF = {
    "PitchBook Series": "pitchbook_series",
    "PitchBook Deal Type": "pitchbook_deal_type",
    "Crunchbase Funding Type": "crunchbase_funding_type",
    "Crunchbase 2013 funding_round_type": "crunchbase2013",
    "Dealroom EACH ROUND TYPE": "dealroom",
}

#: Explicit decisions (taxonomy, label, stage, note). They override the automatic
#: expansion of stage_mapping.csv where the proposal offers a choice or a pattern.
EXPLICIT_RULES: list[tuple[str, str, str, str]] = [
    # PitchBook deal types
    ("pitchbook_deal_type", "Seed Round", "seed", ""),
    ("pitchbook_deal_type", "Angel (individual)", "seed", "angel counted with seed (PitchBook 'angel & seed')"),
    ("pitchbook_deal_type", "Angel", "seed", "angel counted with seed"),
    ("pitchbook_deal_type", "Accelerator/Incubator", "pre_seed", "PitchBook leaves accelerator rounds out of VC counts"),
    ("pitchbook_deal_type", "Early Stage VC", "early_unspecified", "series not given by the deal type"),
    ("pitchbook_deal_type", "Later Stage VC", "later_unspecified", "series not given; may contain Series B"),
    ("pitchbook_deal_type", "Restart - Angel", "seed", "restart: same as base type"),
    ("pitchbook_deal_type", "Restart - Early VC", "early_unspecified", "restart: same as base type"),
    ("pitchbook_deal_type", "Restart - Later VC", "later_unspecified", "restart: same as base type"),
    ("pitchbook_deal_type", "PE Growth/Expansion", "private_equity", "PE growth is not VC (PitchBook/KPMG keep it out of VC totals)"),
    ("pitchbook_deal_type", "Buyout/LBO", "private_equity", "PE buyout, not VC"),
    ("pitchbook_deal_type", "Management Buyout", "private_equity", "PE buyout, not VC"),
    ("pitchbook_deal_type", "Corporate", "other", "corporate non-VC investment; PitchBook tags corporate VC as Early/Later Stage VC"),
    ("pitchbook_deal_type", "Joint Venture", "other", "not a venture round"),
    ("pitchbook_deal_type", "Equity Crowdfunding", "other", "crowdfunding is not VC"),
    ("pitchbook_deal_type", "Product Crowdfunding", "other", "crowdfunding is not VC"),
    ("pitchbook_deal_type", "Grant", "grant", "non-dilutive"),
    ("pitchbook_deal_type", "Convertible Debt", "debt", "quasi-equity but debt until converted"),
    ("pitchbook_deal_type", "IPO", "ipo_public", ""),
    ("pitchbook_deal_type", "Spin-Off", "other", "no new primary capital"),
    ("pitchbook_deal_type", "University Spin-Out", "other", "no new primary capital"),
    ("pitchbook_deal_type", "Capitalization", "other", "recapitalisation"),
    ("pitchbook_deal_type", "Dividend Recapitalization", "other", "no new primary capital"),
    ("pitchbook_deal_type", "Add-on", "private_equity", "PE add-on acquisition"),
    ("pitchbook_deal_type", "Platform Creation", "private_equity", "PE platform"),
    # Crunchbase funding types: display names and enum slugs
    ("crunchbase_funding_type", "pre_seed", "pre_seed", "enum"),
    ("crunchbase_funding_type", "angel", "seed", "enum; angel counted with seed"),
    ("crunchbase_funding_type", "Venture - Series Unknown", "venture_unknown", "use Funding Stage to refine"),
    ("crunchbase_funding_type", "series_unknown", "venture_unknown", "enum"),
    ("crunchbase_funding_type", "Corporate Round", "venture_unknown", "corporate venture round, series not given"),
    ("crunchbase_funding_type", "corporate_round", "venture_unknown", "enum"),
    ("crunchbase_funding_type", "Private Equity", "private_equity", "not VC"),
    ("crunchbase_funding_type", "private_equity", "private_equity", "enum"),
    ("crunchbase_funding_type", "Convertible Note", "debt", "debt until converted (conservative: not counted as VC)"),
    ("crunchbase_funding_type", "convertible_note", "debt", "enum"),
    ("crunchbase_funding_type", "Debt Financing", "debt", ""),
    ("crunchbase_funding_type", "debt_financing", "debt", "enum"),
    ("crunchbase_funding_type", "non_equity_assistance", "grant", "enum"),
    ("crunchbase_funding_type", "equity_crowdfunding", "other", "enum"),
    ("crunchbase_funding_type", "product_crowdfunding", "other", "enum"),
    ("crunchbase_funding_type", "initial_coin_offering", "other", "enum"),
    ("crunchbase_funding_type", "post_ipo_equity", "ipo_public", "enum"),
    ("crunchbase_funding_type", "post_ipo_debt", "ipo_public", "enum"),
    ("crunchbase_funding_type", "post_ipo_secondary", "ipo_public", "enum"),
    ("crunchbase_funding_type", "secondary_market", "other", "enum"),
    ("crunchbase_funding_type", "Undisclosed", "venture_unknown", "round of undisclosed type, as proposed"),
    ("crunchbase_funding_type", "undisclosed", "venture_unknown", "enum"),
    ("crunchbase_funding_type", "Funding Round", "other", "generic round, type not known"),
    ("crunchbase_funding_type", "Secondary Market", "other", "no new primary capital"),
    # Crunchbase organisation funding stage
    ("crunchbase_funding_stage", "Seed", "seed", ""),
    ("crunchbase_funding_stage", "Early Stage Venture", "early_unspecified", ""),
    ("crunchbase_funding_stage", "early_stage_venture", "early_unspecified", "enum"),
    ("crunchbase_funding_stage", "Late Stage Venture", "later_unspecified", ""),
    ("crunchbase_funding_stage", "late_stage_venture", "later_unspecified", "enum"),
    ("crunchbase_funding_stage", "Private Equity", "private_equity", ""),
    ("crunchbase_funding_stage", "private_equity", "private_equity", "enum"),
    ("crunchbase_funding_stage", "IPO", "ipo_public", ""),
    ("crunchbase_funding_stage", "M&A", "other", ""),
    ("crunchbase_funding_stage", "m_and_a", "other", "enum"),
    # CrunchBase 2013 funding_round_type
    ("crunchbase2013", "angel", "seed", "angel counted with seed"),
    ("crunchbase2013", "seed", "seed", "2013 Snapshot code"),
    ("crunchbase2013", "series-a", "series_a", ""),
    ("crunchbase2013", "series-b", "series_b", ""),
    ("crunchbase2013", "series-c+", "series_c_plus", "Series C or later: never reported as series_c"),
    ("crunchbase2013", "venture", "venture_unknown", "series not given"),
    ("crunchbase2013", "private-equity", "private_equity", "not VC"),
    ("crunchbase2013", "post-ipo", "ipo_public", ""),
    ("crunchbase2013", "crowdfunding", "other", "not VC"),
    ("crunchbase2013", "other", "other", "CrunchBase 'other' (debt, grants, unattributed) is not VC"),
    # CrunchBase 2013 Snapshot funding_round_code values
    ("crunchbase2013", "a", "series_a", "2013 Snapshot round code"),
    ("crunchbase2013", "b", "series_b", "2013 Snapshot round code"),
    ("crunchbase2013", "c", "series_c", "2013 Snapshot round code"),
    ("crunchbase2013", "d", "series_d_plus", "2013 Snapshot round code"),
    ("crunchbase2013", "e", "series_d_plus", "2013 Snapshot round code"),
    ("crunchbase2013", "f", "series_d_plus", "2013 Snapshot round code"),
    ("crunchbase2013", "g", "series_d_plus", "2013 Snapshot round code"),
    ("crunchbase2013", "debt_round", "debt", "2013 Snapshot round code"),
    ("crunchbase2013", "grant", "grant", "2013 Snapshot round code"),
    ("crunchbase2013", "private_equity", "private_equity", "2013 Snapshot round code"),
    ("crunchbase2013", "convertible", "debt", "2013 Snapshot round code"),
    ("crunchbase2013", "secondary_market", "other", "2013 Snapshot round code"),
    ("crunchbase2013", "crowd", "other", "2013 Snapshot round code"),
    ("crunchbase2013", "crowd_equity", "other", "2013 Snapshot round code"),
    ("crunchbase2013", "post_ipo_equity", "ipo_public", "2013 Snapshot round code"),
    ("crunchbase2013", "post_ipo_debt", "ipo_public", "2013 Snapshot round code"),
    ("crunchbase2013", "partial", "venture_unknown", "2013 Snapshot: part of a venture round"),
    ("crunchbase2013", "unattributed", "venture_unknown", "2013 Snapshot: venture money not attributed to a series"),
    # Dealroom
    ("dealroom", "EARLY VC", "early_unspecified", ""),
    ("dealroom", "LATE VC", "later_unspecified", ""),
    ("dealroom", "GROWTH EQUITY VC", "growth", "venture growth round"),
    ("dealroom", "GROWTH EQUITY NON VC", "private_equity", "not VC"),
    ("dealroom", "PRIVATE PLACEMENT VC", "venture_unknown", "VC private placement, stage not given"),
    ("dealroom", "PRIVATE PLACEMENT NON VC", "private_equity", "not VC"),
    ("dealroom", "SPAC PRIVATE PLACEMENT", "ipo_public", "PIPE alongside a SPAC listing"),
    ("dealroom", "CONVERTIBLE", "debt", "debt until converted (conservative)"),
    ("dealroom", "SPINOUT", "other", ""),
    ("dealroom", "MEDIA FOR EQUITY", "other", ""),
    ("dealroom", "ANGEL", "seed", "angel counted with seed"),
    ("dealroom", "BUYOUT", "private_equity", "PE buyout, not VC (as PitchBook Buyout/LBO)"),
    ("dealroom", "PRE-SEED", "pre_seed", ""),
    ("dealroom", "SUPPORT PROGRAM", "grant", "non-dilutive support"),
    ("dealroom", "CROWDFUNDING", "other", "not VC"),
    ("dealroom", "PROJECT, REAL ESTATE, INFRASTRUCTURE FINANCE", "debt", ""),
]

#: Canonical stages in the order of fundgap.schema.STAGES (kept in sync by a test).
CANONICAL_STAGES = (
    "pre_seed", "seed", "series_a", "series_b", "early_unspecified", "series_c",
    "series_c_plus", "series_d_plus", "later_unspecified", "growth", "venture_unknown",
    "private_equity", "ipo_public", "grant", "debt", "other",
)


def label_key(values: pd.Series) -> pd.Series:
    """Lower case, underscores and runs of white space -> one space, stripped."""
    return values.str.lower().str.replace(r"[\s_]+", " ", regex=True).str.strip()


def _letters(first: str, last: str) -> list[str]:
    return [chr(c) for c in range(ord(first), ord(last) + 1)]


def _expand_labels(raw_value: str) -> list[str]:
    """Concrete labels of a raw_value cell such as 'Series D .. Series J' or 'A / B'."""
    text = raw_value.replace("...", "").strip()
    m = re.fullmatch(r"(Series|SERIES) ([A-Z])\*? \.\. (?:Series|SERIES) ([A-Z])\*?", text)
    if m:
        return [f"{m.group(1)} {x}" for x in _letters(m.group(2), m.group(3))]
    parts = [p.strip() for p in text.split(" / ")]
    # wildcards such as "Bankruptcy: *" are prefix rules, applied in code (fundgap.normalise.stages)
    parts = [p for p in parts if p and not re.search(r"[\s:\-]\*$", p)]
    parts = [p.rstrip("*").strip() for p in parts]
    # "Series A / A1 / A-2": bare suffix forms inherit the word "Series"
    if parts and parts[0].lower().startswith("series "):
        parts = [f"Series {p}" if re.fullmatch(r"[A-Z]-?\d+", p) else p for p in parts]
    return parts


def _canonical_terms(cell: str) -> list[str]:
    """Canonical stages named in a canonical_stage cell ('series_a / series_b', 'seed (flag angel)')."""
    parts = [p.strip() for p in cell.split(" / ")]
    out = []
    for p in parts:
        head = re.split(r"[\s(]", p, maxsplit=1)[0]
        out.append(PROPOSAL_TERMS.get(head))
    return out


def build_stage_crosswalk() -> pd.DataFrame:
    raw = pd.read_csv(RAW / "stage_mapping.csv", dtype=str, keep_default_na=False)
    rows: list[tuple[str, str, str, str]] = []
    for _, r in raw.iterrows():  # 63 rows of a small proposal table, not data
        taxonomy = TAXONOMY_OF.get(r["source_taxonomy"])
        if taxonomy is None:
            continue  # fund strategies and aggregate statistics: not round labels
        labels = _expand_labels(r["raw_value"])
        terms = _canonical_terms(r["canonical_stage"])
        if len(terms) == len(labels):
            pairs = list(zip(labels, terms))
        elif len(terms) >= 1 and terms[0] is not None and all(t == terms[0] for t in terms):
            pairs = [(lab, terms[0]) for lab in labels]
        elif len(set(terms) - {None}) == 1:
            pairs = [(lab, next(t for t in terms if t)) for lab in labels]
        else:
            pairs = []  # ambiguous proposals are decided by EXPLICIT_RULES
        note = f"stage_mapping.csv: {r['source_taxonomy']} | {r['raw_value']} -> {r['canonical_stage']}"
        for lab, stage in pairs:
            if stage is not None:
                rows.append((taxonomy, lab, stage, note))
    for taxonomy, label, stage, note in EXPLICIT_RULES:
        rows.append((taxonomy, label, stage, ("rule: " + note) if note else "rule"))
    for stage in CANONICAL_STAGES:
        rows.append(("canonical", stage, stage, "canonical stage"))
    out = pd.DataFrame(rows, columns=["taxonomy", "label", "stage", "note"])
    out["label"] = label_key(out["label"])
    # explicit rules come last and win
    out = out.drop_duplicates(["taxonomy", "label"], keep="last")
    bad = ~out["stage"].isin(CANONICAL_STAGES)
    if bad.any():
        raise SystemExit(f"non-canonical stages in crosswalk: {out.loc[bad].to_dict('records')}")
    return out.sort_values(["taxonomy", "label"]).reset_index(drop=True)


# ------------------------------------------------------------------ main
def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    membership = build_membership()
    tables = {
        "fx_ecb_annual.csv": build_fx(),
        "us_cpi_u.csv": build_cpi(),
        "hicp.csv": build_hicp(),
        "gdp_usd.csv": build_gdp(membership),
        "eu_membership.csv": membership,
        "country_aliases.csv": build_aliases(),
        "stage_crosswalk.csv": build_stage_crosswalk(),
    }
    for name, table in tables.items():
        table.to_csv(OUT / name, index=False, lineterminator="\n")
        print(f"wrote {OUT / name}: {len(table)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
