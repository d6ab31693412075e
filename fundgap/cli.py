"""The ``fundgap`` command: a thin shell over the public API.

Subcommands
-----------
``fundgap report``
    The whole analysis (workbook, figures, tidy CSVs) on the shipped data, or on
    your own exports with ``--rounds FILE --source X``, ``--funds FILE``,
    ``--series FILE`` (the shipped data fill whatever you do not give).
``fundgap load FILE [--source X] --out normalised.csv``
    Read one export into the canonical schema; the rejected rows go beside it.
``fundgap depth``, ``fundgap gap``, ``fundgap scenario``
    One model each, printed as a summary (and written with ``--out``).
``fundgap datasets [NAME]``
    List the shipped datasets, or describe one.

Countries and groups: ``--group coalition=BE,NL,DK,SE,FI,NO`` (repeatable) names a
group of ISO 3166 alpha-2 codes, and ``--against`` takes a region code, a country code
(``BE``), a group name or ``EU27_excl_<name>`` (``gap``, ``depth``, ``scenario``,
``report``; see METHODOLOGY.md section 1.3).

Exit codes: 0 success, 2 usage error, 1 data error (the message, without a
traceback unless ``--debug``).

Heavy modules (pandas, statsmodels, matplotlib, openpyxl) are imported only
inside the subcommand that needs them, so ``fundgap --help`` starts fast.

Examples
--------
>>> main(["--version"]) == 0  # doctest: +ELLIPSIS
fundgap ...
True
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

__all__ = ["build_parser", "main"]

DEFAULT_OUT = "fundgap-report"
DEFAULT_SEED = 20261122
#: Price year of every EUR amount the command prints (one unit convention: EUR m, 2024 prices).
PRICE_BASE = 2024
LEVERS = ("bigger_funds", "more_funds", "mix")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fundgap")
    except PackageNotFoundError:
        import fundgap

        return fundgap.__version__


#: Width of every line the command prints.
WIDTH = 100


def _fit(text: str, width: int = WIDTH) -> str:
    """Wrap lines longer than ``width`` (continuations indented under the first word)."""
    import textwrap

    out = []
    for line in str(text).splitlines():
        if len(line) <= width:
            out.append(line)
            continue
        indent = " " * min(len(line) - len(line.lstrip()) + 4, 24)
        out.extend(textwrap.wrap(line, width=width, subsequent_indent=indent,
                                 break_long_words=True, break_on_hyphens=False))
    return "\n".join(out)


class _Printer:
    """Prints unless quiet, every line within 100 columns; progress only on a terminal."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, *args: Any) -> None:
        if not self.quiet:
            print(_fit(" ".join(str(a) for a in args)), flush=True)

    def progress(self, total: int, desc: str) -> Any:
        if self.quiet or not sys.stderr.isatty():
            return None
        try:
            from tqdm import tqdm
        except ImportError:  # pragma: no cover - tqdm is a dependency
            return None
        return tqdm(total=total, desc=desc, unit="step", leave=False, file=sys.stderr)


