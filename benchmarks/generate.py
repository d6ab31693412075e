"""Seeded generator of large SYNTHETIC exports in the real provider layouts.

Everything this module writes is synthetic: made up by a seeded random generator,
so that fundgap's loaders and models can be timed at 10^4 to 10^6 rows without a
licensed extract. Nothing here is real deal data. Every file name starts with
``SYNTHETIC_`` and the PitchBook-layout file says so in its banner rows.

Layouts (column names and order) follow
``/work/shared/data/reference/export_column_layouts.csv``:

* **PitchBook deal export (CSV)**: six banner rows above the header (the public
  loaders read it with ``skiprows=6``); ``Deal Size`` in USD millions with
  thousands commas (``1,250.00``); ``Deal Status`` (``Completed`` and others);
  ``Deal Type`` / ``Series`` / ``VC Round``; country *names* in
  ``Company Country/Territory/Region``; ``Primary Industry Sector/Group`` and
  ``Verticals``; dates like ``15-Mar-2021``.
* **Crunchbase funding-rounds CSV export (current)**: ``Money Raised`` (raw
  units of the round's currency), ``Money Raised Currency`` (ISO code),
  ``Money Raised (in USD)``, ``Funding Type``, ``Funding Stage``,
  ``Organization Location`` as "City, Region, Country, Continent",
  ``Organization Industries``; ISO dates.

* **Dealroom company export** (upper-case headers), one row per company with its rounds
  packed in ``EACH ROUND TYPE / AMOUNT / CURRENCY / DATE / INVESTORS``;
* **Preqin fund export** and **PitchBook fund export** (CSV; the PitchBook one with six
  banner rows);
* a **generic** hand-made rounds sheet with its own headers (:data:`GENERIC_COLUMNS` maps
  them for ``read_rounds(path, source="generic", columns=...)``);
* the **PitchBook deal export as XLSX** (``style="xlsx"``): sizes as numbers, dates as
  date cells, the banner rows above the header; the **Dealroom, Preqin, PitchBook fund and
  generic exports as XLSX** too (:func:`write_cells_xlsx`: the cells of the CSV, plain
  numbers as numbers, ISO dates as date cells, the PitchBook banner rows above the header).

Each JSON sidecar has ``records``: how many records fundgap must account for (kept plus
rejected): the rows, or for Dealroom the rounds of the rows that can be unpacked plus one
per row that cannot.

Two styles of the same synthetic deals (``style=``):

* ``"standard"``: as above, with the providers' own formatting;
* ``"excel"``: the export after a round trip through a spreadsheet, with the wider
  label sets of a worldwide extract: UTF-8 with a byte-order mark and CRLF line breaks
  (what Excel's "CSV UTF-8" writes); PitchBook without its banner rows, dates as
  ``3/15/2021``, ``Deal Size`` as plain decimals (``1250.50``); Crunchbase with every
  field quoted; ``HQ Location`` / ``Organization Location`` drawn from 20,000 synthetic
  cities (hundreds of thousands of distinct locations instead of a few dozen), and up to
  two more of 60 industry tags on each Crunchbase company (thousands of distinct
  ``Organization Industries`` lists). The rows, duplicates and amounts are those of
  ``"standard"``.

Realism: a mix of stages (seed to IPO, grants, debt, M&A), regions (US, EU-27,
UK, other Europe, China, Hong Kong, rest of world), currencies (Crunchbase),
undisclosed amounts (about a third), non-completed deals (PitchBook), and about
1.5% duplicates: 1% the same deal exported twice (identical row), 0.5% the same
company + date + amount under another id. Rows are sorted by date, newest first,
as the providers' exports are.

Usage::

    python benchmarks/generate.py pitchbook crunchbase --rows 10000 100000 1000000
    python benchmarks/generate.py canonical --rows 1000000
    python benchmarks/generate.py pitchbook crunchbase --rows 1000000 --style excel
    python benchmarks/generate.py dealroom preqin pitchbook_funds generic --rows 1e4 1e5 1e6
    python benchmarks/generate.py pitchbook --rows 10000 100000 --style xlsx
    python benchmarks/generate.py dealroom preqin pitchbook_funds generic --rows 1e4 1e5 --style xlsx

Files are cached under ``benchmarks/_data/`` (gitignored); a JSON sidecar beside
each file records what was generated (rows, duplicates, undisclosed ...).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "_data"

#: Bump when the generated content changes, so cached files are regenerated.
GENERATOR_VERSION = 2

#: File styles (see the module docstring).
STYLES = ("standard", "excel", "xlsx")

#: Number of banner rows above the header in the PitchBook-layout CSV.
PITCHBOOK_BANNER_ROWS = 6

#: PitchBook deal export columns, in the order of the reference layout.
PITCHBOOK_COLUMNS: tuple[str, ...] = (
    "Deal ID",
    "Companies",
    "Company ID",
    "Deal Date",
    "Announced Date",
    "Deal Size",
    "Deal Size Status",
    "Deal Type",
    "Deal Type 2",
    "Deal Type 3",
    "VC Round",
    "Series",
    "Primary Industry Sector",
    "Primary Industry Group",
    "Verticals",
    "Keywords",
    "Deal Status",
    "Current Financing Status",
    "HQ Location",
    "Company State/Province",
    "Company Country/Territory/Region",
    "HQ Global Region",
    "Year Founded",
    "Investors",
    "Lead/Sole Investors",
    "Pre-money Valuation",
    "Post Valuation",
    "Raised to Date",
)

#: Crunchbase funding-rounds export columns (current naming, "... (in USD)").
CRUNCHBASE_COLUMNS: tuple[str, ...] = (
    "Transaction Name",
    "Transaction Name URL",
    "Organization Name",
    "Organization Name URL",
    "Funding Type",
    "Money Raised",
    "Money Raised Currency",
    "Money Raised (in USD)",
    "Announced Date",
    "Funding Stage",
    "Organization Industries",
    "Organization Location",
    "Organization Description",
    "Organization Website",
    "Total Funding Amount",
    "Total Funding Amount Currency",
    "Total Funding Amount (in USD)",
    "Number of Funding Rounds",
    "Funding Status",
    "Organization Revenue Range",
    "Lead Investors",
    "Investor Names",
    "Number of Investors",
    "Pre-Money Valuation",
    "Pre-Money Valuation Currency",
    "Pre-Money Valuation (in USD)",
    "Equity Only Funding",
)

# --------------------------------------------------------------------------------------
# The synthetic world: countries, sectors, stages. Weights are rough shares of deal
# counts chosen to look like a global VC database; they are NOT measured from any
# provider and must not be read as facts.
# --------------------------------------------------------------------------------------

# (PitchBook name, Crunchbase name, ISO2, continent, PitchBook global region, weight,
#  [(city, state/region, PitchBook HQ suffix)], local currency, share of rounds in local currency)
_COUNTRIES: list[tuple] = [
    ("United States", "United States", "US", "North America", "Americas", 42.0,
     [("San Francisco", "California", "CA"), ("Boston", "Massachusetts", "MA"),
      ("Cambridge", "Massachusetts", "MA"), ("New York", "New York", "NY"),
      ("San Diego", "California", "CA"), ("Austin", "Texas", "TX")], "USD", 1.0),
    ("United Kingdom", "United Kingdom", "GB", "Europe", "Europe", 6.0,
     [("London", "England", ""), ("Cambridge", "England", ""), ("Oxford", "England", ""),
      ("Edinburgh", "Scotland", "")], "GBP", 0.7),
    ("Germany", "Germany", "DE", "Europe", "Europe", 3.5,
     [("Berlin", "Berlin", ""), ("Munich", "Bayern", ""), ("Heidelberg", "Baden-Wurttemberg", "")],
     "EUR", 0.8),
    ("France", "France", "FR", "Europe", "Europe", 3.5,
     [("Paris", "Ile-de-France", ""), ("Lyon", "Auvergne-Rhone-Alpes", "")], "EUR", 0.8),
    ("Netherlands", "The Netherlands", "NL", "Europe", "Europe", 1.2,
     [("Amsterdam", "Noord-Holland", ""), ("Leiden", "Zuid-Holland", "")], "EUR", 0.8),
    ("Spain", "Spain", "ES", "Europe", "Europe", 1.3,
     [("Madrid", "Comunidad de Madrid", ""), ("Barcelona", "Catalonia", "")], "EUR", 0.8),
    ("Sweden", "Sweden", "SE", "Europe", "Europe", 1.1,
     [("Stockholm", "Stockholms Lan", ""), ("Gothenburg", "Vastra Gotalands Lan", "")],
     "SEK", 0.6),
    ("Denmark", "Denmark", "DK", "Europe", "Europe", 0.7,
     [("Copenhagen", "Hovedstaden", "")], "DKK", 0.5),
    ("Belgium", "Belgium", "BE", "Europe", "Europe", 0.6,
     [("Ghent", "Oost-Vlaanderen", ""), ("Brussels", "Brussels", "")], "EUR", 0.8),
    ("Ireland", "Ireland", "IE", "Europe", "Europe", 0.5, [("Dublin", "Dublin", "")], "EUR", 0.8),
    ("Italy", "Italy", "IT", "Europe", "Europe", 0.7, [("Milan", "Lombardia", "")], "EUR", 0.8),
    ("Finland", "Finland", "FI", "Europe", "Europe", 0.5, [("Helsinki", "Southern Finland", "")],
     "EUR", 0.8),
    ("Austria", "Austria", "AT", "Europe", "Europe", 0.4, [("Vienna", "Wien", "")], "EUR", 0.8),
    ("Poland", "Poland", "PL", "Europe", "Europe", 0.4,
     [("Warsaw", "Mazowieckie", ""), ("Wrocław", "Dolnośląskie", "")], "PLN", 0.5),
    ("Portugal", "Portugal", "PT", "Europe", "Europe", 0.3, [("Lisbon", "Lisboa", "")], "EUR", 0.8),
    ("Estonia", "Estonia", "EE", "Europe", "Europe", 0.2, [("Tallinn", "Harjumaa", "")], "EUR", 0.8),
    ("Czech Republic", "Czech Republic", "CZ", "Europe", "Europe", 0.2, [("Prague", "Praha", "")],
     "CZK", 0.4),
    ("Luxembourg", "Luxembourg", "LU", "Europe", "Europe", 0.1,
     [("Luxembourg", "Luxembourg", "")], "EUR", 0.8),
    ("Switzerland", "Switzerland", "CH", "Europe", "Europe", 1.2,
     [("Zürich", "Zurich", ""), ("Basel", "Basel-Stadt", ""), ("Lausanne", "Vaud", "")], "CHF", 0.6),
    ("Norway", "Norway", "NO", "Europe", "Europe", 0.5, [("Oslo", "Oslo", "")], "NOK", 0.6),
    ("Israel", "Israel", "IL", "Asia", "Middle East", 2.0, [("Tel Aviv", "Tel Aviv", "")], "ILS", 0.1),
    ("China", "China", "CN", "Asia", "Asia", 8.0,
     [("Beijing", "Beijing", ""), ("Shanghai", "Shanghai", ""), ("Shenzhen", "Guangdong", ""),
      ("Suzhou", "Jiangsu", "")], "CNY", 0.7),
    ("Hong Kong", "Hong Kong", "HK", "Asia", "Asia", 1.0, [("Hong Kong", "Hong Kong Island", "")],
     "HKD", 0.4),
    ("Japan", "Japan", "JP", "Asia", "Asia", 2.0, [("Tokyo", "Tokyo", "")], "JPY", 0.9),
    ("South Korea", "South Korea", "KR", "Asia", "Asia", 2.0, [("Seoul", "Seoul-t'ukpyolsi", "")],
     "KRW", 0.9),
    ("India", "India", "IN", "Asia", "Asia", 3.0,
     [("Bangalore", "Karnataka", ""), ("Mumbai", "Maharashtra", "")], "INR", 0.6),
    ("Singapore", "Singapore", "SG", "Asia", "Asia", 1.5, [("Singapore", "Central Region", "")],
     "SGD", 0.3),
    ("Canada", "Canada", "CA", "North America", "Americas", 3.0,
     [("Toronto", "Ontario", "ON"), ("Montreal", "Quebec", "QC"), ("Vancouver", "British Columbia", "BC")],
     "CAD", 0.5),
    ("Australia", "Australia", "AU", "Oceania", "Oceania", 1.5,
     [("Sydney", "New South Wales", ""), ("Melbourne", "Victoria", "")], "AUD", 0.6),
    ("Brazil", "Brazil", "BR", "South America", "Americas", 1.0, [("Sao Paulo", "Sao Paulo", "")],
     "BRL", 0.5),
]

# Rough synthetic conversion rates, units of currency per USD (constant over time: the
# synthetic "(in USD)" column only has to be plausible, not historical).
_UNITS_PER_USD = {
    "USD": 1.0, "EUR": 0.9, "GBP": 0.78, "SEK": 10.0, "DKK": 6.8, "PLN": 4.0, "CZK": 22.5,
    "CHF": 0.92, "NOK": 10.0, "ILS": 3.6, "CNY": 6.9, "HKD": 7.8, "JPY": 130.0, "KRW": 1250.0,
    "INR": 80.0, "SGD": 1.35, "CAD": 1.3, "AUD": 1.45, "BRL": 5.0,
}

# sector -> (weight, [industry groups], [verticals], [Crunchbase industry strings], biotech share
# of the groups listed first)
_SECTORS: list[tuple] = [
    ("Healthcare", 20.0,
     [("Pharmaceuticals and Biotechnology", 0.45), ("Healthcare Devices and Supplies", 0.25),
      ("Healthcare Technology Systems", 0.15), ("Healthcare Services", 0.15)],
     ["Life Sciences", "Oncology", "HealthTech", "Digital Health", "Synthetic Biology",
      "Artificial Intelligence & Machine Learning"],
     {"Pharmaceuticals and Biotechnology": ["Biotechnology, Health Care, Pharmaceutical",
                                            "Biotechnology, Genetics, Life Science",
                                            "Biopharma, Biotechnology, Health Care",
                                            "Biotechnology, Medical, Therapeutics"],
      "Healthcare Devices and Supplies": ["Health Care, Medical Device",
                                          "Medical Device, Biotechnology, Health Care"],
      "Healthcare Technology Systems": ["Health Care, Software, Health Diagnostics",
                                        "Health Care, Artificial Intelligence (AI), Machine Learning"],
      "Healthcare Services": ["Health Care, Hospital, Wellness", "Health Care, Home Health Care"]}),
    ("Information Technology", 35.0,
     [("Software", 0.7), ("Communications and Networking", 0.1), ("Semiconductors", 0.1),
      ("IT Services", 0.1)],
     ["SaaS", "Artificial Intelligence & Machine Learning", "Cybersecurity", "Big Data", "Mobile"],
     {"Software": ["Software, SaaS, Enterprise Software",
                   "Artificial Intelligence (AI), Machine Learning, Software",
                   "Cyber Security, Network Security, Software"],
      "Communications and Networking": ["Telecommunications, Wireless"],
      "Semiconductors": ["Semiconductor, Electronics, Hardware"],
      "IT Services": ["Information Technology, Consulting"]}),
    ("B2C", 15.0,
     [("Consumer Non-Durables", 0.3), ("Retail", 0.3), ("Media", 0.4)],
     ["E-Commerce", "Mobile", "Gaming", "FoodTech"],
     {"Consumer Non-Durables": ["Consumer Goods, Food and Beverage"],
      "Retail": ["E-Commerce, Retail, Marketplace"],
      "Media": ["Media and Entertainment, Video, Gaming"]}),
    ("B2B", 15.0,
     [("Commercial Services", 0.5), ("Commercial Products", 0.2), ("Transportation", 0.3)],
     ["Supply Chain Tech", "Mobility Tech", "Industrials", "Manufacturing"],
     {"Commercial Services": ["Business Development, Consulting, Human Resources"],
      "Commercial Products": ["Manufacturing, Industrial, Robotics"],
      "Transportation": ["Logistics, Transportation, Delivery"]}),
    ("Financial Services", 7.0,
     [("Other Financial Services", 0.6), ("Insurance", 0.2), ("Capital Markets/Institutions", 0.2)],
     ["FinTech", "InsurTech"],
     {"Other Financial Services": ["FinTech, Financial Services, Payments"],
      "Insurance": ["Insurance, InsurTech"],
      "Capital Markets/Institutions": ["Banking, Financial Services"]}),
    ("Energy", 4.0,
     [("Energy Services", 0.5), ("Energy Equipment", 0.5)],
     ["CleanTech", "Climate Tech"],
     {"Energy Services": ["Clean Energy, Renewable Energy, Energy"],
      "Energy Equipment": ["Battery, Energy Storage, CleanTech"]}),
    ("Materials and Resources", 4.0,
     [("Agriculture", 0.5), ("Chemicals and Gases", 0.5)],
     ["AgTech", "Industrial Biotechnology", "Advanced Manufacturing"],
     {"Agriculture": ["AgTech, Agriculture, Biotechnology"],
      "Chemicals and Gases": ["Chemical, Industrial Biotechnology"]}),
]

# PitchBook deal types: (Deal Type, weight, stage kind, median USD m, sigma)
_PB_DEAL_TYPES: list[tuple] = [
    ("Seed Round", 22.0, "seed", 1.5, 1.0),
    ("Early Stage VC", 22.0, "early", 9.0, 1.0),
    ("Later Stage VC", 16.0, "later", 30.0, 1.1),
    ("Angel (individual)", 8.0, "angel", 0.5, 1.0),
    ("Accelerator/Incubator", 4.0, "accel", 0.12, 0.8),
    ("Grant", 5.0, "grant", 0.6, 1.2),
    ("Debt - General", 4.0, "debt", 5.0, 1.3),
    ("Convertible Debt", 2.0, "debt", 2.0, 1.2),
    ("PE Growth/Expansion", 3.0, "pe", 40.0, 1.2),
    ("Corporate", 2.0, "other", 10.0, 1.2),
    ("IPO", 1.0, "ipo", 120.0, 1.0),
    ("Equity Crowdfunding", 2.0, "other", 0.8, 1.0),
    ("Product Crowdfunding", 0.5, "other", 0.1, 1.0),
    ("Restart - Later VC", 0.5, "later", 15.0, 1.0),
    ("Secondary Transaction - Private", 1.0, "other", 20.0, 1.2),
    ("Merger/Acquisition", 3.0, "other", 60.0, 1.5),
    ("Buyout/LBO", 1.0, "other", 150.0, 1.3),
    ("Joint Venture", 0.5, "other", 10.0, 1.2),
    ("Debt Refinancing", 0.5, "debt", 30.0, 1.2),
    ("PIPE", 0.5, "ipo", 25.0, 1.0),
    ("Public Investment 2nd Offering", 0.5, "ipo", 60.0, 1.0),
    ("Reverse Merger", 0.2, "ipo", 15.0, 1.0),
]
# Series labels by stage kind: (label or "" for blank, weight)
_PB_SERIES = {
    "seed": [("Seed", 0.55), ("Series Seed", 0.05), ("", 0.4)],
    "angel": [("Angel", 0.2), ("", 0.8)],
    "early": [("Series A", 0.4), ("Series A1", 0.04), ("Series A-2", 0.02), ("Series B", 0.28),
              ("Series B1", 0.03), ("", 0.23)],
    "later": [("Series C", 0.27), ("Series C1", 0.02), ("Series D", 0.14), ("Series E", 0.07),
              ("Series F", 0.03), ("Series G", 0.01), ("Series B", 0.08), ("", 0.38)],
}
_PB_VC_ROUNDS = {
    "accel": ([1, 2], [0.8, 0.2]),
    "angel": ([1, 2], [0.7, 0.3]),
    "seed": ([1, 2, 3], [0.6, 0.3, 0.1]),
    "early": ([1, 2, 3, 4], [0.2, 0.45, 0.25, 0.1]),
    "later": ([3, 4, 5, 6, 7, 8, 9, 10], [0.25, 0.25, 0.18, 0.12, 0.08, 0.06, 0.04, 0.02]),
}
_PB_STATUS = [("Completed", 0.93), ("Announced/In Progress", 0.04), ("Failed/Cancelled", 0.03)]
_PB_FIN_STATUS = [
    "Venture Capital-Backed", "Angel-Backed", "Accelerator/Incubator Backed",
    "Corporate Backed or Acquired", "Private Equity-Backed", "Formerly VC-backed",
]

# Crunchbase funding types: (Funding Type, Transaction Name prefix, weight, Funding Stage,
# median USD m, sigma)
_CB_TYPES: list[tuple] = [
    ("Pre-Seed", "Pre Seed Round", 6.0, "Seed", 0.3, 0.9),
    ("Seed", "Seed Round", 24.0, "Seed", 1.5, 1.0),
    ("Angel", "Angel Round", 5.0, "Seed", 0.5, 1.0),
    ("Series A", "Series A", 11.0, "Early Stage Venture", 8.0, 0.9),
    ("Series B", "Series B", 6.0, "Early Stage Venture", 22.0, 0.9),
    ("Series C", "Series C", 3.0, "Late Stage Venture", 45.0, 0.9),
    ("Series D", "Series D", 1.2, "Late Stage Venture", 70.0, 0.9),
    ("Series E", "Series E", 0.5, "Late Stage Venture", 100.0, 0.9),
    ("Series F", "Series F", 0.2, "Late Stage Venture", 150.0, 0.9),
    ("Series G", "Series G", 0.1, "Late Stage Venture", 200.0, 0.9),
    ("Venture - Series Unknown", "Venture Round", 10.0, "", 5.0, 1.3),
    ("Corporate Round", "Corporate Round", 2.0, "", 5.0, 1.2),
    ("Private Equity", "Private Equity Round", 2.0, "Private Equity", 40.0, 1.2),
    ("Convertible Note", "Convertible Note", 3.0, "Seed", 1.0, 1.1),
    ("Debt Financing", "Debt Financing", 6.0, "", 5.0, 1.4),
    ("Grant", "Grant", 5.0, "", 0.5, 1.2),
    ("Non-equity Assistance", "Non Equity Assistance", 1.0, "", 0.1, 1.0),
    ("Equity Crowdfunding", "Equity Crowdfunding", 2.0, "", 0.8, 1.0),
    ("Product Crowdfunding", "Product Crowdfunding", 0.5, "", 0.1, 1.0),
    ("Initial Coin Offering", "Initial Coin Offering", 0.3, "", 10.0, 1.5),
    ("Post-IPO Equity", "Post-IPO Equity", 1.5, "", 60.0, 1.2),
    ("Post-IPO Debt", "Post-IPO Debt", 0.5, "", 80.0, 1.2),
    ("Post-IPO Secondary", "Post-IPO Secondary", 0.3, "", 40.0, 1.2),
    ("Secondary Market", "Secondary Market", 0.4, "", 20.0, 1.2),
    ("Undisclosed", "Funding Round", 3.0, "", 3.0, 1.3),
]
_CB_FUNDING_STATUS = ["Seed", "Early Stage Venture", "Late Stage Venture", "Private Equity",
                      "M&A", "IPO"]
_CB_REVENUE = ["", "Less than $1M", "$1M to $10M", "$10M to $50M", "$50M to $100M",
               "$100M to $500M"]

_NAME_A = np.array(
    ["Al", "Bio", "Cel", "Dyn", "Evo", "Gen", "Hel", "Imm", "Kin", "Lum", "Myo", "Neo", "Om",
     "Pro", "Qu", "Rhe", "Syn", "Tar", "Uni", "Ver", "Xen", "Zy", "Ax", "Cor", "Nov", "Vir",
     "Ther", "Onc", "Pep", "Gly", "Neu", "Car", "Sol", "Ter", "Aur", "Vec", "Sig", "Mer", "Lyr",
     "Ost"])
_NAME_B = np.array(
    ["ara", "ion", "ica", "ora", "ex", "ix", "yx", "ant", "ent", "ium", "os", "eon", "ava", "ero",
     "ida", "ova", "yne", "ath", "elle", "ius", "ane", "ino", "ola", "una", "ado", "ema", "ith",
     "oro", "usa", "eda", "ari", "on", "ax", "ire", "ova", "imo", "arn", "ell", "ud", "ys"])
_NAME_C = np.array(
    [" Therapeutics", " Biosciences", " Bio", " Pharma", " Labs", " Technologies", " Health",
     " Medical", "", "", " AI", " Systems", " Robotics", " Energy", " Analytics", " Genomics",
     " Diagnostics", " Software", " Networks", " Foods"])
_INVESTOR_A = np.array(
    ["Atlas", "Beacon", "Cedar", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper",
     "Kestrel", "Lattice", "Meridian", "North Star", "Orchid", "Pioneer", "Quarry", "Ridge",
     "Summit", "Tidal", "Umbra", "Vanguard", "Willow", "Yarrow", "Zenith", "Aurora", "Basalt",
     "Coral", "Driftwood", "Evergreen"])
_INVESTOR_B = np.array(
    [" Ventures", " Capital", " Partners", " Life Sciences", " Bio Fund", " Growth", " Investments",
     " Angels", " Venture Partners", " Holdings"])


_CITY_A = np.array(["Al", "Ber", "Cas", "Dor", "El", "Fal", "Gran", "Hal", "Is", "Jor", "Kel",
                    "Lin", "Mar", "Nor", "Ost", "Pal", "Quen", "Ros", "San", "Tor", "Ul", "Val",
                    "Wes", "Yar", "Zel"])
_CITY_B = np.array(["a", "e", "i", "o", "u", "ar", "en", "is", "or", "um", "ia", "ey", "ow",
                    "an", "el", "in", "on", "ur", "ys", "ea"])
_CITY_C = np.array(["burg", "ton", "ville", "stad", "field", "haven", "mouth", "dorf", "grad",
                    "polis", "port", "ford", "heim", "bridge", "dale", "mont", "wick", "by",
                    "holm", "minster"])
_INDUSTRY_TAGS = np.array([
    "Analytics", "Apps", "B2B", "Big Data", "Cloud Computing", "Consumer", "Data Center",
    "Developer Tools", "E-Learning", "Electronics", "Enterprise", "Events", "Fashion", "Fitness",
    "Gaming", "Government", "Hardware", "Hospitality", "Internet", "IT Management", "Legal",
    "Logistics", "Manufacturing", "Marketing", "Media", "Mobile", "Music", "Nanotechnology",
    "Non Profit", "Open Source", "Outsourcing", "Payments", "Photography", "Real Estate",
    "Recruiting", "Retail", "Robotics", "Sales", "Security", "Sensor", "Smart Cities",
    "Social Media", "Sports", "Sustainability", "Telecommunications", "Travel", "Video",
    "Virtual Reality", "Water", "Wearables", "Wellness", "Wine", "3D Printing", "Aerospace",
    "Agriculture", "Air Transportation", "Automotive", "Battery", "Blockchain", "Chemical"])


def _city_names(rng: np.random.Generator, k: int) -> np.ndarray:
    """``k`` distinct SYNTHETIC city names ("Bereton", "Valiaholm" ...)."""
    names = np.char.add(np.char.add(_CITY_A[rng.integers(0, len(_CITY_A), 4 * k)],
                                    _CITY_B[rng.integers(0, len(_CITY_B), 4 * k)]),
                        _CITY_C[rng.integers(0, len(_CITY_C), 4 * k)])
    names = pd.unique(names)[:k]
    return np.array(names, dtype=object)


def _wide_cities(seed: int, company: np.ndarray, k: int = 20_000):
    """The ``"excel"`` style's city of each row: one of ``k`` synthetic cities per company
    (drawn from a generator of its own, so the rows stay those of ``"standard"``)."""
    rng = np.random.default_rng([seed, 9])
    pool = _city_names(rng, k)
    city_of_company = rng.integers(0, len(pool), int(company.max()) + 1 if len(company) else 1)
    return pool[city_of_company[company]]


def _choice(rng: np.random.Generator, n: int, weights) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _fmt_unique(values: np.ndarray, fmt) -> np.ndarray:
    """Format values through their unique set (map unique values once, then broadcast)."""
    uniq, inv = np.unique(values, return_inverse=True)
    out = np.array([fmt(v) for v in uniq.tolist()], dtype=object)
    return out[inv.reshape(-1)]


def _fmt_millions(x: np.ndarray, commas: bool = True) -> np.ndarray:
    """USD millions with two decimals and thousands commas, '' for NaN ("1,250.00");
    without the commas if ``commas`` is False ("1250.00")."""
    out = np.full(len(x), "", dtype=object)
    ok = ~np.isnan(x)
    cents = np.round(x[ok] * 100).astype(np.int64)
    out[ok] = _fmt_unique(cents, (lambda c: f"{c / 100:,.2f}") if commas else
                          (lambda c: f"{c / 100:.2f}"))
    return out


def _dates(rng: np.random.Generator, n: int, first: int = 2000, last: int = 2025) -> np.ndarray:
    """Deal dates as datetime64[D], more deals in later years, peaking in 2021."""
    years = np.arange(first, last + 1)
    w = np.interp(years, [2000, 2008, 2014, 2021, 2022, 2025], [1.0, 2.0, 3.5, 8.0, 6.0, 4.5])
    y = years[_choice(rng, n, w)]
    start = (y - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    days_in_year = np.where((y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0)), 366, 365)
    # the last year is partial (up to the end of September)
    days_in_year = np.where(y == last, 273, days_in_year)
    return start + (rng.random(n) * days_in_year).astype("timedelta64[D]")


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    a = _NAME_A[rng.integers(0, len(_NAME_A), n)]
    b = _NAME_B[rng.integers(0, len(_NAME_B), n)]
    b2 = _NAME_B[rng.integers(0, len(_NAME_B), n)]
    c = _NAME_C[rng.integers(0, len(_NAME_C), n)]
    long_ = rng.random(n) < 0.5
    stem = np.where(long_, np.char.add(np.char.add(a, b), b2), np.char.add(a, b))
    return np.char.add(stem, c).astype(object)


def _investor_pool(rng: np.random.Generator, size: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """Pool of investor-list strings ('A (Lead), B, C') and their lead investor."""
    names = np.char.add(_INVESTOR_A[rng.integers(0, len(_INVESTOR_A), 600)],
                        _INVESTOR_B[rng.integers(0, len(_INVESTOR_B), 600)])
    names = np.unique(names)
    lists, leads = [], []
    for _ in range(size):  # small fixed pool, not per row
        k = int(rng.integers(1, 6))
        chosen = rng.choice(names, size=min(k, len(names)), replace=False).tolist()
        lead = chosen[0]
        lists.append(", ".join([f"{lead} (Lead)"] + chosen[1:]))
        leads.append(lead)
    return np.array(lists, dtype=object), np.array(leads, dtype=object)


def _companies(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """A synthetic company universe with country, city, sector, industry group."""
    cw = [c[5] for c in _COUNTRIES]
    ci = _choice(rng, n, cw)
    city_idx = (rng.random(n) * np.array([len(c[6]) for c in _COUNTRIES])[ci]).astype(int)
    si = _choice(rng, n, [s[1] for s in _SECTORS])
    group = np.empty(n, dtype=object)
    verticals = np.empty(n, dtype=object)
    cb_ind = np.empty(n, dtype=object)
    for k, (_, _, groups, verts, cbmap) in enumerate(_SECTORS):
        m = np.flatnonzero(si == k)
        if len(m) == 0:
            continue
        gi = _choice(rng, len(m), [g[1] for g in groups])
        gnames = np.array([g[0] for g in groups], dtype=object)
        group[m] = gnames[gi]
        # verticals: one or two tags, empty for a quarter of companies
        v1 = np.array(verts, dtype=object)[rng.integers(0, len(verts), len(m))]
        v2 = np.array(verts, dtype=object)[rng.integers(0, len(verts), len(m))]
        two = (rng.random(len(m)) < 0.4) & (v1 != v2)
        vv = np.where(two, v1 + ", " + v2, v1)
        vv = np.where(rng.random(len(m)) < 0.25, "", vv)
        if k == 0:  # biotech groups usually carry "Life Sciences"
            bio = gnames[gi] == "Pharmaceuticals and Biotechnology"
            vv = np.where(bio & (rng.random(len(m)) < 0.8), "Life Sciences, Oncology", vv)
        verticals[m] = vv
        for gname in np.unique(gnames[gi]):
            mm = m[gnames[gi] == gname]
            opts = np.array(cbmap[gname], dtype=object)
            cb_ind[mm] = opts[rng.integers(0, len(opts), len(mm))]
    names = _names(rng, n)
    founded = rng.integers(1995, 2024, n)
    ids = rng.choice(90_000_000, size=n, replace=False) + 10_000_000
    return pd.DataFrame({
        "name": names, "id": ids, "country": ci, "city": city_idx, "sector": si,
        "group": group, "verticals": verticals, "cb_industries": cb_ind, "founded": founded,
    })


def _lognormal(rng, n, median, sigma):
    return np.exp(np.log(median) + sigma * rng.standard_normal(n))


def _duplicate_plan(rng: np.random.Generator, n: int, exact: float = 0.01, fuzzy: float = 0.005):
    """Indices of base rows and which output rows are exact / company+date+amount copies."""
    n_exact = int(round(n * exact))
    n_fuzzy = int(round(n * fuzzy))
    n_base = n - n_exact - n_fuzzy
    src_exact = rng.choice(n_base, size=n_exact, replace=False)
    src_fuzzy = rng.choice(n_base, size=n_fuzzy, replace=False)
    return n_base, src_exact, src_fuzzy


def pitchbook_frame(n: int, seed: int = 0, style: str = "standard") -> tuple[pd.DataFrame, dict]:
    """A SYNTHETIC PitchBook-layout deal table of ``n`` rows (all cells as text).

    ``style="excel"`` formats dates and sizes as a spreadsheet writes them and draws the
    HQ location from 20,000 synthetic cities (module docstring).

    Returns the frame (columns :data:`PITCHBOOK_COLUMNS`) and a dict of what was
    generated (duplicates, non-completed deals, undisclosed amounts).
    """
    rng = np.random.default_rng([seed, 1])
    n_base, src_exact, src_fuzzy = _duplicate_plan(rng, n)
    comp = _companies(rng, max(50, n_base // 3))
    ci = rng.integers(0, len(comp), n_base)
    c = comp.iloc[ci].reset_index(drop=True)

    ti = _choice(rng, n_base, [t[1] for t in _PB_DEAL_TYPES])
    types = np.array([t[0] for t in _PB_DEAL_TYPES], dtype=object)
    kinds = np.array([t[2] for t in _PB_DEAL_TYPES], dtype=object)[ti]
    med = np.array([t[3] for t in _PB_DEAL_TYPES])[ti]
    sig = np.array([t[4] for t in _PB_DEAL_TYPES])[ti]
    size = np.exp(np.log(med) + sig * rng.standard_normal(n_base))
    # bigger rounds in the US and China, a little smaller in Europe (synthetic tilt)
    iso = np.array([x[2] for x in _COUNTRIES])[c["country"].to_numpy()]
    size *= np.where(np.isin(iso, ["US", "CN"]), 1.3, 1.0)
    undisclosed = rng.random(n_base) < np.where(np.isin(kinds, ["angel", "accel", "other"]), 0.6, 0.3)
    size[undisclosed] = np.nan

    series = np.full(n_base, "", dtype=object)
    vc_round = np.full(n_base, "", dtype=object)
    for kind, opts in _PB_SERIES.items():
        m = np.flatnonzero(kinds == kind)
        labels = np.array([o[0] for o in opts], dtype=object)
        series[m] = labels[_choice(rng, len(m), [o[1] for o in opts])]
    ordinal = {1: "1st Round", 2: "2nd Round", 3: "3rd Round"}
    for kind, (vals, w) in _PB_VC_ROUNDS.items():
        m = np.flatnonzero(kinds == kind)
        labels = np.array([ordinal.get(v, f"{v}th Round") for v in vals], dtype=object)
        vc_round[m] = labels[_choice(rng, len(m), w)]

    date = _dates(rng, n_base)
    year = date.astype("datetime64[Y]").astype(int) + 1970
    ann_missing = rng.random(n_base) < 0.6
    ann = date - rng.integers(0, 90, n_base).astype("timedelta64[D]")
    if style == "excel":  # month/day/year without leading zeros, as Excel (US) writes
        fmt_date = lambda d: (lambda t: f"{t.month}/{t.day}/{t.year}")(pd.Timestamp(d))  # noqa: E731
    else:
        fmt_date = lambda d: pd.Timestamp(d).strftime("%d-%b-%Y")  # noqa: E731
    deal_date = _fmt_unique(date, fmt_date)
    ann_date = _fmt_unique(ann, fmt_date)
    ann_date[ann_missing] = ""

    status = np.array([s[0] for s in _PB_STATUS], dtype=object)[
        _choice(rng, n_base, [s[1] for s in _PB_STATUS])]
    size_status = np.where(np.isnan(size), "",
                           np.where(rng.random(n_base) < 0.85, "Actual", "Estimated")).astype(object)

    dt2 = np.full(n_base, "", dtype=object)
    m = rng.random(n_base) < 0.04
    dt2[m] = np.array(["Convertible Debt", "Corporate", "Debt - General"], dtype=object)[
        rng.integers(0, 3, int(m.sum()))]
    dt3 = np.full(n_base, "", dtype=object)

    inv_lists, inv_leads = _investor_pool(rng)
    ii = rng.integers(0, len(inv_lists), n_base)
    no_inv = rng.random(n_base) < 0.15
    investors = np.where(no_inv, "", inv_lists[ii]).astype(object)
    leads = np.where(no_inv, "", inv_leads[ii]).astype(object)

    has_val = (~np.isnan(size)) & (rng.random(n_base) < 0.2)
    pre = np.where(has_val, size * rng.uniform(2.0, 6.0, n_base), np.nan)
    post = np.where(has_val, pre + size, np.nan)
    raised = np.where(rng.random(n_base) < 0.7,
                      np.nan_to_num(size) * rng.uniform(1.0, 4.0, n_base) + 0.5, np.nan)

    country = c["country"].to_numpy()
    pb_country = np.array([x[0] for x in _COUNTRIES], dtype=object)[country]
    # HQ Location: "City, ST" in North America, "City, Country" elsewhere; state column
    city_tab = {(k, j): x for k, co in enumerate(_COUNTRIES) for j, x in enumerate(co[6])}
    keys = country * 100 + c["city"].to_numpy()
    hq = _fmt_unique(keys, lambda kk: (lambda cc, j: (
        f"{city_tab[(cc, j)][0]}, {city_tab[(cc, j)][2]}" if city_tab[(cc, j)][2]
        else f"{city_tab[(cc, j)][0]}, {_COUNTRIES[cc][0]}"))(kk // 100, kk % 100))
    state = _fmt_unique(keys, lambda kk: city_tab[(kk // 100, kk % 100)][1]
                        if _COUNTRIES[kk // 100][2] in ("US", "CA") else "")
    if style == "excel":
        city = _wide_cities(seed, ci)
        hq = (city + ", " + np.array([x[0] for x in _COUNTRIES], dtype=object)[country]).astype(object)
    glob = np.array([x[4] for x in _COUNTRIES], dtype=object)[country]
    sector = np.array([s[0] for s in _SECTORS], dtype=object)[c["sector"].to_numpy()]
    keywords = np.where(c["group"].to_numpy() == "Pharmaceuticals and Biotechnology",
                        "drug discovery, therapeutics", "")
    comp_id = c["id"].to_numpy()
    company_id = np.char.add(np.char.add((comp_id // 100).astype(str), "-"),
                             np.char.zfill((comp_id % 100).astype(str), 2)).astype(object)
    deal_num = rng.choice(9_000_000, size=n_base, replace=False) + 1_000_000
    deal_id = np.char.add(np.char.add(np.char.add((deal_num // 100).astype(str), "-"),
                                      np.char.zfill((deal_num % 100).astype(str), 2)), "T")
    yf = np.minimum(c["founded"].to_numpy(), year)

    frame = pd.DataFrame({
        "Deal ID": deal_id.astype(object),
        "Companies": c["name"].to_numpy(),
        "Company ID": company_id,
        "Deal Date": deal_date,
        "Announced Date": ann_date,
        "Deal Size": _fmt_millions(size, commas=style != "excel"),
        "Deal Size Status": size_status,
        "Deal Type": types[ti],
        "Deal Type 2": dt2,
        "Deal Type 3": dt3,
        "VC Round": vc_round,
        "Series": series,
        "Primary Industry Sector": sector,
        "Primary Industry Group": c["group"].to_numpy(),
        "Verticals": c["verticals"].to_numpy(),
        "Keywords": keywords.astype(object),
        "Deal Status": status,
        "Current Financing Status": np.array(_PB_FIN_STATUS, dtype=object)[
            rng.integers(0, len(_PB_FIN_STATUS), n_base)],
        "HQ Location": hq,
        "Company State/Province": state,
        "Company Country/Territory/Region": pb_country,
        "HQ Global Region": glob,
        "Year Founded": yf.astype(str).astype(object),
        "Investors": investors,
        "Lead/Sole Investors": leads,
        "Pre-money Valuation": _fmt_millions(pre),
        "Post Valuation": _fmt_millions(post),
        "Raised to Date": _fmt_millions(raised),
    })
    frame, info = _add_duplicates(frame, rng, src_exact, src_fuzzy, id_col="Deal ID",
                                  date_order=date, disclosed=~np.isnan(size),
                                  fuzzy_id=lambda k: np.char.add(np.char.add(
                                      ((k % 90_000_000) // 100 + 100_000).astype(str), "-"),
                                      np.char.add(np.char.zfill((k % 100).astype(str), 2), "T")))
    info.update(
        rows=len(frame),
        not_completed=int((frame["Deal Status"] != "Completed").sum()),
        undisclosed=int((frame["Deal Size"] == "").sum()),
    )
    return frame, info


def _add_duplicates(frame, rng, src_exact, src_fuzzy, *, id_col, date_order, disclosed, fuzzy_id):
    """Append exact copies and company+date+amount copies, then sort newest first."""
    exact = frame.iloc[src_exact]
    # fuzzy copies only make sense for disclosed amounts; undisclosed picks become exact copies
    src_fuzzy = np.asarray(src_fuzzy)
    fz = src_fuzzy[disclosed[src_fuzzy]]
    ex2 = src_fuzzy[~disclosed[src_fuzzy]]
    fuzzy = frame.iloc[fz].copy()
    new_ids = fuzzy_id(rng.integers(0, 2**40, len(fuzzy)))
    fuzzy[id_col] = np.asarray(new_ids).astype(object)
    more_exact = frame.iloc[ex2]
    out = pd.concat([frame, exact, more_exact, fuzzy], ignore_index=True)
    order_key = np.concatenate([date_order, date_order[src_exact], date_order[ex2],
                                date_order[fz]])
    # newest first; stable so that an original precedes its copies on the same date
    order = np.argsort(-order_key.astype("datetime64[D]").astype(np.int64), kind="stable")
    out = out.iloc[order].reset_index(drop=True)
    info = {"exact_duplicates": int(len(src_exact) + len(ex2)),
            "company_date_amount_duplicates": len(fz)}
    return out, info


def crunchbase_frame(n: int, seed: int = 0, style: str = "standard") -> tuple[pd.DataFrame, dict]:
    """A SYNTHETIC Crunchbase funding-rounds export of ``n`` rows (all cells as text).

    ``style="excel"`` draws the location from 20,000 synthetic cities and adds up to two of
    60 industry tags to each company (module docstring).
    """
    rng = np.random.default_rng([seed, 2])
    n_base, src_exact, src_fuzzy = _duplicate_plan(rng, n)
    comp = _companies(rng, max(50, n_base // 3))
    ci = rng.integers(0, len(comp), n_base)
    c = comp.iloc[ci].reset_index(drop=True)
    country = c["country"].to_numpy()

    ti = _choice(rng, n_base, [t[2] for t in _CB_TYPES])
    ftype = np.array([t[0] for t in _CB_TYPES], dtype=object)[ti]
    tprefix = np.array([t[1] for t in _CB_TYPES], dtype=object)[ti]
    fstage = np.array([t[3] for t in _CB_TYPES], dtype=object)[ti]
    # "Venture - Series Unknown" and corporate rounds: early or late where Crunchbase knows
    vu = np.isin(ftype, ["Venture - Series Unknown", "Corporate Round"])
    fstage = np.where(vu, np.array(["Early Stage Venture", "Late Stage Venture", ""], dtype=object)[
        _choice(rng, n_base, [0.5, 0.3, 0.2])], fstage)
    med = np.array([t[4] for t in _CB_TYPES])[ti]
    sig = np.array([t[5] for t in _CB_TYPES])[ti]
    usd_m = np.exp(np.log(med) + sig * rng.standard_normal(n_base))
    undisclosed = rng.random(n_base) < np.where(ftype == "Undisclosed", 0.9, 0.3)
    usd_m[undisclosed] = np.nan

    local_ccy = np.array([x[7] for x in _COUNTRIES], dtype=object)[country]
    local_share = np.array([x[8] for x in _COUNTRIES])[country]
    ccy = np.where(rng.random(n_base) < local_share, local_ccy, "USD").astype(object)
    rate = pd.Series(ccy).map(_UNITS_PER_USD).to_numpy(dtype=float)
    local_units = np.round(usd_m * rate * 1e6, -3)  # raw currency units, rounded to thousands
    usd_units = np.round(local_units / rate)
    # a few rounds carry the local amount but no USD conversion
    no_usd = (~np.isnan(usd_m)) & (rng.random(n_base) < 0.005)
    usd_units[no_usd] = np.nan
    money = _fmt_int(local_units)
    money_ccy = np.where(np.isnan(local_units), "", ccy).astype(object)
    money_usd = _fmt_int(usd_units)

    date = _dates(rng, n_base)
    ann = _fmt_unique(date, lambda d: str(d))

    names = c["name"].to_numpy()
    slug = _fmt_unique(names.astype(str), lambda s: s.lower().replace(" ", "-"))
    hexid = _hex8(rng, n_base)
    tslug = _fmt_unique(tprefix.astype(str), lambda s: s.lower().replace(" ", "-"))
    tx_name = tprefix + " - " + names
    tx_url = ("https://www.crunchbase.com/funding_round/" + slug + "-" + tslug + "--" + hexid)
    org_url = "https://www.crunchbase.com/organization/" + slug
    website = "https://www." + _fmt_unique(slug.astype(str), lambda s: s.replace("-", "")) + ".example"

    city_tab = {(k, j): x for k, co in enumerate(_COUNTRIES) for j, x in enumerate(co[6])}
    keys = country * 100 + c["city"].to_numpy()
    loc = _fmt_unique(keys, lambda kk: ", ".join([
        city_tab[(kk // 100, kk % 100)][0], city_tab[(kk // 100, kk % 100)][1],
        _COUNTRIES[kk // 100][1], _COUNTRIES[kk // 100][3]]))
    industries = c["cb_industries"].to_numpy()
    if style == "excel":
        city = _wide_cities(seed, ci)
        name = np.array([x[1] for x in _COUNTRIES], dtype=object)[country]
        cont = np.array([x[3] for x in _COUNTRIES], dtype=object)[country]
        loc = (city + ", " + city + " County, " + name + ", " + cont).astype(object)
        trng = np.random.default_rng([seed, 10])
        n_comp = int(ci.max()) + 1 if len(ci) else 1
        tag1 = _INDUSTRY_TAGS[trng.integers(0, len(_INDUSTRY_TAGS), n_comp)]
        tag2 = _INDUSTRY_TAGS[trng.integers(0, len(_INDUSTRY_TAGS), n_comp)]
        k = trng.integers(0, 3, n_comp)  # 0, 1 or 2 more tags per company
        more = np.where(k == 0, "", np.where(k == 1, ", " + tag1.astype(object),
                                             ", " + tag1.astype(object) + ", " + tag2.astype(object)))
        industries = (industries + more[ci]).astype(object)
    desc = "Synthetic record: " + _fmt_unique(
        c["group"].to_numpy().astype(str), lambda g: f"a made-up company in {g.lower()}.")

    inv_lists, inv_leads = _investor_pool(rng)
    ii = rng.integers(0, len(inv_lists), n_base)
    no_inv = rng.random(n_base) < 0.25
    investors = np.where(no_inv, "", _fmt_unique(inv_lists[ii].astype(str),
                                                  lambda s: s.replace(" (Lead)", ""))).astype(object)
    leads = np.where(no_inv | (rng.random(n_base) < 0.3), "", inv_leads[ii]).astype(object)
    n_inv = np.where(no_inv, "", _fmt_unique(inv_lists[ii].astype(str),
                                             lambda s: str(s.count(",") + 1))).astype(object)

    tot_units = np.where(rng.random(n_base) < 0.8,
                         np.round(np.nan_to_num(local_units) * rng.uniform(1, 5, n_base), -3),
                         np.nan)
    tot_units[tot_units == 0] = np.nan
    n_rounds = rng.integers(1, 12, n_base)
    has_pre = (~np.isnan(local_units)) & (rng.random(n_base) < 0.05)
    pre_units = np.where(has_pre, np.round(local_units * rng.uniform(2, 6, n_base), -3), np.nan)

    frame = pd.DataFrame({
        "Transaction Name": tx_name,
        "Transaction Name URL": tx_url,
        "Organization Name": names,
        "Organization Name URL": org_url,
        "Funding Type": ftype,
        "Money Raised": money,
        "Money Raised Currency": money_ccy,
        "Money Raised (in USD)": money_usd,
        "Announced Date": ann,
        "Funding Stage": fstage,
        "Organization Industries": industries,
        "Organization Location": loc,
        "Organization Description": desc,
        "Organization Website": website,
        "Total Funding Amount": _fmt_int(tot_units),
        "Total Funding Amount Currency": np.where(np.isnan(tot_units), "", ccy).astype(object),
        "Total Funding Amount (in USD)": _fmt_int(np.round(tot_units / rate)),
        "Number of Funding Rounds": n_rounds.astype(str).astype(object),
        "Funding Status": np.array(_CB_FUNDING_STATUS, dtype=object)[
            rng.integers(0, len(_CB_FUNDING_STATUS), n_base)],
        "Organization Revenue Range": np.array(_CB_REVENUE, dtype=object)[
            rng.integers(0, len(_CB_REVENUE), n_base)],
        "Lead Investors": leads,
        "Investor Names": investors,
        "Number of Investors": n_inv,
        "Pre-Money Valuation": _fmt_int(pre_units),
        "Pre-Money Valuation Currency": np.where(np.isnan(pre_units), "", ccy).astype(object),
        "Pre-Money Valuation (in USD)": _fmt_int(np.round(pre_units / rate)),
        "Equity Only Funding": np.where(np.isin(ftype, ["Debt Financing", "Grant", "Post-IPO Debt",
                                                        "Non-equity Assistance"]), "No", "Yes"),
    })
    frame, info = _add_duplicates(
        frame, rng, src_exact, src_fuzzy, id_col="Transaction Name URL", date_order=date,
        disclosed=~np.isnan(local_units),
        fuzzy_id=lambda k: np.char.add("https://www.crunchbase.com/funding_round/synthetic--",
                                       k.astype(str)))
    info.update(rows=len(frame), undisclosed=int((frame["Money Raised"] == "").sum()),
                non_usd=int(((frame["Money Raised Currency"] != "USD")
                             & (frame["Money Raised Currency"] != "")).sum()))
    return frame, info


def _fmt_int(x: np.ndarray) -> np.ndarray:
    """Integers as plain digits ('5000000'), '' for NaN."""
    out = np.full(len(x), "", dtype=object)
    ok = ~np.isnan(x)
    out[ok] = x[ok].astype(np.int64).astype(str).astype(object)
    return out


def _hex8(rng: np.random.Generator, n: int) -> np.ndarray:
    digits = rng.integers(0, 16, size=(n, 8), dtype=np.int8)
    chars = np.array(list("0123456789abcdef"), dtype="<U1")[digits]
    return np.ascontiguousarray(chars).view("<U8").reshape(n).astype(object)


# --------------------------------------------------------------------------------------
# Canonical rounds (for the model benchmarks: depth takes frames, not files)
# --------------------------------------------------------------------------------------

_EU27 = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
         "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
_OTHER_EUROPE = {"CH", "NO", "IS", "LI", "UA", "TR", "RS"}


def _region_of_iso2(iso: str) -> str:
    if iso in _EU27:
        return "EU27"
    if iso == "GB":
        return "UK"
    if iso in _OTHER_EUROPE:
        return "OTHER_EUROPE"
    if iso in ("US", "CN"):
        return iso
    if iso == "HK":
        return "CN"  # Hong Kong counted with China by default (fundgap convention)
    return "ROW"


def canonical_rounds(n: int, seed: int = 0) -> pd.DataFrame:
    """A SYNTHETIC rounds frame in fundgap's canonical schema (for model benchmarks)."""
    from fundgap import schema

    rng = np.random.default_rng([seed, 3])
    ci = _choice(rng, n, [c[5] for c in _COUNTRIES])
    iso = np.array([c[2] for c in _COUNTRIES], dtype=object)[ci]
    region = np.array([_region_of_iso2(c[2]) for c in _COUNTRIES], dtype=object)[ci]
    stages = list(schema.STAGES)
    w = {"pre_seed": 4, "seed": 22, "series_a": 10, "series_b": 6, "early_unspecified": 8,
         "series_c": 3, "series_c_plus": 1, "series_d_plus": 2, "later_unspecified": 6,
         "growth": 2, "venture_unknown": 10, "private_equity": 3, "ipo_public": 2, "grant": 6,
         "debt": 6, "other": 9}
    si = _choice(rng, n, [w[s] for s in stages])
    stage = np.array(stages, dtype=object)[si]
    medians = {"pre_seed": 0.3, "seed": 1.5, "series_a": 8, "series_b": 22, "early_unspecified": 10,
               "series_c": 45, "series_c_plus": 50, "series_d_plus": 80, "later_unspecified": 35,
               "growth": 60, "venture_unknown": 5, "private_equity": 40, "ipo_public": 100,
               "grant": 0.5, "debt": 5, "other": 10}
    med = np.array([medians[s] for s in stages])[si]
    amount_usd = np.exp(np.log(med) + 1.1 * rng.standard_normal(n))
    amount_usd[rng.random(n) < 0.33] = np.nan
    date = _dates(rng, n)
    year = date.astype("datetime64[Y]").astype(int) + 1970
    eur_per_usd = 0.9
    frame = pd.DataFrame({
        "round_id": pd.array(np.char.add("SYN-", np.arange(n).astype(str)), dtype=schema.STRING),
        "company": pd.array(_names(rng, n), dtype=schema.STRING),
        "country": pd.array(iso, dtype=schema.STRING),
        "region": pd.Categorical(region, dtype=schema.REGION_DTYPE),
        "stage": pd.Categorical(stage, dtype=schema.STAGE_DTYPE),
        "stage_group": pd.Categorical(np.array([schema.STAGE_TO_GROUP[s] for s in stages],
                                               dtype=object)[si], dtype=schema.STAGE_GROUP_DTYPE),
        "stage_raw": pd.array(stage, dtype=schema.STRING),
        "date": date.astype("datetime64[ns]"),
        "year": pd.array(year, dtype="Int64"),
        "amount": amount_usd,
        "currency": pd.array(np.full(n, "USD", dtype=object), dtype=schema.STRING),
        "amount_usd": amount_usd,
        "amount_eur": amount_usd * eur_per_usd,
        "is_biotech": pd.array(rng.random(n) < 0.25, dtype="boolean"),
        "modality": pd.Categorical(np.full(n, "unknown", dtype=object), dtype=schema.MODALITY_DTYPE),
        "sector_raw": pd.array(np.full(n, "synthetic", dtype=object), dtype=schema.STRING),
        "source": pd.array(np.full(n, "synthetic", dtype=object), dtype=schema.STRING),
        "source_row": pd.array(np.arange(1, n + 1), dtype="Int64"),
    })
    return frame


