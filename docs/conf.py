"""Sphinx configuration of the fundgap documentation.

Build it from the repository root (``pip install ".[docs]"`` first)::

    sphinx-build -W --keep-going -b html docs docs/_build/html

The API reference is generated from the numpydoc docstrings: autosummary writes
one stub page per public object into ``docs/api/generated/`` at build time (the
folder is not kept in git). Nothing is fetched from the network (no intersphinx).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# build against the checked-out source (an installed fundgap of another version must not win)
sys.path.insert(0, str(ROOT))

import fundgap  # noqa: E402

project = "fundgap"
author = "fundgap contributors"
copyright = "fundgap contributors (MIT licence)"  # noqa: A001 (Sphinx's name)
release = fundgap.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
templates_path = ["_templates"]

# -- API reference ------------------------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"          # the numpydoc "Parameters" sections say the types
autodoc_inherit_docstrings = False  # pandas/stdlib docstrings are not numpydoc of ours
numpydoc_show_class_members = False  # the class template lists the members itself
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False
add_module_names = False

# -- Markdown (tutorials, METHODOLOGY.md) --------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- No network ----------------------------------------------------------------------------
intersphinx_mapping: dict = {}

# -- HTML ----------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"fundgap {release}"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False


# -- Hooks ---------------------------------------------------------------------------------
def _attribute_comment(obj: object, name: str) -> list[str]:
    """The ``#:`` comment above a constant, read from the module that defines it.

    A constant documented under the name users import it by (``fundgap.REGIONS``) is
    defined elsewhere (``fundgap.schema``); autodoc only reads comments of the module it
    documents, so without this the page would show the docstring of ``tuple``.
    """
    from sphinx.errors import PycodeError
    from sphinx.pycode import ModuleAnalyzer

    short = name.rsplit(".", 1)[-1]
    for modname in sorted(m for m in sys.modules if m == "fundgap" or m.startswith("fundgap.")):
        if getattr(sys.modules[modname], short, None) is not obj:
            continue
        try:
            docs = ModuleAnalyzer.for_module(modname).find_attr_docs()
        except PycodeError:  # a module without source: try the next
            continue
        if ("", short) in docs:
            return list(docs[("", short)])
    return []


def _constant_docstring(app, what, name, obj, options, lines):
    # (a builtin type's __doc__ is rebuilt on each access: compare by value)
    if what == "data" and getattr(obj, "__doc__", None) == getattr(type(obj), "__doc__", None):
        lines[:] = _attribute_comment(obj, name)


def setup(app):
    app.connect("autodoc-process-docstring", _constant_docstring)