# ----------------------------------------------------------------------------- parser


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


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``fundgap`` command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="print nothing but errors")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the full traceback on errors")

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

    def data_args(sp: argparse.ArgumentParser, *, rounds: bool = True, funds: bool = False,
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

    def group_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--group", metavar="NAME=CODES", type=_group_spec, action="append",
                        help="a group of countries by ISO 3166 alpha-2 codes, usable wherever a "
                             "region goes, e.g. coalition=BE,NL,DK,SE,FI,NO (repeatable)")

    def scenario_args(sp: argparse.ArgumentParser) -> None:
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

    r = sub.add_parser("report", parents=[common], help="the whole analysis: workbook, figures, CSVs",
                       description="Run the whole analysis and write the Excel workbook, the figures "
                                   "(PNG and SVG) and the tidy tables (CSV).")
    data_args(r, rounds=True, funds=True, series=True)
    scenario_args(r)
    group_args(r)
    r.add_argument("--against", metavar="PLACE",
                   help="a country code (BE), group or EU27_excl_<name> the report compares "
                        "with the US and the EU-27 beside the regions")
    r.add_argument("--out", metavar="DIR", default=DEFAULT_OUT,
                   help=f"output folder (default ./{DEFAULT_OUT}/)")
    r.add_argument("--max-rows", type=_positive_int, default=None,
                   help="largest table written into the workbook; longer ones go to CSV")

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

    d = sub.add_parser("depth", parents=[common], help="depth of capital by region and stage",
                       description="Round counts and sizes by region and stage group, with "
                                   "bootstrap intervals.")
    d.add_argument("file", metavar="FILE", nargs="?",
                   help="funding-round export (as for 'fundgap load'); default: the shipped "
                        "CrunchBase 2013 US biotech rounds")
    data_args(d, rounds=True)
    group_args(d)
    d.add_argument("--against", metavar="PLACE", action="append",
                   help="also show the cells of this place: a country code (BE), a group or "
                        "EU27_excl_<name> (repeatable; the groups are shown anyway)")
    d.add_argument("--all-sectors", action="store_true",
                   help="use every round, not only biotech rounds")
    d.add_argument("--seed", type=int, default=DEFAULT_SEED, help="bootstrap seed")
    d.add_argument("--out", metavar="FILE", help="also write the table (.csv or .xlsx)")

    g = sub.add_parser("gap", parents=[common], help="the EU-US gap in aggregate statistics",
                       description="The yearly gap between two regions in aggregate VC statistics, "
                                   "per source and stage (sources are never mixed).")
    g.add_argument("file", metavar="FILE", nargs="?",
                   help="aggregate statistics (OECD, NCSES, canonical or long CSV); default: "
                        "the shipped OECD and NCSES series")
    data_args(g, rounds=False, series=True)
    g.add_argument("--base", default="US", help="reference region (default US)")
    g.add_argument("--against", default="EU27",
                   help="place compared: a region, a country code (BE), a group of --group or "
                        "EU27_excl_<name> (default EU27)")
    group_args(g)
    g.add_argument("--only", metavar="SOURCE",
                   help="one statistics source (e.g. oecd, ncses); default: each source in turn")
    g.add_argument("--stage", default="all", choices=("all", "seed", "early", "later"),
                   help="stage group (default all)")
    g.add_argument("--out", metavar="FILE", help="also write the table (.csv or .xlsx)")

    s = sub.add_parser("scenario", parents=[common], help="project a growth path of European capital",
                       description="What growing European capital by --multiple in --years does to "
                                   "each stage's gap, with Monte Carlo uncertainty.")
    scenario_args(s)
    group_args(s)
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

    ds = sub.add_parser("datasets", parents=[common], help="list the shipped datasets or describe one")
    ds.add_argument("name", nargs="?", metavar="NAME")
    return p


# ----------------------------------------------------------------------------- commands


def _groups(args: argparse.Namespace) -> dict[str, list[str]] | None:
    """The --group options as a groups mapping (a name given twice is an error)."""
    from fundgap.errors import FundgapError

    out: dict[str, list[str]] = {}
    for name, members in getattr(args, "group", None) or []:
        if name in out:
            raise FundgapError("--group names this group twice", column="--group", value=name)
        out[name] = members
    return out or None


def _read(kind: str, path: str, source: str | None, say: _Printer,
          args: argparse.Namespace | None = None) -> Any:
    import fundgap

    reader = {"rounds": fundgap.read_rounds, "funds": fundgap.read_funds,
              "series": fundgap.read_series}[kind]
    kw = {}
    for name in ("columns", "currency"):
        value = getattr(args, name, None) if args is not None else None
        if value:
            kw[name] = value
    loaded = reader(path, source=source, **kw)
    say(loaded.summary())
    return loaded


def _write_table(frame: Any, out: str, say: _Printer, result: Any = None) -> None:
    from pathlib import Path

    from fundgap.errors import FundgapError

    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx", ".parquet"}:
        raise FundgapError("unsupported output file type", file=out, value=path.suffix,
                           expected=[".csv", ".xlsx", ".parquet"])
    if suffix == ".xlsx":
        from fundgap._output import prepare_folder

        prepare_folder(path)
        if result is not None:
            from fundgap.report.excel import write_result

            write_result(result, path)
        else:
            from fundgap.report.excel import Sheet, Table, write_workbook

            write_workbook([Sheet("data", tables=[Table(frame)])], path)
    else:  # (whole files or none; text cells kept as text in spreadsheets)
        from fundgap._output import write_csv, write_parquet

        (write_parquet if suffix == ".parquet" else write_csv)(frame, path)
    say(f"wrote {path}")


