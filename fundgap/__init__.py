"""fundgap: measure Europe's biotech funding gap.

Loaders read VC fund and funding-round exports and official statistics into one
canonical schema; models compare the depth of capital across the EU, the US and
China by company stage; scenarios project what growing European capital (for
example fivefold in ten years) does to each stage's gap; the report writes an
Excel workbook and figures.

The public API is imported lazily, on first use, so ``import fundgap`` stays fast: it
imports neither pandas nor statsmodels, matplotlib, seaborn or openpyxl.

Examples
--------
>>> import fundgap
>>> fundgap.__version__ != ""
True
>>> fundgap.STAGE_TO_GROUP["series_a"]
'early'
"""

import importlib as _importlib
from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from fundgap.errors import (
    FileFormatError,
    FundgapError,
    MissingColumnError,
    OutputError,
    SchemaError,
    UnknownCountryError,
    UnknownCurrencyError,
    UnknownSourceError,
)

try:
    __version__ = _version("fundgap")
except _PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

# public name -> module that defines it; imported on first use
_LAZY: dict[str, str] = {
    "REGIONS": "fundgap.schema",
    "STAGES": "fundgap.schema",
    "STAGE_GROUPS": "fundgap.schema",
    "STAGE_TO_GROUP": "fundgap.schema",
    "validate_rounds": "fundgap.schema",
    "validate_funds": "fundgap.schema",
    "validate_series": "fundgap.schema",
    "Loaded": "fundgap.loaded",
    "read_rounds": "fundgap.io",
    "read_funds": "fundgap.io",
    "read_series": "fundgap.io",
    "known_sources": "fundgap.io",
    "list_datasets": "fundgap.datasets",
    "load_dataset": "fundgap.datasets",
    "describe_dataset": "fundgap.datasets",
    "depth": "fundgap.models",
    "compare_regions": "fundgap.models",
    "gap": "fundgap.models",
    "compare_sources": "fundgap.models",
    "capacity": "fundgap.models",
    "country_comparison": "fundgap.models",
    "growth_path": "fundgap.scenarios",
    "project": "fundgap.scenarios",
    "sensitivity": "fundgap.scenarios",
    "report": "fundgap.report",
    "findings": "fundgap.findings",
    "Findings": "fundgap.findings",
}

__all__ = [
    "FileFormatError",
    "Findings",
    "FundgapError",
    "Loaded",
    "MissingColumnError",
    "OutputError",
    "REGIONS",
    "STAGES",
    "STAGE_GROUPS",
    "STAGE_TO_GROUP",
    "SchemaError",
    "UnknownCountryError",
    "UnknownCurrencyError",
    "UnknownSourceError",
    "__version__",
    "capacity",
    "compare_regions",
    "compare_sources",
    "country_comparison",
    "depth",
    "describe_dataset",
    "findings",
    "gap",
    "growth_path",
    "known_sources",
    "list_datasets",
    "load_dataset",
    "project",
    "read_funds",
    "read_rounds",
    "read_series",
    "report",
    "sensitivity",
    "validate_funds",
    "validate_rounds",
    "validate_series",
]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        module = _importlib.import_module(_LAZY[name])
        value = module if name in ("report", "findings") else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'fundgap' has no attribute {name!r}")


def __dir__() -> list[str]:
    """Only the public names (submodules imported on the way are reachable, not listed)."""
    return list(__all__)