# --------------------------------------------------------------------------------------
# Dealroom company export, Preqin and PitchBook fund exports, a generic CSV
# --------------------------------------------------------------------------------------

#: Dealroom company export with packed rounds (upper-case export). From the reference layout
#: (NAME ... EACH ROUND INVESTORS) and the loader's header map (TAGLINE, TAGS, LONG DESCRIPTION,
#: which fundgap reads for the modality).
DEALROOM_COLUMNS: tuple[str, ...] = (
    "NAME", "PROFILE URL", "TAGLINE", "LONG DESCRIPTION", "HQ REGION", "HQ COUNTRY", "HQ CITY",
    "LAUNCH DATE", "INDUSTRIES", "SUB INDUSTRIES", "TAGS", "GROWTH STAGE", "TOTAL FUNDING (EUR M)",
    "TOTAL FUNDING (USD M)", "LAST ROUND", "LAST FUNDING", "LAST FUNDING DATE", "EACH ROUND TYPE",
    "EACH ROUND AMOUNT", "EACH ROUND CURRENCY", "EACH ROUND DATE", "EACH ROUND INVESTORS",
)

#: Preqin fund export columns (reference layout; the ``A / B / C`` entries of the reference are
#: written as separate columns, as the export has them).
PREQIN_COLUMNS: tuple[str, ...] = (
    "FUND ID", "NAME", "FIRM ID", "FUND MANAGER", "ASSET CLASS", "STRATEGY",
    "VINTAGE / INCEPTION YEAR", "FUND SIZE (USD MN)", "TARGET SIZE (USD MN)",
    "FINAL CLOSE SIZE (USD MN)", "FINAL CLOSE SIZE (EUR MN)", "FINAL CLOSE SIZE (CURR. MN)",
    "FUND CURRENCY", "STATUS", "GEOGRAPHIC FOCUS", "PRIMARY REGION FOCUS", "REGION", "COUNTRY",
    "DOMICILE", "FINAL CLOSE DATE", "FUND NUMBER (OVERALL)", "FUND NUMBER (SERIES)",
    "CORE INDUSTRIES", "INDUSTRIES", "NET IRR (%)", "NET TVPI (X)", "NET DPI (X)",
)

