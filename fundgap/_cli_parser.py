"""The argument parser of the ``fundgap`` command (see :mod:`fundgap.cli`)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["DEFAULT_OUT", "DEFAULT_SEED", "LEVERS", "build_parser"]

DEFAULT_OUT = "fundgap-report"
DEFAULT_SEED = 20261122
LEVERS = ("bigger_funds", "more_funds", "mix")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fundgap")
    except PackageNotFoundError:
        import fundgap

        return fundgap.__version__


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def _group_spec(text: str) -> tuple[str, list[str]]:
    """``NAME=CODE,CODE,...`` -> (name, codes); the codes are checked by the API."""
    name, sep, codes = text.partition("=")
    members = [c.strip() for c in codes.split(",") if c.strip()]
    if not sep or not name.strip() or not members:
        raise argparse.ArgumentTypeError(
            f"expected NAME=CODE,CODE,... (e.g. coalition=BE,NL,DK,SE,FI,NO), got {text!r}")
    return name.strip(), members


def _growth(text: str) -> float | str:
    if text == "trend":
        return text
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected 'trend' or a rate such as 0.05, got {text!r}"
                                         ) from None


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def _mapping(text: str) -> dict[str, str]:
    """``'company=Startup,date=When'`` -> ``{'company': 'Startup', 'date': 'When'}``."""
    out = {}
    for part in text.split(","):
        if "=" not in part:
            raise argparse.ArgumentTypeError(f"expected FIELD=HEADER pairs separated by commas, "
                                             f"got {part!r}")
        field, header = part.split("=", 1)
        out[field.strip()] = header.strip()
    return out


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="print nothing but errors")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the full traceback on errors")
    return common


def _data_args(sp: argparse.ArgumentParser, *, rounds: bool = True, funds: bool = False,
               series: bool = False) -> None:
    if rounds:
        sp.add_argument("--rounds", metavar="FILE",
                        help="funding-round export (PitchBook, Crunchbase, Dealroom, CSV); "
                             "default: the shipped CrunchBase 2013 US biotech rounds")
        sp.add_argument("--source", metavar="X",
                        help="layout of the rounds file (pitchbook, crunchbase, dealroom, "
                             "canonical, generic ...); default: recognised from the header")
        _generic_args(sp)
    if funds:
        sp.add_argument("--funds", metavar="FILE",
                        help="fund export (Preqin, PitchBook funds, CSV); default: shipped funds")
        sp.add_argument("--funds-source", metavar="X", help="layout of --funds")
    if series:
        sp.add_argument("--series", metavar="FILE",
                        help="aggregate statistics (OECD, NCSES or long CSV); "
                             "default: the shipped OECD and NCSES series")
        sp.add_argument("--series-source", metavar="X", help="layout of --series")


def _group_args(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--group", metavar="NAME=CODES", type=_group_spec, action="append",
                    help="a group of countries by ISO 3166 alpha-2 codes, usable wherever a "
                         "region goes, e.g. coalition=BE,NL,DK,SE,FI,NO (repeatable)")


def _scenario_args(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--multiple", type=_positive_float, default=5.0,
                    help="growth of European capital over the horizon (default 5)")
    sp.add_argument("--years", type=_positive_int, default=10, help="horizon in years (default 10)")
    sp.add_argument("--lever", choices=LEVERS, default="bigger_funds",
                    help="how the new capital arrives (default bigger_funds)")
    sp.add_argument("--sims", type=_positive_int, default=1000,
                    help="Monte Carlo simulations for the fan chart (default 1000; 0 = none)")
    sp.add_argument("--seed", type=int, default=DEFAULT_SEED,
                    help=f"random seed (default {DEFAULT_SEED})")


def _generic_args(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--columns", metavar="FIELD=HEADER,...", type=_mapping,
                    help="with --source generic: which header holds each field, e.g. "
                         "'company=Startup,date=Deal date,amount=Size (EUR m)'")
    sp.add_argument("--currency", metavar="CODE",
                    help="with --source generic: the currency of amounts without one")
    sp.add_argument("--unit", choices=("units", "thousands", "millions", "billions"),
                    help="with --source generic: the unit of the amounts (default millions)")


def _add_report(sub: Any, common: argparse.ArgumentParser) -> None:
    r = sub.add_parser("report", parents=[common], help="the whole analysis: workbook, figures, CSVs",
                       description="Run the whole analysis and write the Excel workbook, the figures "
                                   "(PNG and SVG) and the tidy tables (CSV).")
    _data_args(r, rounds=True, funds=True, series=True)
    _scenario_args(r)
    _group_args(r)
    r.add_argument("--against", metavar="PLACE",
                   help="a country code (BE), group or EU27_excl_<name> the report compares "
                        "with the US and the EU-27 beside the regions")
    r.add_argument("--out", metavar="DIR", default=DEFAULT_OUT,
                   help=f"output folder (default ./{DEFAULT_OUT}/)")
    r.add_argument("--max-rows", type=_positive_int, default=None,
                   help="largest table written into the workbook; longer ones go to CSV")


def _add_load(sub: Any, common: argparse.ArgumentParser) -> None:
    ld = sub.add_parser("load", parents=[common], help="read one export into the canonical schema",
                        description="Read one export, normalise it and write the canonical table; "
                                    "the rejected rows go beside it (<name>.rejects.csv).")
    ld.add_argument("file", metavar="FILE")
    ld.add_argument("--source", metavar="X", help="layout of FILE (default: recognised from "
                                                  "the header)")
    _generic_args(ld)
    ld.add_argument("--kind", choices=("rounds", "funds", "series"), default="rounds",
                    help="what FILE holds (default rounds)")
    ld.add_argument("--out", metavar="FILE", required=True,
                    help="normalised output: .csv or .parquet")


def _add_depth(sub: Any, common: argparse.ArgumentParser) -> None:
    d = sub.add_parser("depth", parents=[common], help="depth of capital by region and stage",
                       description="Round counts and sizes by region and stage group, with "
                                   "bootstrap intervals.")
    d.add_argument("file", metavar="FILE", nargs="?",
                   help="funding-round export (as for 'fundgap load'); default: the shipped "
                        "CrunchBase 2013 US biotech rounds")
    _data_args(d, rounds=True)
    _group_args(d)
    d.add_argument("--against", metavar="PLACE", action="append",
                   help="also show the cells of this place: a country code (BE), a group or "
                        "EU27_excl_<name> (repeatable; the groups are shown anyway)")
    d.add_argument("--all-sectors", action="store_true",
                   help="use every round, not only biotech rounds")
    d.add_argument("--seed", type=int, default=DEFAULT_SEED, help="bootstrap seed")
    d.add_argument("--out", metavar="FILE", help="also write the table (.csv or .xlsx)")


def _add_gap(sub: Any, common: argparse.ArgumentParser) -> None:
    g = sub.add_parser("gap", parents=[common], help="the EU-US gap in aggregate statistics",
                       description="The yearly gap between two regions in aggregate VC statistics, "
                                   "per source and stage (sources are never mixed).")
    g.add_argument("file", metavar="FILE", nargs="?",
                   help="aggregate statistics (OECD, NCSES, canonical or long CSV); default: "
                        "the shipped OECD and NCSES series")
    _data_args(g, rounds=False, series=True)
    g.add_argument("--base", default="US", help="reference region (default US)")
    g.add_argument("--against", default="EU27",
                   help="place compared: a region, a country code (BE), a group of --group or "
                        "EU27_excl_<name> (default EU27)")
    _group_args(g)
    g.add_argument("--only", metavar="SOURCE",
                   help="one statistics source (e.g. oecd, ncses); default: each source in turn")
    g.add_argument("--stage", default="all", choices=("all", "seed", "early", "later"),
                   help="stage group (default all)")
    g.add_argument("--out", metavar="FILE", help="also write the table (.csv or .xlsx)")


def _add_scenario(sub: Any, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("scenario", parents=[common], help="project a growth path of European capital",
                       description="What growing European capital by --multiple in --years does to "
                                   "each stage's gap, with Monte Carlo uncertainty.")
    _scenario_args(s)
    _group_args(s)
    s.add_argument("--region", default="EU27",
                   help="the place whose capital grows: a region, a country code, a group of "
                        "--group or EU27_excl_<name> (default EU27)")
    s.add_argument("--against", metavar="PLACE", action="append",
                   help="a counterfactual place (repeatable; the first is the base of the "
                        "crossings); default US and CN, plus the rest of the EU-27 when "
                        "--region is a country or group")
    s.add_argument("--us-growth", type=_growth, default="trend",
                   help="annual growth of the US: 'trend' (default) or a rate (0 = flat)")
    s.add_argument("--other-growth", type=_growth, default="trend",
                   help="annual growth of the other counterfactual places (e.g. the rest of the "
                        "EU-27): 'trend' (default) or a rate")
    s.add_argument("--out", metavar="FILE", help="also write the table (.csv or .xlsx)")


def _add_datasets(sub: Any, common: argparse.ArgumentParser) -> None:
    ds = sub.add_parser("datasets", parents=[common], help="list the shipped datasets or describe one")
    ds.add_argument("name", nargs="?", metavar="NAME")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``fundgap`` command."""
    common = _common()
    p = argparse.ArgumentParser(
        prog="fundgap",
        description="Measure Europe's biotech funding gap: depth of capital by stage in the EU, "
                    "the US and China, and what growing European capital fivefold does to it.",
        epilog="Run 'fundgap report' for the whole analysis on the shipped data. "
               "Exit codes: 0 ok, 2 usage error, 1 data error.",
        parents=[common],
    )
    p.add_argument("--version", action="version", version=f"fundgap {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for add in (_add_report, _add_load, _add_depth, _add_gap, _add_scenario, _add_datasets):
        add(sub, common)
    return p
