"""The documentation's tutorials run as written, and its API reference covers the public API.

Every ```python and ```sh block of ``docs/tutorials/*.md`` is run, in order, from a scratch
folder laid out like the root of a clone (``analyses/`` copied, ``datasets/`` linked), the way a
reader would type them: the python blocks of one tutorial in one namespace, each sh block with
bash (``set -euo pipefail``). A block that needs data fundgap does not ship is written as a MyST
``{code-block}`` whose caption says what it needs, and is not run. The Sphinx build itself
(warnings as errors) runs in CI (.ci/run), where the ``docs`` extra is installed.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
TUTORIALS = sorted((DOCS / "tutorials").glob("*.md")) if DOCS.exists() else []
BIN = Path(sys.executable).parent

FENCE = re.compile(r"^```(\w+)[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
DIRECTIVE = re.compile(r"^```\{code-block\}[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)

needs_docs = pytest.mark.skipif(not TUTORIALS, reason="needs the source tree (docs/)")


def runnable_blocks(text: str) -> list[tuple[str, str]]:
    """The (language, code) of every ```python and ```sh block, in order."""
    return [(lang, code) for lang, code in FENCE.findall(text) if lang in ("python", "sh")]


def test_block_extraction_on_a_small_example():
    text = ("# t\n\n```sh\nfundgap gap\n```\n\n```python\nx = 1\n```\n\n"
            "```{code-block} python\n:caption: needs an export\n\nnot_run()\n```\n\n"
            "```text\noutput\n```\n")
    assert runnable_blocks(text) == [("sh", "fundgap gap\n"), ("python", "x = 1\n")]


def _workspace(tmp: Path) -> Path:
    """A scratch folder laid out like the repository root, so relative paths work."""
    shutil.copytree(ROOT / "analyses", tmp / "analyses",
                    ignore=shutil.ignore_patterns("output", "__pycache__"))
    (tmp / "datasets").symlink_to(ROOT / "datasets", target_is_directory=True)
    return tmp


def _run_sh(code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
               MPLBACKEND="Agg")
    return subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)


def _run_tutorial(path: Path, ws: Path, monkeypatch) -> None:
    blocks = runnable_blocks(path.read_text(encoding="utf-8"))
    assert blocks, f"{path.name} has no runnable block"
    monkeypatch.chdir(ws)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict = {"__name__": "__tutorial__"}
    for i, (lang, code) in enumerate(blocks, 1):
        where = f"{path.name}, block {i} ({lang}):\n{code}"
        if lang == "sh":
            proc = _run_sh(code, ws)
            assert proc.returncode == 0, f"{where}\nstdout:\n{proc.stdout[-3000:]}\n" \
                                         f"stderr:\n{proc.stderr[-3000:]}"
        else:
            try:
                exec(compile(code, f"{path.name}, block {i}", "exec"), namespace)  # noqa: S102
            except Exception as exc:  # noqa: BLE001 (re-raised with the block shown)
                raise AssertionError(f"{where}\nraised {exc!r}") from exc


@needs_docs
@pytest.mark.skipif(shutil.which("fundgap", path=str(BIN)) is None,
                    reason="needs the fundgap command installed in this environment")
@pytest.mark.parametrize("name", [p.name for p in TUTORIALS])
def test_tutorial_runs_as_written(name, tmp_path, monkeypatch):
    ws = _workspace(tmp_path)
    _run_tutorial(DOCS / "tutorials" / name, ws, monkeypatch)
    if name == "policy.md":
        _check_sheet_table(ws)


def _check_sheet_table(ws: Path) -> None:
    """The policy tutorial's table of sheets names exactly the sheets the reports have."""
    import openpyxl

    text = (DOCS / "tutorials" / "policy.md").read_text(encoding="utf-8")
    section = text.split("## 2. The sheets", 1)[1].split("\n## ", 1)[0]
    documented = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 2 and cells[0] not in ("sheet", "---"):
            documented.update(s.strip() for s in cells[0].split(","))
    written = set()
    for folder in ("fundgap-report", "my-report"):
        book = openpyxl.load_workbook(ws / folder / "fundgap-report.xlsx", read_only=True)
        written.update(book.sheetnames)
        book.close()
    assert documented == written, (f"in the tutorial only: {sorted(documented - written)}; "
                                   f"in the workbooks only: {sorted(written - documented)}")