#: PitchBook fund export columns (reference layout), plus ``Fund Country``: the reference has
#: no manager-location column, the loader's header map accepts ``Fund Country`` (the header
#: name is not confirmed from a raw export).
PITCHBOOK_FUNDS_COLUMNS: tuple[str, ...] = (
    "Fund ID", "Fund Name", "Investors", "Fund No.", "First Fund", "Vintage", "Fund Status",
    "Fund Size", "Fund Size Group", "Fund Type", "Open Date", "Close Date", "Fund Target Size",
    "Fund Target Size Low", "Fund Target Size High", "LPs", "Fund Partners",
    "Preferred Geography", "Preferred Industry", "Fund Country",
)

#: Headers of the SYNTHETIC "generic" file: a hand-made spreadsheet of rounds with its own
#: column names, read with ``read_rounds(path, source="generic", columns=GENERIC_COLUMNS)``.
GENERIC_COLUMNS: dict[str, str] = {
    "round_id": "Deal ref", "company": "Startup", "country": "Country", "stage": "Round",
    "date": "Closed on", "amount": "Amount (m)", "currency": "Currency", "sector": "Sector",
    "description": "Notes",
}
#: Column order of the generic file (one column no field maps, as users' sheets have).
GENERIC_HEADER: tuple[str, ...] = ("Deal ref", "Startup", "Country", "Round", "Closed on",
                                   "Amount (m)", "Currency", "Sector", "Notes", "Analyst")