def _cmd_report(args: argparse.Namespace, say: _Printer) -> int:
    from fundgap.report import write_report

    t0 = time.perf_counter()
    # 7 findings steps, then the sheets, the workbook and the figures
    bar = say.progress(total=10, desc="fundgap report")

    def progress(step: str) -> None:
        if bar is not None:
            bar.set_postfix_str(step)
            bar.update(1)

    rounds = args.rounds
    if rounds and (args.columns or args.currency):
        rounds = _read("rounds", rounds, args.source, _Printer(True), args)
    try:
        out = write_report(
            args.out,
            rounds=rounds, rounds_source=args.source,
            funds=args.funds, funds_source=args.funds_source,
            series=args.series, series_source=args.series_source,
            multiple=args.multiple, years=args.years, lever=args.lever,
            n_sims=args.sims, seed=args.seed, max_rows=args.max_rows,
            progress=progress, groups=_groups(args), against=args.against,
        )
    finally:
        if bar is not None:
            bar.close()
    say(out.summary())
    say(f"done in {time.perf_counter() - t0:.1f} s")
    return 0


def _cmd_load(args: argparse.Namespace, say: _Printer) -> int:
    from pathlib import Path

    from fundgap.errors import FundgapError

    out = Path(args.out)
    if out.suffix.lower() not in {".csv", ".parquet"}:
        raise FundgapError("--out must be a .csv or .parquet file", file=args.out,
                           value=out.suffix, expected=[".csv", ".parquet"])
    loaded = _read(args.kind, args.file, args.source, say, args)
    from fundgap._output import atomic_write_all, csv_writer

    # the output and its rejects are written whole and renamed together: an earlier
    # run's rejects never stay beside a new output
    rej = out.with_name(out.stem + ".rejects.csv")
    data = loaded.data
    atomic_write_all([
        (out, (lambda f: data.to_parquet(f, index=False)) if out.suffix.lower() == ".parquet"
         else csv_writer(data)),
        (rej, csv_writer(loaded.rejects)),
    ])
    say(f"wrote {out} ({len(loaded.data):,} rows) and {rej} ({len(loaded.rejects):,} rejected rows)")
    return 0


def _one_file(args: argparse.Namespace, option: str) -> str | None:
    """The input file, given as FILE (as for 'fundgap load') or as --rounds/--series FILE."""
    from fundgap.errors import FundgapError

    flag = getattr(args, option, None)
    if args.file and flag and args.file != flag:
        raise FundgapError(f"give the file once: as FILE or as --{option}", value=[args.file, flag])
    return args.file or flag


def _rounds_for(args: argparse.Namespace, say: _Printer) -> Any:
    import fundgap

    path = _one_file(args, "rounds")
    if path:
        return _read("rounds", path, args.source, say, args).data
    if args.source:
        from fundgap.errors import FundgapError

        raise FundgapError("--source needs a rounds file: fundgap depth FILE --source X "
                           "(or --rounds FILE)")
    return fundgap.load_dataset("crunchbase2013_us_rounds")


def _cmd_depth(args: argparse.Namespace, say: _Printer) -> int:
    import fundgap

    rounds = _rounds_for(args, say)
    if not args.all_sectors and "is_biotech" in rounds.columns:
        rounds = rounds[rounds["is_biotech"].fillna(False).astype(bool)]
    groups = _groups(args)
    regions = None
    if args.against:  # the regions present, the groups and the places asked for
        present = rounds["region"].dropna().astype(str).unique().tolist()
        regions = list(dict.fromkeys([*present, *(groups or {}), *args.against]))
    res = fundgap.depth(rounds, seed=args.seed, groups=groups, regions=regions,
                        price_base=PRICE_BASE)
    say(res.summary())
    if args.out:
        _write_table(res.to_frame(), args.out, say, res)
    return 0


def _series_for(args: argparse.Namespace, say: _Printer) -> Any:
    path = _one_file(args, "series")
    if path:
        return _read("series", path, args.series_source, say).data
    from fundgap.report.pipeline import shipped_series

    return shipped_series()


def _cmd_gap(args: argparse.Namespace, say: _Printer) -> int:
    import fundgap
    from fundgap.models import source_options
    from fundgap.models.gap import SOURCE_TABLES

    series = _series_for(args, say)
    present = sorted(series["source"].dropna().astype(str).unique()) \
        if "source" in series.columns else []
    if args.only or len(present) <= 1:
        src = args.only or (present[0] if present else None)
        kw = source_options(series, src) if src is not None else {}
        res = fundgap.gap(series, base=args.base, against=args.against, stage_group=args.stage,
                          groups=_groups(args), **kw)
    else:  # every source side by side, one column each, never blended
        tables = {s: t for s, t in SOURCE_TABLES.items() if "table" in series.columns
                  and (series["table"].astype(str) == t).any()}
        res = fundgap.compare_sources(series, base=args.base, against=args.against,
                                      stage_group=args.stage, table=tables,
                                      aggregate_countries=True, groups=_groups(args))
    say(res.summary())
    if args.out:
        _write_table(res.to_frame(), args.out, say, res)
    return 0