@needs_docs
def test_blocks_not_run_say_what_they_need():
    for path in TUTORIALS:
        for body in DIRECTIVE.findall(path.read_text(encoding="utf-8")):
            assert body.startswith(":caption: needs "), (path.name, body[:80])


# ----------------------------------------------------------------------------- API reference

#: Modules whose ``__all__`` the API reference documents.
PUBLIC = ("fundgap", "fundgap.io", "fundgap.loaded", "fundgap.schema", "fundgap.normalise",
          "fundgap.datasets", "fundgap.models", "fundgap.scenarios", "fundgap.findings",
          "fundgap.report", "fundgap.errors")


def documented_names() -> set[str]:
    """Full names given a page of their own in docs/api/*.rst.

    That is, the entries of ``autosummary`` directives with a ``:toctree:`` (a table without
    one only links to a page elsewhere) and the modules of ``automodule`` directives.
    """
    names: set[str] = set()
    for page in sorted((DOCS / "api").glob("*.rst")):
        current, state = "", None  # state: None, "options" or "entries" of an autosummary
        for line in page.read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if line.startswith(".. currentmodule::"):
                current, state = text.split("::", 1)[1].strip(), None
            elif line.startswith(".. automodule::"):
                names.add(text.split("::", 1)[1].strip())
                state = None
            elif line.startswith(".. autosummary::"):
                state = "options"
            elif line.startswith("   ") and state is not None:
                if text.startswith(":toctree:"):
                    state = "entries"
                elif state == "entries" and not text.startswith(":"):
                    names.add(f"{current}.{text}")
            elif text and not line.startswith(" "):
                state = None
    return names


def test_documented_names_parser(tmp_path, monkeypatch):
    page = tmp_path / "api"
    page.mkdir()
    (page / "x.rst").write_text(
        ".. automodule:: fundgap.models\n   :no-members:\n\n.. currentmodule:: fundgap\n\n"
        ".. autosummary::\n\n   capacity\n\n"          # a table only: not a page
        ".. autosummary::\n   :toctree: generated/\n\n   depth\n   gap\n\nText\n\n"
        "   indented prose\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "DOCS", tmp_path)
    assert documented_names() == {"fundgap.models", "fundgap.depth", "fundgap.gap"}


@needs_docs
def test_api_reference_covers_every_public_name():
    documented = documented_names()
    top = importlib.import_module("fundgap")
    missing = []
    for modname in PUBLIC:
        module = importlib.import_module(modname)
        for name in getattr(module, "__all__", ()):
            if name == "__version__":
                continue
            obj = getattr(module, name)
            same_at_top = name in top.__all__ and getattr(top, name) is obj
            if f"{modname}.{name}" not in documented and not (
                    same_at_top and f"fundgap.{name}" in documented):
                missing.append(f"{modname}.{name}")
    assert not missing, f"public names missing from docs/api/*.rst: {missing}"


@needs_docs
def test_api_reference_documents_no_private_name():
    """A page documents only names some module lists in ``__all__`` (none left behind)."""
    stale = []
    for full in documented_names():
        owner, _, name = full.rpartition(".")
        if full in PUBLIC or owner not in PUBLIC:
            continue
        if name not in importlib.import_module(owner).__all__:
            stale.append(full)
    assert not stale, f"docs/api/*.rst documents names no longer public: {sorted(stale)}"


def test_every_top_level_name_is_in_all():
    """A name ``fundgap`` imports on first use is public, so listed (and documented)."""
    import fundgap

    assert set(fundgap._LAZY) <= set(fundgap.__all__)


@needs_docs
def test_top_level_page_lists_exactly_fundgap_all():
    import fundgap

    page = (DOCS / "api" / "toplevel.rst").read_text(encoding="utf-8")
    listed = {line.strip() for line in page.split(".. currentmodule:: fundgap", 1)[1].splitlines()
              if line.startswith("   ") and line.strip() and not line.strip().startswith(":")}
    assert listed == set(fundgap.__all__) - {"__version__"}