_MONTHS = np.array(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                    "dec"], dtype=object)

# Dealroom round types (the loader's crosswalk labels, upper case): (label, weight, median USD m,
# sigma)
_DR_TYPES: list[tuple] = [
    ("SEED", 24.0, 1.5, 1.0), ("PRE-SEED", 4.0, 0.4, 0.8), ("ANGEL", 6.0, 0.4, 1.0),
    ("SERIES A", 12.0, 9.0, 0.9), ("SERIES B", 6.0, 25.0, 0.9), ("SERIES C", 3.0, 45.0, 0.9),
    ("SERIES D", 1.0, 70.0, 0.9), ("SERIES E", 0.4, 100.0, 0.9), ("EARLY VC", 8.0, 5.0, 1.1),
    ("LATE VC", 4.0, 30.0, 1.1), ("GROWTH EQUITY VC", 2.0, 60.0, 1.0),
    ("GROWTH EQUITY NON VC", 0.5, 60.0, 1.0), ("GRANT", 6.0, 0.6, 1.2),
    ("SUPPORT PROGRAM", 2.0, 0.1, 0.8), ("DEBT", 4.0, 5.0, 1.3), ("LENDING CAPITAL", 1.0, 3.0, 1.2),
    ("CONVERTIBLE", 3.0, 1.5, 1.1), ("CROWDFUNDING", 2.0, 0.5, 1.0),
    ("ACQUISITION", 3.0, 50.0, 1.5), ("MERGER", 0.5, 80.0, 1.3), ("BUYOUT", 0.5, 150.0, 1.2),
    ("IPO", 0.8, 100.0, 1.0), ("POST IPO EQUITY", 0.7, 60.0, 1.1),
    ("SPAC PRIVATE PLACEMENT", 0.2, 80.0, 1.0), ("SECONDARY", 0.4, 20.0, 1.2),
]
# Dealroom industry words by sector of _SECTORS: (INDUSTRIES, [SUB INDUSTRIES by group order])
_DR_INDUSTRY: list[tuple[str, list[str]]] = [
    ("health", ["biotechnology, pharmaceutical", "medical devices", "health platform",
                "medical services"]),
    ("enterprise software", ["business intelligence", "connectivity", "semiconductors",
                             "it services"]),
    ("food", ["in-store retail & restaurant tech", "ecommerce", "media"]),
    ("transportation", ["workforce management", "industrial", "logistics"]),
    ("fintech", ["payments", "insurance", "wealth management"]),
    ("energy", ["energy providers", "clean energy"]),
    ("chemicals", ["agritech", "biobased chemicals"]),
]
_DR_TAGLINES = np.array([
    "Synthetic company developing {x}", "A made-up startup working on {x}",
    "Synthetic record: {x} for a made-up market", "Fictional {x} company (benchmark data)"],
    dtype=object)