def _cmd_scenario(args: argparse.Namespace, say: _Printer) -> int:
    import fundgap
    from fundgap.scenarios import Counterfactual, scenario_places, shipped_baseline
    from fundgap.scenarios.counterfactual import baseline_for

    path = fundgap.growth_path(args.multiple, args.years)
    groups = _groups(args)
    base = args.against[0] if args.against else "US"
    comparators = scenario_places(args.region, base, args.against, groups)
    if groups or args.region != "EU27" or args.against:  # countries, groups: country rows
        baseline = shipped_baseline(regions=tuple(dict.fromkeys([args.region, base, *comparators])),
                                    groups=groups)
    else:
        # no regional fund-size distribution is shipped: the published EU / US average fund
        # sizes (points) make the levers differ; see METHODOLOGY section 5
        baseline, _notes = baseline_for(published=fundgap.load_dataset("published_figures"))
    res = fundgap.project(baseline, path, lever=args.lever, horizon=args.years,
                          n_sims=args.sims, seed=args.seed, region=args.region, base=base,
                          groups=groups, counterfactual=Counterfactual(
                              comparators=comparators, us_growth=args.us_growth,
                              other_growth=args.other_growth))
    say(res.summary())
    if args.out:
        _write_table(res.to_frame(), args.out, say, res)
    return 0


def _cmd_datasets(args: argparse.Namespace, say: _Printer) -> int:
    import fundgap

    if args.name:
        info = fundgap.describe_dataset(args.name)
        if isinstance(info, dict):
            import json

            say(json.dumps(info, indent=2, default=str, ensure_ascii=False))
        else:
            say(info)
        return 0
    table = fundgap.list_datasets()
    say(f"{'name':<28} {'kind':<9} what")
    for name, kind, title in zip(table["name"], table["kind"], table["title"], strict=True):
        text = str(title).split(":")[0]
        text = text if len(text) <= 61 else text[:58] + "..."
        say(f"{name:<28} {kind:<9} {text}")
    say("'fundgap datasets NAME' describes one: source, licence, coverage, codebook, how to cite")
    return 0


def _cli_words(text: str) -> str:
    """An API message in the command line's words (``source=`` becomes ``--source``).

    Examples
    --------
    >>> _cli_words("pass source= (or source='generic' with columns=...)")
    'pass --source X (or --source generic with --columns FIELD=HEADER,...)'
    """
    return (text.replace("source='generic' with columns=...",
                         "--source generic with --columns FIELD=HEADER,...")
            .replace("source=", "--source X").replace("columns=", "--columns ")
            .replace("--source X'", "--source '"))


_COMMANDS = {
    "report": _cmd_report,
    "load": _cmd_load,
    "depth": _cmd_depth,
    "gap": _cmd_gap,
    "scenario": _cmd_scenario,
    "datasets": _cmd_datasets,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fundgap`` command and return its exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 2 on a usage error, 1 on a data error.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help, --version (0) and usage errors (2)
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    quiet = bool(getattr(args, "quiet", False))
    debug = bool(getattr(args, "debug", False)) or os.environ.get("FUNDGAP_DEBUG") == "1"
    if args.command is None:
        parser.print_help()
        return 2
    say = _Printer(quiet)
    from fundgap.errors import FundgapError

    try:
        return _COMMANDS[args.command](args, say)
    except FundgapError as exc:
        if debug:
            raise
        print(f"fundgap {args.command}: error: {_cli_words(str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into 'head' and closed early: not an error
        sys.stderr.close()
        return 0
    except OSError as exc:  # (disk full, permissions ... outside fundgap's own checks)
        if debug:
            raise
        name = getattr(exc, "filename", None) or ""
        print(f"fundgap {args.command}: error: {exc.strerror or exc}: {name}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("fundgap: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback without --debug: one line, then exit 1
        if debug:
            raise
        text = " ".join(str(exc).split())[:300]
        print(f"fundgap {args.command}: internal error: {type(exc).__name__}: {text} "
              "(run with --debug for the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
