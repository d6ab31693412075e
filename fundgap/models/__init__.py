"""Models: depth of capital, regional comparison, macro gap and fund capacity.

Every model takes canonical frames (never paths) and returns a
:class:`~fundgap.models.results.Result` whose ``to_frame()`` is one tidy table.
statsmodels is imported inside the functions that need it, and nothing here
imports matplotlib, seaborn or openpyxl.
"""

from fundgap.models.capacity import CapacityResult, capacity, lead_capacity
from fundgap.models.compare import ComparisonResult, compare_regions
from fundgap.models.countries import CountryComparisonResult, country_comparison
from fundgap.models.depth import DepthResult, depth
from fundgap.models.fundcase import FundCaseResult, published_fund_case
from fundgap.models.gap import GapResult, gap, source_options
from fundgap.models.results import Result
from fundgap.models.sources import SourceComparisonResult, compare_sources

__all__ = [
    "CapacityResult",
    "ComparisonResult",
    "CountryComparisonResult",
    "DepthResult",
    "FundCaseResult",
    "GapResult",
    "Result",
    "SourceComparisonResult",
    "capacity",
    "compare_regions",
    "compare_sources",
    "country_comparison",
    "depth",
    "gap",
    "lead_capacity",
    "published_fund_case",
    "source_options",
]