_DR_THINGS = np.array([
    "cell therapies for solid tumours", "AAV gene therapy for rare diseases",
    "small-molecule kinase inhibitors", "antibody-drug conjugates", "mRNA vaccines",
    "tissue-engineered cartilage", "CAR-T cell therapy", "CRISPR gene editing",
    "diagnostic software for hospitals", "cloud accounting software", "payment rails",
    "battery storage", "warehouse robots", "plant-based food", "insurance pricing", "e-learning",
    "cybersecurity tools", "carbon accounting", "drone delivery", "online fashion"], dtype=object)
_N_HEALTH_THINGS = 9  # the first nine activities are life-science ones


def _things(rng: np.random.Generator, sector: np.ndarray) -> np.ndarray:
    """A made-up activity per row: a life-science one for the healthcare sector (0)."""
    health = rng.integers(0, _N_HEALTH_THINGS, len(sector))
    other = rng.integers(_N_HEALTH_THINGS, len(_DR_THINGS), len(sector))
    return _DR_THINGS[np.where(sector == 0, health, other)]


def _month_text(d: np.ndarray) -> np.ndarray:
    """Dealroom's month-precision dates: ``jan/2024``."""
    m = d.astype("datetime64[M]").astype(np.int64)
    return _fmt_unique(m, lambda k: f"{_MONTHS[k % 12]}/{1970 + k // 12}")


def _join_packed(values: np.ndarray, starts: np.ndarray, counts: np.ndarray, sep: str) -> np.ndarray:
    """Join the round values of each company (rows ``starts[i] : starts[i] + counts[i]``)
    with ``sep``; '' for a company with no rounds."""
    out = np.full(len(counts), "", dtype=object)
    has = counts > 0
    if not has.any():
        return out
    last = np.zeros(len(values), dtype=bool)
    last[(starts + counts - 1)[has]] = True
    s = values.astype(object) + np.where(last, "", sep).astype(object)
    out[has] = np.add.reduceat(s, starts[has])
    return out


def _fmt_decimal(x: np.ndarray, digits: int = 1, missing: str = "") -> np.ndarray:
    """Plain decimals without trailing zeros ('12.5', '3'), ``missing`` for NaN."""
    out = np.full(len(x), missing, dtype=object)
    ok = ~np.isnan(x)
    scaled = np.round(x[ok] * 10**digits).astype(np.int64)
    if digits == 0:
        out[ok] = scaled.astype(str).astype(object)
    else:
        out[ok] = _fmt_unique(scaled, lambda c: f"{c / 10**digits:.{digits}f}".rstrip("0").rstrip("."))
    return out


