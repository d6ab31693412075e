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

from fundgap._cli_parser import DEFAULT_OUT, DEFAULT_SEED, LEVERS, build_parser

__all__ = ["DEFAULT_OUT", "DEFAULT_SEED", "LEVERS", "build_parser", "main"]

#: Price year of every EUR amount the command prints (one unit convention: EUR m, 2024 prices).
PRICE_BASE = 2024


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

    @property
    def bars(self) -> bool:
        """Progress bars only on a terminal, never with --quiet."""
        return not self.quiet and sys.stderr.isatty()

    def progress(self, total: int, desc: str) -> Any:
        if not self.bars:
            return None
        from tqdm import tqdm

        return tqdm(total=total, desc=desc, unit="step", leave=False, file=sys.stderr,
                    position=0)


# ----------------------------------------------------------------------------- parser


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
    for name in ("columns", "currency", "unit"):
        value = getattr(args, name, None) if args is not None else None
        if value:
            kw[name] = value
    from pathlib import Path

    from fundgap.models._progress import step

    with step(f"reading {kind}: {Path(path).name}"):
        loaded = reader(path, source=source, progress=say.bars, **kw)
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

    from fundgap.report.pipeline import REPORT_STEPS

    t0 = time.perf_counter()
    # the findings' steps, then the sheets, the workbook and the figures; the long steps
    # inside them draw their own bars below this one
    bar = say.progress(total=len(REPORT_STEPS), desc="fundgap report")

    def progress(step: str) -> None:
        if bar is not None:
            bar.set_postfix_str(step)
            bar.update(1)

    rounds = args.rounds
    if rounds and (args.columns or args.currency or args.unit):
        rounds = _read("rounds", rounds, args.source, _Printer(True), args)
    try:
        out = write_report(
            args.out,
            rounds=rounds, funds=args.funds, series=args.series,
            sources={"rounds": args.source, "funds": args.funds_source,
                     "series": args.series_source},
            multiple=args.multiple, horizon=args.years, lever=args.lever,
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
    text = (text.replace("source='generic' with columns=...",
                         "--source generic with --columns FIELD=HEADER,...")
            .replace("source=", "--source X").replace("columns=", "--columns ")
            .replace("--source X'", "--source '"))
    for argument, flag in _FLAGS.items():
        text = text.replace(f"argument '{argument}'", f"option {flag}")
    return text


#: Arguments of the Python API and the command-line options that set them.
_FLAGS = {"regions": "--against", "against": "--against", "base": "--base",
          "region": "--region", "groups": "--group", "group": "--group",
          "stage_group": "--stage", "source": "--only", "multiple": "--multiple",
          "horizon": "--years", "n_years": "--years", "n_sims": "--sims", "lever": "--lever",
          "unit": "--unit", "currency": "--currency", "columns": "--columns"}


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

    from fundgap.models._progress import progress_bars

    try:
        # the long steps' bars (loads, bootstraps, regressions, Monte Carlo, workbook ...),
        # below the report's own bar; none with --quiet or off a terminal
        with progress_bars(say.bars, position=1 if args.command == "report" else 0):
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