def dealroom_frame(n: int, seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """A SYNTHETIC Dealroom company export of ``n`` company rows with packed rounds.

    Each company has 0 to 10 rounds (about 2 on average) in the parallel ``EACH ROUND ...``
    columns; amounts in millions of the round's currency, ``n/a`` when undisclosed (about a
    third); month-precision dates (``mar/2021``); investors joined by ``++``. Messiness: 8% of
    companies list no rounds and 0.5% have an ``EACH ROUND AMOUNT`` list one element short
    (each one rejected record for fundgap); 1% of company rows exported twice.

    Returns the frame and a dict whose ``records`` is the number of records fundgap should
    account for (the rounds of the unpackable rows plus one per row that cannot be unpacked).
    """
    rng = np.random.default_rng([seed, 4])
    n_dup = int(round(n * 0.01))
    n_base = n - n_dup
    comp = _companies(rng, n_base)
    k = _choice(rng, n_base, [8, 42, 20, 12, 7, 4, 3, 2, 1, 0.6, 0.4])  # rounds per company
    starts = np.r_[0, np.cumsum(k)[:-1]]
    n_rounds = int(k.sum())
    owner = np.repeat(np.arange(n_base), k)
    country = comp["country"].to_numpy()
    ti = _choice(rng, n_rounds, [t[1] for t in _DR_TYPES])
    usd_m = np.exp(np.log(np.array([t[2] for t in _DR_TYPES])[ti])
                   + np.array([t[3] for t in _DR_TYPES])[ti] * rng.standard_normal(n_rounds))
    usd_m[rng.random(n_rounds) < 0.33] = np.nan
    rc = country[owner]
    ccy = np.where(rng.random(n_rounds) < np.array([x[8] for x in _COUNTRIES])[rc],
                   np.array([x[7] for x in _COUNTRIES], dtype=object)[rc], "USD").astype(object)
    rate = pd.Series(ccy).map(_UNITS_PER_USD).to_numpy(dtype=float)
    amount = _fmt_decimal(np.maximum(usd_m * rate, 0.01), 2, missing="n/a")
    date = _dates(rng, n_rounds)
    # newest round first within a company
    order = np.lexsort((-date.astype(np.int64), owner))
    ti, amount, ccy, date = ti[order], amount[order], ccy[order], date[order]
    inv_lists, _ = _investor_pool(rng)
    inv = _fmt_unique(inv_lists.astype(str), lambda s: s.replace(" (Lead)", "").replace(", ", "++"))
    inv = inv[rng.integers(0, len(inv), n_rounds)]
    inv[rng.random(n_rounds) < 0.3] = ""
    types = np.array([t[0] for t in _DR_TYPES], dtype=object)[ti]
    packed = {c: _join_packed(v, starts, k, ";") for c, v in (
        ("EACH ROUND TYPE", types), ("EACH ROUND AMOUNT", amount), ("EACH ROUND CURRENCY", ccy),
        ("EACH ROUND DATE", _month_text(date)), ("EACH ROUND INVESTORS", inv))}
    # a few companies whose amount list is one element short (cannot be unpacked safely)
    short = np.flatnonzero((k >= 2) & (rng.random(n_base) < 0.005))
    amt = packed["EACH ROUND AMOUNT"]
    amt[short] = [s.rsplit(";", 1)[0] for s in amt[short]]
    # the latest round (first listed) and totals
    first = np.where(k > 0, starts, 0)
    has = k > 0
    last_type = np.where(has, types[first] if n_rounds else "", "").astype(object)
    last_amt = np.where(has, amount[first] if n_rounds else "", "").astype(object)
    last_date = np.where(has, _month_text(date)[first] if n_rounds else "", "").astype(object)
    tot_usd = np.zeros(n_base)
    if n_rounds:
        np.add.at(tot_usd, owner, np.nan_to_num(usd_m))
    tot_usd = np.where(tot_usd > 0, tot_usd, np.nan)

    sector = comp["sector"].to_numpy()
    groups = comp["group"].to_numpy()
    sub = np.empty(n_base, dtype=object)
    for s, (_, _, glist, _, _) in enumerate(_SECTORS):
        for j, (g, _) in enumerate(glist):
            sub[(sector == s) & (groups == g)] = _DR_INDUSTRY[s][1][min(j, len(_DR_INDUSTRY[s][1]) - 1)]
    thing = _things(rng, sector)
    tagline = _fmt_unique(np.char.add(np.char.add(
        rng.integers(0, len(_DR_TAGLINES), n_base).astype(str), "|"), thing.astype(str)),
        lambda s: _DR_TAGLINES[int(s.split("|")[0])].format(x=s.split("|")[1]))
    names = comp["name"].to_numpy()
    slug = _fmt_unique(names.astype(str), lambda s: s.lower().replace(" ", "_"))
    city_tab = {(c, j): x for c, co in enumerate(_COUNTRIES) for j, x in enumerate(co[6])}
    keys = country * 100 + comp["city"].to_numpy()
    frame = pd.DataFrame({
        "NAME": names,
        "PROFILE URL": "https://app.dealroom.co/companies/" + slug + "_"
                       + comp["id"].to_numpy().astype(str).astype(object),
        "TAGLINE": tagline,
        "LONG DESCRIPTION": np.where(rng.random(n_base) < 0.4, "",
                                     "Synthetic benchmark record. " + tagline + "."),
        "HQ REGION": np.array([x[3] for x in _COUNTRIES], dtype=object)[country],
        "HQ COUNTRY": np.array([x[1] for x in _COUNTRIES], dtype=object)[country],
        "HQ CITY": _fmt_unique(keys, lambda kk: city_tab[(kk // 100, kk % 100)][0]),
        "LAUNCH DATE": comp["founded"].to_numpy().astype(str).astype(object),
        "INDUSTRIES": np.array([d[0] for d in _DR_INDUSTRY], dtype=object)[sector],
        "SUB INDUSTRIES": np.where(rng.random(n_base) < 0.1, "", sub).astype(object),
        "TAGS": np.where(rng.random(n_base) < 0.5, "",
                         _fmt_unique(comp["verticals"].to_numpy().astype(str), str.lower)),
        "GROWTH STAGE": np.array(["seed", "early growth", "late growth", "mature"], dtype=object)[
            np.minimum(k // 2, 3)],
        "TOTAL FUNDING (EUR M)": _fmt_decimal(tot_usd * _UNITS_PER_USD["EUR"], 1),
        "TOTAL FUNDING (USD M)": _fmt_decimal(tot_usd, 1),
        "LAST ROUND": last_type, "LAST FUNDING": last_amt, "LAST FUNDING DATE": last_date,
        **packed,
    })
    dup = rng.choice(n_base, size=n_dup, replace=False)
    frame = pd.concat([frame, frame.iloc[dup]], ignore_index=True)
    perm = rng.permutation(len(frame))
    frame = frame.iloc[perm].reset_index(drop=True)
    kk = np.r_[k, k[dup]]
    bad = np.zeros(n_base, dtype=bool)
    bad[short] = True
    bad = np.r_[bad, bad[dup]] | (kk == 0)
    info = {"rows": len(frame), "rounds": int(kk.sum()), "companies_without_rounds": int((kk == 0).sum()),
            "companies_with_short_amount_list": int(len(short) + np.isin(dup, short).sum()),
            "exact_duplicate_rows": n_dup, "records": int(kk[~bad].sum() + bad.sum()),
            "undisclosed_rounds": int(np.isnan(usd_m).sum())}
    return frame, info


# Preqin: asset class -> (weight, [(strategy, weight)], median USD m, sigma)
_PQ_CLASSES: list[tuple] = [
    ("Venture Capital", 50.0, [("Early Stage", 25), ("Early Stage: Seed", 15),
                               ("Early Stage: Start-up", 10), ("Venture (General)", 30),
                               ("Expansion / Late Stage", 15), ("Venture Debt", 5)], 80.0, 1.1),
    ("Private Equity", 30.0, [("Buyout", 50), ("Growth", 25), ("Balanced", 5),
                              ("Fund of Funds", 8), ("Secondaries", 7), ("Co-Investment", 5)],
     500.0, 1.2),
    ("Private Debt", 8.0, [("Direct Lending", 60), ("Mezzanine", 25), ("Distressed Debt", 15)],
     400.0, 1.1),
    ("Real Estate", 7.0, [("Real Estate Value Added", 50), ("Real Estate Opportunistic", 30),
                          ("Real Estate Core", 20)], 300.0, 1.1),
    ("Infrastructure", 3.0, [("Infrastructure Core", 50), ("Infrastructure Value Added", 50)],
     800.0, 1.0),
    ("Natural Resources", 2.0, [("Natural Resources", 100)], 300.0, 1.0),
]
# fund industry focus by sector of _SECTORS: (core industries, industries)
_FUND_INDUSTRY: list[tuple[str, str]] = [
    ("Healthcare", "Biotechnology, Pharmaceuticals, Medical Devices & Equipment"),
    ("Information Technology", "Software, Internet, Semiconductors"),
    ("Consumer Discretionary", "Retail, Consumer Products, Media"),
    ("Industrials", "Logistics & Distribution, Business Services"),
    ("Financial & Insurance Services", "Fintech, Insurance"),
    ("Energy & Utilities", "Renewable Energy, Cleantech"),
    ("Raw Materials & Natural Resources", "Agriculture, Chemicals"),
]
_ROMAN = np.array(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
                   "XIII", "XIV", "XV"], dtype=object)
_FUND_WORDS = np.array([" Fund", " Ventures Fund", " Capital Fund", " Partners Fund",
                        " Growth Fund", " Opportunities Fund", " Life Sciences Fund", " Seed Fund"],
                       dtype=object)


def _managers(rng: np.random.Generator, m: int) -> pd.DataFrame:
    """A SYNTHETIC universe of ``m`` fund managers: name, country, first vintage."""
    stems = _names(rng, m)
    stems = np.array([s.split(" ")[0] for s in stems.tolist()], dtype=object)
    word = _INVESTOR_B[rng.integers(0, len(_INVESTOR_B), m)].astype(object)
    # a few managers named after a (non-Latin-1 or accented) city: 'Wrocław Bio Capital'
    cities = np.array(["Wrocław", "Zürich", "Göteborg", "Kraków", "Malmö", "Düsseldorf"], dtype=object)
    city = rng.random(m) < 0.03
    stems[city] = cities[rng.integers(0, len(cities), int(city.sum()))] + " Bio"
    return pd.DataFrame({
        "name": stems + word, "id": rng.choice(5 * m + 1000, size=m, replace=False) + 1000,
        "country": _choice(rng, m, [c[5] for c in _COUNTRIES]),
        "sector": _choice(rng, m, [s[1] for s in _SECTORS]),
        "first": rng.integers(1990, 2024, m),
    })


def _funds_base(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Funds of a SYNTHETIC manager universe: manager, fund number, vintage, size (USD m)."""
    mg = _managers(rng, max(20, n // 4))
    mi = rng.integers(0, len(mg), n)
    m = mg.iloc[mi].reset_index(drop=True)
    # fund number: the rank of the fund among its manager's funds
    order = np.lexsort((rng.random(n), mi))
    num = np.empty(n, dtype=np.int64)
    sorted_mi = mi[order]
    first_pos = np.r_[0, np.flatnonzero(np.diff(sorted_mi)) + 1]
    run = np.repeat(first_pos, np.diff(np.r_[first_pos, n]))
    num[order] = np.arange(n) - run + 1
    vintage = np.minimum(m["first"].to_numpy() + 3 * (num - 1) + rng.integers(0, 3, n), 2025)
    ai = _choice(rng, n, [c[1] for c in _PQ_CLASSES])
    size = np.exp(np.log(np.array([c[3] for c in _PQ_CLASSES])[ai])
                  + np.array([c[4] for c in _PQ_CLASSES])[ai] * rng.standard_normal(n))
    return pd.DataFrame({"manager": m["name"].to_numpy(), "manager_id": m["id"].to_numpy(),
                         "country": m["country"].to_numpy(), "sector": m["sector"].to_numpy(),
                         "num": num, "vintage": vintage, "asset": ai, "size": size})


def _fund_names(rng: np.random.Generator, f: pd.DataFrame) -> np.ndarray:
    word = _FUND_WORDS[rng.integers(0, len(_FUND_WORDS), len(f))]
    roman = _ROMAN[np.minimum(f["num"].to_numpy(), len(_ROMAN)) - 1]
    return (f["manager"].to_numpy() + word + " " + roman).astype(object)


def _exact_duplicates(frame: pd.DataFrame, rng: np.random.Generator, n_dup: int):
    """Append ``n_dup`` of the rows again (the same record exported twice), shuffled in."""
    dup = rng.choice(len(frame), size=n_dup, replace=False)
    out = pd.concat([frame, frame.iloc[dup]], ignore_index=True)
    return out.iloc[rng.permutation(len(out))].reset_index(drop=True), n_dup


def preqin_frame(n: int, seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """A SYNTHETIC Preqin fund export of ``n`` rows (all cells as text).

    Asset classes from venture capital to natural resources with Preqin-style strategies;
    statuses Closed / Liquidated / Raising / First Close (a fund still raising has no final
    close); sizes in USD millions, the final close also in EUR and in the fund's currency;
    manager country as Preqin writes it (``US``, ``UK``, ``Germany`` ...). Messiness: about 15%
    of sizes undisclosed, 1% blank vintages, 1% rows exported twice, a few accented manager names.
    """
    rng = np.random.default_rng([seed, 5])
    n_base = n - int(round(n * 0.01))
    f = _funds_base(rng, n_base)
    country = f["country"].to_numpy()
    vintage = f["vintage"].to_numpy()
    raising_p = np.where(vintage >= 2024, 0.7, np.where(vintage >= 2022, 0.25, 0.0))
    u = rng.random(n_base)
    status = np.where(u < raising_p * 0.7, "Raising", np.where(u < raising_p, "First Close",
                      np.where(vintage < 2012, np.where(rng.random(n_base) < 0.5, "Liquidated",
                                                        "Closed"), "Closed"))).astype(object)
    open_ = np.isin(status, ["Raising", "First Close"])
    size = f["size"].to_numpy()
    reported = np.where(open_, size * rng.uniform(0.2, 0.9, n_base), size)
    reported[rng.random(n_base) < np.where(open_, 0.5, 0.12)] = np.nan
    final = np.where(open_, np.nan, reported)
    local = np.array([x[7] for x in _COUNTRIES], dtype=object)[country]
    ccy = np.where(rng.random(n_base) < np.array([x[8] for x in _COUNTRIES])[country], local,
                   "USD").astype(object)
    rate = pd.Series(ccy).map(_UNITS_PER_USD).to_numpy(dtype=float)
    target = np.where(rng.random(n_base) < 0.6, np.round(size * rng.uniform(0.8, 1.3, n_base), -1),
                      np.nan)
    ai = f["asset"].to_numpy()
    strategy = np.empty(n_base, dtype=object)
    for a, (_, _, strats, _, _) in enumerate(_PQ_CLASSES):
        m = np.flatnonzero(ai == a)
        strategy[m] = np.array([s[0] for s in strats], dtype=object)[
            _choice(rng, len(m), [s[1] for s in strats])]
    pb_name = np.array([x[0] for x in _COUNTRIES], dtype=object)
    pq_country = np.where(pb_name == "United States", "US",
                          np.where(pb_name == "United Kingdom", "UK", pb_name))[country]
    cont = np.array([x[3] for x in _COUNTRIES], dtype=object)[country]
    region = np.where(np.isin(cont, ["North America", "Europe", "Asia"]), cont, "Rest of World")
    geo = np.where(rng.random(n_base) < 0.25, "Global",
                   np.where(region == "North America", "US",
                            np.where(region == "Europe", np.where(rng.random(n_base) < 0.5,
                                                                  "Europe", "West Europe"),
                                     pq_country))).astype(object)
    primary = np.where(geo == "Global", "Diversified Multi-Regional", region).astype(object)
    domicile = np.where(pq_country == "US", np.where(rng.random(n_base) < 0.7, "Delaware",
                                                     "Cayman Islands"),
                        np.where(rng.random(n_base) < 0.3, "Luxembourg", pq_country)).astype(object)
    close = np.datetime64("1970-01-01") + ((vintage - 1970) * 365.25 + rng.integers(0, 540, n_base)
                                           ).astype("timedelta64[D]")
    close_txt = _fmt_unique(close, lambda d: str(d))
    close_txt[open_] = ""
    sector = f["sector"].to_numpy()
    core = np.array([x[0] for x in _FUND_INDUSTRY], dtype=object)[sector]
    inds = np.array([x[1] for x in _FUND_INDUSTRY], dtype=object)[sector]
    diversified = rng.random(n_base) < 0.3
    core = np.where(diversified, "Diversified", core)
    inds = np.where(diversified, "", inds)
    perf = (~open_) & (vintage <= 2019) & (rng.random(n_base) < 0.5)
    irr = np.where(perf, rng.normal(12, 10, n_base), np.nan)
    tvpi = np.where(perf, np.maximum(0.2, rng.normal(1.7, 0.6, n_base)), np.nan)
    dpi = np.where(perf, np.maximum(0.0, tvpi - rng.uniform(0, 1, n_base)), np.nan)
    vintage_txt = vintage.astype(str).astype(object)
    vintage_txt[rng.random(n_base) < 0.01] = ""
    frame = pd.DataFrame({
        "FUND ID": (rng.choice(20 * n_base + 1000, size=n_base, replace=False) + 1).astype(str).astype(object),
        "NAME": _fund_names(rng, f),
        "FIRM ID": f["manager_id"].to_numpy().astype(str).astype(object),
        "FUND MANAGER": f["manager"].to_numpy(),
        "ASSET CLASS": np.array([c[0] for c in _PQ_CLASSES], dtype=object)[ai],
        "STRATEGY": strategy,
        "VINTAGE / INCEPTION YEAR": vintage_txt,
        "FUND SIZE (USD MN)": _fmt_decimal(reported, 2),
        "TARGET SIZE (USD MN)": _fmt_decimal(target, 0),
        "FINAL CLOSE SIZE (USD MN)": _fmt_decimal(final, 2),
        "FINAL CLOSE SIZE (EUR MN)": _fmt_decimal(final * _UNITS_PER_USD["EUR"], 2),
        "FINAL CLOSE SIZE (CURR. MN)": _fmt_decimal(final * rate, 2),
        "FUND CURRENCY": ccy,
        "STATUS": status,
        "GEOGRAPHIC FOCUS": geo,
        "PRIMARY REGION FOCUS": primary,
        "REGION": region.astype(object),
        "COUNTRY": pq_country.astype(object),
        "DOMICILE": domicile,
        "FINAL CLOSE DATE": close_txt,
        "FUND NUMBER (OVERALL)": f["num"].to_numpy().astype(str).astype(object),
        "FUND NUMBER (SERIES)": np.maximum(1, f["num"].to_numpy() - rng.integers(0, 2, n_base)
                                           ).astype(str).astype(object),
        "CORE INDUSTRIES": core,
        "INDUSTRIES": inds,
        "NET IRR (%)": _fmt_decimal(irr, 1),
        "NET TVPI (X)": _fmt_decimal(tvpi, 2),
        "NET DPI (X)": _fmt_decimal(dpi, 2),
    })
    frame, n_dup = _exact_duplicates(frame, rng, n - n_base)
    info = {"rows": len(frame), "exact_duplicate_rows": n_dup, "records": len(frame),
            "undisclosed": int((frame["FINAL CLOSE SIZE (CURR. MN)"] == "").sum()),
            "still_raising": int(frame["STATUS"].isin(["Raising", "First Close"]).sum())}
    return frame, info


# PitchBook fund types: (label, weight) and (lower bound USD m, label) of the size groups
_PBF_TYPES = [("Venture - General", 22), ("Early-Stage VC", 14), ("Later-Stage VC", 6),
              ("Seed", 5), ("Accelerator/Incubator", 1), ("PE Growth-Expansion", 8),
              ("Buyout", 18), ("Secondaries", 3), ("Fund of Funds", 5), ("Co-Investment", 2),
              ("Mezzanine", 2), ("Debt - General", 5), ("Real Estate", 6), ("Infrastructure", 3)]
_PBF_SIZE_GROUPS = [(0, "Under $50M"), (50, "$50M-$100M"), (100, "$100M-$250M"),
                    (250, "$250M-$500M"), (500, "$500M-$1B"), (1000, "$1B+")]
_FIRST = np.array(["Anna", "Ben", "Chloé", "David", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas",
                   "Kofi", "Lena", "Marta", "Nils", "Olga", "Paulo", "Rania", "Sven", "Tomasz",
                   "Wei"], dtype=object)
_LAST = np.array(["Andersen", "Bauer", "Costa", "Dubois", "Eriksson", "Fischer", "García", "Horvat",
                  "Ivanova", "Jensen", "Kowalski", "Larsen", "Moreau", "Novak", "O'Brien", "Petrov",
                  "Rossi", "Schmidt", "Tanaka", "Weiß"], dtype=object)


def pitchbook_funds_frame(n: int, seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """A SYNTHETIC PitchBook fund export of ``n`` rows (all cells as text).

    Sizes in USD millions with thousands commas (``1,050.00``) as the deals export writes
    them, dates ``15-Mar-2021``, fund types from venture to real estate, LPs and partners as
    comma lists. Messiness: about 20% undisclosed sizes, 1% rows exported twice, accented
    partner names.
    """
    rng = np.random.default_rng([seed, 6])
    n_base = n - int(round(n * 0.01))
    f = _funds_base(rng, n_base)
    num = f["num"].to_numpy()
    vintage = f["vintage"].to_numpy()
    open_ = (vintage >= 2023) & (rng.random(n_base) < 0.6)
    status = np.where(open_, "Open", np.where((vintage < 2010) & (rng.random(n_base) < 0.5),
                                              "Liquidated", "Closed")).astype(object)
    size = f["size"].to_numpy().copy()
    size[rng.random(n_base) < np.where(open_, 0.5, 0.15)] = np.nan
    groups = np.array([g[1] for g in _PBF_SIZE_GROUPS], dtype=object)
    gi = np.searchsorted([g[0] for g in _PBF_SIZE_GROUPS], np.nan_to_num(size), side="right") - 1
    size_group = np.where(np.isnan(size), "", groups[np.clip(gi, 0, len(groups) - 1)]).astype(object)
    fmt_date = lambda d: pd.Timestamp(d).strftime("%d-%b-%Y")  # noqa: E731
    open_date = np.datetime64("1970-01-01") + ((vintage - 1971) * 365.25
                                               + rng.integers(0, 365, n_base)).astype("timedelta64[D]")
    close_date = open_date + rng.integers(180, 720, n_base).astype("timedelta64[D]")
    close_txt = _fmt_unique(close_date, fmt_date)
    close_txt[open_] = ""
    target = np.where(rng.random(n_base) < 0.5, np.round(f["size"].to_numpy() * rng.uniform(0.8, 1.3, n_base), -1),
                      np.nan)
    band = rng.random(n_base) < 0.2
    lps_pool = np.array([", ".join(sorted(set(
        (_INVESTOR_A[rng.integers(0, len(_INVESTOR_A), int(rng.integers(1, 6)))]
         + np.array([" Pension Fund", " Endowment", " Family Office", " Insurance",
                     " Fund of Funds"])[rng.integers(0, 5)]).tolist())))
        for _ in range(2000)], dtype=object)
    lps = np.where(rng.random(n_base) < 0.5, "", lps_pool[rng.integers(0, len(lps_pool), n_base)])
    partner_pool = np.array([", ".join(
        f"{_FIRST[rng.integers(0, 20)]} {_LAST[rng.integers(0, 20)]}"
        for _ in range(int(rng.integers(1, 4)))) for _ in range(2000)], dtype=object)
    sector = f["sector"].to_numpy()
    pb_country = np.array([x[0] for x in _COUNTRIES], dtype=object)[f["country"].to_numpy()]
    cont = np.array([x[3] for x in _COUNTRIES], dtype=object)[f["country"].to_numpy()]
    geo = np.where(rng.random(n_base) < 0.2, "Global",
                   np.where(cont == "North America", "North America",
                            np.where(cont == "Europe", np.where(rng.random(n_base) < 0.5, "Europe",
                                                                pb_country), cont))).astype(object)
    frame = pd.DataFrame({
        "Fund ID": _fmt_unique(rng.choice(90_000_000, size=n_base, replace=False) + 10_000_000,
                               lambda k: f"{k // 100}-{k % 100:02d}F"),
        "Fund Name": _fund_names(rng, f),
        "Investors": f["manager"].to_numpy(),
        "Fund No.": num.astype(str).astype(object),
        "First Fund": np.where(num == 1, "Yes", "No").astype(object),
        "Vintage": vintage.astype(str).astype(object),
        "Fund Status": status,
        "Fund Size": _fmt_millions(size),
        "Fund Size Group": size_group,
        "Fund Type": np.array([t[0] for t in _PBF_TYPES], dtype=object)[
            _choice(rng, n_base, [t[1] for t in _PBF_TYPES])],
        "Open Date": _fmt_unique(open_date, fmt_date),
        "Close Date": close_txt,
        "Fund Target Size": _fmt_millions(np.where(band, np.nan, target)),
        "Fund Target Size Low": _fmt_millions(np.where(band, target * 0.8, np.nan)),
        "Fund Target Size High": _fmt_millions(np.where(band, target * 1.2, np.nan)),
        "LPs": lps.astype(object),
        "Fund Partners": partner_pool[rng.integers(0, len(partner_pool), n_base)],
        "Preferred Geography": geo,
        "Preferred Industry": np.where(rng.random(n_base) < 0.3, "",
                                       np.array([x[1] for x in _FUND_INDUSTRY], dtype=object)[sector]),
        "Fund Country": pb_country,
    })
    frame, n_dup = _exact_duplicates(frame, rng, n - n_base)
    info = {"rows": len(frame), "exact_duplicate_rows": n_dup, "records": len(frame),
            "undisclosed": int((frame["Fund Size"] == "").sum())}
    return frame, info


_GENERIC_STAGES = [("Pre-Seed", 4), ("Seed", 22), ("Angel", 4), ("Series A", 12), ("Series B", 7),
                   ("Series C", 3), ("Series D", 1.5), ("Early Stage VC", 8), ("Later Stage VC", 5),
                   ("Growth", 2), ("Grant", 6), ("Debt Financing", 5), ("IPO", 1), ("Venture Round", 6),
                   ("", 3)]
_GENERIC_MEDIAN = {"Pre-Seed": 0.4, "Seed": 1.5, "Angel": 0.4, "Series A": 9, "Series B": 25,
                   "Series C": 45, "Series D": 70, "Early Stage VC": 6, "Later Stage VC": 30,
                   "Growth": 60, "Grant": 0.6, "Debt Financing": 5, "IPO": 100, "Venture Round": 5,
                   "": 3}


def generic_frame(n: int, seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """A SYNTHETIC hand-made rounds sheet with its own headers (:data:`GENERIC_HEADER`).

    Amounts in millions of the ``Currency`` column (EUR, USD, GBP ...; thousands commas on
    about a fifth of the large ones); ``Country`` as ISO codes mostly and country names on a
    quarter of the rows; stage labels of several providers; ISO dates; a free-text
    ``Notes`` column and an ``Analyst`` column no field maps. Messiness: about 30% undisclosed
    amounts, 1% rows entered twice.
    """
    rng = np.random.default_rng([seed, 7])
    n_base = n - int(round(n * 0.01))
    comp = _companies(rng, max(50, n_base // 3))
    c = comp.iloc[rng.integers(0, len(comp), n_base)].reset_index(drop=True)
    country = c["country"].to_numpy()
    si = _choice(rng, n_base, [s[1] for s in _GENERIC_STAGES])
    stage = np.array([s[0] for s in _GENERIC_STAGES], dtype=object)[si]
    med = np.array([_GENERIC_MEDIAN[s[0]] for s in _GENERIC_STAGES])[si]
    usd_m = np.exp(np.log(med) + 1.1 * rng.standard_normal(n_base))
    usd_m[rng.random(n_base) < 0.3] = np.nan
    local = np.array([x[7] for x in _COUNTRIES], dtype=object)[country]
    ccy = np.where(rng.random(n_base) < np.array([x[8] for x in _COUNTRIES])[country], local,
                   "USD").astype(object)
    amount = usd_m * pd.Series(ccy).map(_UNITS_PER_USD).to_numpy(dtype=float)
    amount_txt = _fmt_decimal(amount, 2)
    big = (amount >= 1000) & (rng.random(n_base) < 0.2)
    amount_txt[big] = _fmt_unique(np.round(amount[big] * 100).astype(np.int64),
                                  lambda k: f"{k / 100:,.2f}")
    iso = np.array([x[2] for x in _COUNTRIES], dtype=object)[country]
    cname = np.array([x[0] for x in _COUNTRIES], dtype=object)[country]
    date = _dates(rng, n_base)
    analyst = np.array(["AB", "CD", "EF", "GH", "", "ŁK"], dtype=object)[rng.integers(0, 6, n_base)]
    sector = np.array([s[0] for s in _SECTORS], dtype=object)[c["sector"].to_numpy()]
    thing = _things(rng, c["sector"].to_numpy())
    frame = pd.DataFrame({
        "Deal ref": np.char.add("SYN-", (rng.choice(50 * n_base + 1000, size=n_base, replace=False)
                                         + 1).astype(str)).astype(object),
        "Startup": c["name"].to_numpy(),
        "Country": np.where(rng.random(n_base) < 0.25, cname, iso).astype(object),
        "Round": stage,
        "Closed on": _fmt_unique(date, lambda d: str(d)),
        "Amount (m)": amount_txt,
        "Currency": np.where(np.isnan(amount), "", ccy).astype(object),
        "Sector": np.where(c["group"].to_numpy() == "Pharmaceuticals and Biotechnology",
                           "Biotechnology", c["group"].to_numpy()).astype(object),
        "Notes": np.where(rng.random(n_base) < 0.5, "", "Synthetic: " + thing + " (" + sector + ")"),
        "Analyst": analyst,
    })
    frame, n_dup = _exact_duplicates(frame, rng, n - n_base)
    info = {"rows": len(frame), "exact_duplicate_rows": n_dup, "records": len(frame),
            "undisclosed": int((frame["Amount (m)"] == "").sum()), "columns_map": GENERIC_COLUMNS}
    return frame, info


# --------------------------------------------------------------------------------------
# XLSX: the PitchBook deal export as a workbook
# --------------------------------------------------------------------------------------

#: Numeric columns of the PitchBook layout written as numbers in the XLSX export.
_PB_NUMERIC = ("Deal Size", "Pre-money Valuation", "Post Valuation", "Raised to Date")
_PB_DATES = ("Deal Date", "Announced Date")
#: Creation time written into the workbooks (a fixed date, so that nothing depends on the clock).
_EPOCH_2020 = __import__("datetime").datetime(2020, 1, 1)


def _pitchbook_cells(frame: pd.DataFrame) -> list[np.ndarray]:
    """The columns of a PitchBook frame as cell values: numbers for sizes (None when blank),
    ``datetime`` for dates, ``int`` for Year Founded, text otherwise (None for '')."""
    import datetime as dt

    cols = []
    for c in PITCHBOOK_COLUMNS:
        v = frame[c].to_numpy(dtype=object)
        if c in _PB_NUMERIC:
            num = pd.to_numeric(pd.Series(v).str.replace(",", "", regex=False), errors="coerce")
            out = num.astype(object).where(num.notna(), None).to_numpy()
        elif c in _PB_DATES:
            d = pd.to_datetime(pd.Series(v), format="%d-%b-%Y", errors="coerce")
            out = _fmt_unique(d.fillna(pd.Timestamp(0)).to_numpy().astype("datetime64[D]"),
                              lambda x: dt.datetime.fromisoformat(str(x)))
            out[d.isna().to_numpy()] = None
        elif c == "Year Founded":
            out = pd.to_numeric(pd.Series(v)).astype(object).to_numpy()
        else:
            out = np.where(v == "", None, v)
        cols.append(out)
    return cols


def _write_typed_rows(ws, rows, first_row: int, date_fmt, is_date) -> None:
    """Write rows of cells with xlsxwriter from sheet row ``first_row`` on: empty cells left
    out, ``is_date(column, value)`` cells as dates in ``date_fmt``, text as text (never a
    formula or a link), the rest as numbers."""
    for r, row in enumerate(rows, start=first_row):
        for j, v in enumerate(row):
            if v is None:
                continue
            if is_date(j, v):
                ws.write_datetime(r, j, v, date_fmt)
            elif isinstance(v, str):
                ws.write_string(r, j, v)
            else:
                ws.write_number(r, j, v)


def write_pitchbook_xlsx(path: Path | str, n: int, seed: int = 0) -> dict:
    """Write the SYNTHETIC PitchBook deals of ``pitchbook_frame(n, seed)`` as an XLSX export:
    one sheet, the six banner rows, the header, then the rows with sizes as numbers, dates as
    date cells (``dd-mmm-yyyy``) and Year Founded as an integer. Written with xlsxwriter
    (constant memory) when it is installed, else openpyxl's write-only mode."""
    frame, info = pitchbook_frame(n, seed, "standard")
    cols = _pitchbook_cells(frame)
    rows = zip(*cols)
    banner = pitchbook_banner(n, seed)
    try:
        import xlsxwriter
    except ImportError:
        xlsxwriter = None
    if xlsxwriter is not None:
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        wb.set_properties({"title": "SYNTHETIC PitchBook-layout deals", "created": _EPOCH_2020})
        ws = wb.add_worksheet("Deals")
        date_fmt = wb.add_format({"num_format": "dd-mmm-yyyy"})
        for i, line in enumerate(banner):
            if line:
                ws.write_string(i, 0, line)
        ws.write_row(len(banner), 0, PITCHBOOK_COLUMNS)
        date_cols = {PITCHBOOK_COLUMNS.index(c) for c in _PB_DATES}
        _write_typed_rows(ws, rows, len(banner) + 1, date_fmt, lambda j, v: j in date_cols)
        wb.close()
        writer = "xlsxwriter"
    else:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        wb.properties.created = _EPOCH_2020
        ws = wb.create_sheet("Deals")
        for line in banner:
            ws.append([line or None])
        ws.append(list(PITCHBOOK_COLUMNS))
        for row in rows:
            ws.append(list(row))
        wb.save(str(path))
        writer = "openpyxl"
    info.update(banner_rows=PITCHBOOK_BANNER_ROWS, columns=list(PITCHBOOK_COLUMNS), style="xlsx",
                writer=writer, records=n)
    return info


_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def write_cells_xlsx(path: Path | str, frame: pd.DataFrame, banner: list[str], sheet: str,
                     title: str) -> str:
    """Write a frame of CSV cells (text) as one XLSX sheet, as the provider's workbook export
    holds them: the ``banner`` rows, the header, then the rows with plain numbers (``588.37``,
    ``702``) as numbers, ISO dates as date cells (``yyyy-mm-dd``), every other cell as text
    (a URL stays text, not a link) and empty cells left out. Returns the writer used
    (xlsxwriter in constant-memory mode, else openpyxl's write-only mode)."""
    import datetime as dt

    def typed(v: object) -> object:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v == "":
            return None
        v = str(v)
        if _PLAIN_NUMBER.fullmatch(v):
            return float(v) if "." in v else int(v)
        if _ISO_DATE.fullmatch(v):
            try:
                return dt.datetime.strptime(v, "%Y-%m-%d")
            except ValueError:  # (an impossible date the export holds as text)
                return v
        return v

    columns = list(frame.columns)
    rows = zip(*(frame[c].tolist() for c in columns))
    try:
        import xlsxwriter
    except ImportError:
        xlsxwriter = None
    if xlsxwriter is not None:
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        wb.set_properties({"title": title, "created": _EPOCH_2020})
        ws = wb.add_worksheet(sheet)
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        for i, line in enumerate(banner):
            if line:
                ws.write_string(i, 0, line)
        ws.write_row(len(banner), 0, columns)
        _write_typed_rows(ws, (map(typed, row) for row in rows), len(banner) + 1, date_fmt,
                          lambda j, v: isinstance(v, dt.datetime))
        wb.close()
        return "xlsxwriter"
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.created = _EPOCH_2020
    wb.properties.title = title
    ws = wb.create_sheet(sheet)
    for line in banner:
        ws.append([line or None])
    ws.append(columns)
    for row in rows:
        ws.append([typed(v) for v in row])
    wb.save(str(path))
    return "openpyxl"


# --------------------------------------------------------------------------------------
# Files and cache
# --------------------------------------------------------------------------------------

SOURCES = ("pitchbook", "crunchbase", "dealroom", "preqin", "pitchbook_funds", "generic",
           "canonical")

#: File name stem of each source's SYNTHETIC export.
_STEMS = {"pitchbook": "pitchbook_deals", "crunchbase": "crunchbase_funding_rounds",
          "dealroom": "dealroom_companies", "preqin": "preqin_funds",
          "pitchbook_funds": "pitchbook_funds", "generic": "generic_rounds"}

#: Version of each source's content where it differs from :data:`GENERATOR_VERSION` (bump
#: one entry to regenerate that source's cached files only).
_VERSIONS = {"dealroom": 1, "preqin": 1, "pitchbook_funds": 1, "generic": 1}

#: Styles each source is written in ("xlsx": the export as a workbook).
SOURCE_STYLES = {"pitchbook": ("standard", "excel", "xlsx"), "crunchbase": ("standard", "excel"),
                 "dealroom": ("standard", "xlsx"), "preqin": ("standard", "xlsx"),
                 "pitchbook_funds": ("standard", "xlsx"), "generic": ("standard", "xlsx"),
                 "canonical": ("standard",)}


def version_of(source: str, style: str = "standard") -> int:
    """The content version of a source's files (what the cache is checked against)."""
    if style == "xlsx":
        return GENERATOR_VERSION * 100 + 1
    return _VERSIONS.get(source, GENERATOR_VERSION)


def data_path(source: str, n: int, seed: int = 0, root: Path | str = DATA_DIR,
              style: str = "standard") -> Path:
    """Cache path of a generated file, e.g. ``SYNTHETIC_pitchbook_deals_n10000_seed0.csv``
    (``SYNTHETIC_pitchbook_deals_excel_n10000_seed0.csv`` for the ``"excel"`` style,
    ``SYNTHETIC_pitchbook_deals_n10000_seed0.xlsx`` for ``"xlsx"``)."""
    root = Path(root)
    if source not in SOURCES:
        raise ValueError(f"source must be one of {list(SOURCES)}, got {source!r}")
    if style not in SOURCE_STYLES[source]:
        raise ValueError(f"style of {source!r} must be one of {list(SOURCE_STYLES[source])}, "
                         f"got {style!r}")
    if source == "canonical":
        return root / f"SYNTHETIC_canonical_rounds_n{n}_seed{seed}.parquet"
    if style == "xlsx":
        return root / f"SYNTHETIC_{_STEMS[source]}_n{n}_seed{seed}.xlsx"
    tag = "" if style == "standard" else f"_{style}"
    return root / f"SYNTHETIC_{_STEMS[source]}{tag}_n{n}_seed{seed}.csv"


def pitchbook_banner(n: int, seed: int) -> list[str]:
    """The six banner rows above the header of the PitchBook-layout file."""
    return [
        "SYNTHETIC DATA - NOT PITCHBOOK DATA - generated by fundgap benchmarks/generate.py",
        f"SYNTHETIC deal export in the PitchBook CSV layout: {n} rows, seed {seed}",
        "Search criteria: none (every value below is made up by a seeded random generator)",
        "Money amounts in USD millions (synthetic)",
        "Generated for performance benchmarks only; do not use for analysis",
        "",
    ]


def write_pitchbook(path: Path | str, n: int, seed: int = 0, style: str = "standard") -> dict:
    """Write a SYNTHETIC PitchBook-layout CSV (banner rows, header, ``n`` rows; the
    ``"excel"`` style: byte-order mark and CRLF, no banner rows; ``"xlsx"``: a workbook, see
    :func:`write_pitchbook_xlsx`)."""
    if style == "xlsx":
        return write_pitchbook_xlsx(path, n, seed)
    frame, info = pitchbook_frame(n, seed, style)
    path = Path(path)
    excel = style == "excel"
    with open(path, "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as fh:
        if not excel:
            for line in pitchbook_banner(n, seed):
                fh.write(line + "\n")
        frame.to_csv(fh, index=False, lineterminator="\r\n" if excel else "\n")
    info.update(banner_rows=0 if excel else PITCHBOOK_BANNER_ROWS, columns=list(PITCHBOOK_COLUMNS),
                style=style, records=n)
    return info


def write_crunchbase(path: Path | str, n: int, seed: int = 0, style: str = "standard") -> dict:
    """Write a SYNTHETIC Crunchbase funding-rounds CSV (header, ``n`` rows; the ``"excel"``
    style: byte-order mark, CRLF, every field quoted)."""
    import csv

    frame, info = crunchbase_frame(n, seed, style)
    if style == "excel":
        frame.to_csv(path, index=False, lineterminator="\r\n", encoding="utf-8-sig",
                     quoting=csv.QUOTE_ALL)
    else:
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    info.update(banner_rows=0, columns=list(CRUNCHBASE_COLUMNS), style=style, records=n)
    return info


def write_canonical(path: Path | str, n: int, seed: int = 0, style: str = "standard") -> dict:
    frame = canonical_rounds(n, seed)
    frame.to_parquet(path, index=False)
    return {"rows": n}


def write_dealroom(path: Path | str, n: int, seed: int = 0, style: str = "standard") -> dict:
    """Write a SYNTHETIC Dealroom company export (upper-case headers, ``n`` company rows; the
    ``"xlsx"`` style: the same cells as a workbook, see :func:`write_cells_xlsx`)."""
    frame, info = dealroom_frame(n, seed)
    if style == "xlsx":
        info["writer"] = write_cells_xlsx(path, frame, [], "Companies",
                                          "SYNTHETIC Dealroom-layout companies")
    else:
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    info.update(banner_rows=0, columns=list(DEALROOM_COLUMNS), style=style)
    return info


def write_preqin(path: Path | str, n: int, seed: int = 0, style: str = "standard") -> dict:
    """Write a SYNTHETIC Preqin fund export as CSV (header, ``n`` rows; the ``"xlsx"`` style:
    the same cells as Preqin's ``Preqin_Export`` workbook sheet, see :func:`write_cells_xlsx`)."""
    frame, info = preqin_frame(n, seed)
    if style == "xlsx":
        info["writer"] = write_cells_xlsx(path, frame, [], "Preqin_Export",
                                          "SYNTHETIC Preqin-layout funds")
    else:
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    info.update(banner_rows=0, columns=list(PREQIN_COLUMNS), style=style)
    return info


def pitchbook_funds_banner(n: int, seed: int) -> list[str]:
    """The six banner rows above the header of the PitchBook fund export."""
    return [
        "SYNTHETIC DATA - NOT PITCHBOOK DATA - generated by fundgap benchmarks/generate.py",
        f"SYNTHETIC fund export in the PitchBook CSV layout: {n} rows, seed {seed}",
        "Search criteria: none (every value below is made up by a seeded random generator)",
        "Fund sizes in USD millions (synthetic)",
        "Generated for performance benchmarks only; do not use for analysis",
        "",
    ]


def write_pitchbook_funds(path: Path | str, n: int, seed: int = 0, style: str = "standard") -> dict:
    """Write a SYNTHETIC PitchBook fund export (six banner rows, header, ``n`` rows; the
    ``"xlsx"`` style: the same rows as a workbook, see :func:`write_cells_xlsx`)."""
    frame, info = pitchbook_funds_frame(n, seed)
    if style == "xlsx":
        info["writer"] = write_cells_xlsx(path, frame, pitchbook_funds_banner(n, seed), "Funds",
                                          "SYNTHETIC PitchBook-layout funds")
    else:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            for line in pitchbook_funds_banner(n, seed):
                fh.write(line + "\n")
            frame.to_csv(fh, index=False, lineterminator="\n")
    info.update(banner_rows=PITCHBOOK_BANNER_ROWS, columns=list(PITCHBOOK_FUNDS_COLUMNS), style=style)
    return info


def write_generic(path: Path | str, n: int, seed: int = 0, style: str = "standard") -> dict:
    """Write the SYNTHETIC generic rounds sheet as a spreadsheet saves it: UTF-8 with a
    byte-order mark, CRLF line breaks (the ``"xlsx"`` style: the workbook itself, see
    :func:`write_cells_xlsx`)."""
    frame, info = generic_frame(n, seed)
    if style == "xlsx":
        info["writer"] = write_cells_xlsx(path, frame, [], "Rounds",
                                          "SYNTHETIC generic rounds sheet")
    else:
        frame.to_csv(path, index=False, lineterminator="\r\n", encoding="utf-8-sig")
    info.update(banner_rows=0, columns=list(GENERIC_HEADER), style=style)
    return info


_WRITERS = {"pitchbook": write_pitchbook, "crunchbase": write_crunchbase,
            "dealroom": write_dealroom, "preqin": write_preqin,
            "pitchbook_funds": write_pitchbook_funds, "generic": write_generic,
            "canonical": write_canonical}


def ensure(source: str, n: int, seed: int = 0, root: Path | str = DATA_DIR,
           force: bool = False, verbose: bool = False, style: str = "standard") -> Path:
    """Return the cached file for (source, n, seed, style), generating it first if needed."""
    if source == "canonical":
        style = "standard"  # (a frame, not an export: it has no file style)
    path = data_path(source, n, seed, root, style)
    meta = path.with_suffix(path.suffix + ".json")
    if path.exists() and meta.exists() and not force:
        try:
            if json.loads(meta.read_text()).get("generator_version") == version_of(source, style):
                return path
        except (OSError, ValueError):
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    t0 = time.perf_counter()
    try:
        info = _WRITERS[source](tmp, n, seed, style)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    info.update(source=source, seed=seed, synthetic=True, generator_version=version_of(source, style),
                path=path.name,
                bytes=path.stat().st_size, generated_in_s=round(time.perf_counter() - t0, 2))
    meta.write_text(json.dumps(info, indent=1))
    if verbose:
        print(f"generated {path} ({info['bytes'] / 1e6:.1f} MB) in {info['generated_in_s']} s",
              file=sys.stderr)
    return path


def info_of(path: Path | str) -> dict:
    """The JSON sidecar of a generated file (what was generated: rows, records ...)."""
    path = Path(path)
    return json.loads(path.with_suffix(path.suffix + ".json").read_text())


def sha256(path: Path | str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("sources", nargs="*", default=["pitchbook", "crunchbase"], choices=SOURCES)
    p.add_argument("--rows", nargs="+", type=lambda s: int(float(s)), default=[10_000])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=str(DATA_DIR))
    p.add_argument("--force", action="store_true", help="regenerate even if cached")
    p.add_argument("--style", nargs="+", choices=STYLES, default=["standard"],
                   help="file style(s) of the exports (see the module docstring)")
    a = p.parse_args(argv)
    for n in a.rows:
        for s in a.sources:
            for style in a.style:
                if style in SOURCE_STYLES[s]:
                    print(ensure(s, n, a.seed, a.out, force=a.force, verbose=True, style=style))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
