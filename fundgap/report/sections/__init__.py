"""The workbook's data sheets, rendered from a :class:`~fundgap.findings.Findings` object.

Each ``section_*`` function reads the results and supporting tables the findings
were computed from (``findings.results``) and returns what the report writes:
sheets (one table each, with its title, description and charts), tidy CSV tables
and figure specifications. Nothing here computes a statistic: tables are selected,
renamed and pivoted for reading, no more; every code a reader would see goes
through :mod:`fundgap.report.labels`. A section whose input is missing raises
:class:`Unavailable` with the reason.

Adding a sheet of findings for one question (for example the findings of the
``countries`` question) is one entry in :data:`SECTIONS`::

    "countries": ("Countries and groups", question_section(
        "countries", "Countries and groups", "Single countries and groups against the US")),

Examples
--------
>>> list(SECTIONS)[:3]
['depth', 'compare', 'atmp']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fundgap.report.sections._common import Section, Unavailable
from fundgap.report.sections._funds import section_capacity
from fundgap.report.sections._other import (
    question_section,
    section_published,
    section_rejects,
)
from fundgap.report.sections._rounds import section_atmp, section_compare, section_depth
from fundgap.report.sections._scenario import section_scenario
from fundgap.report.sections._series import section_gap, section_sources

__all__ = ["SECTIONS", "Section", "Unavailable", "question_section"]

#: key -> (title in the contents, function), in the order of the workbook.
SECTIONS: dict[str, tuple[str, Callable[[Any, dict[str, Any]], Section]]] = {
    "depth": ("Depth by stage", section_depth),
    "compare": ("Regional comparison", section_compare),
    "atmp": ("ATMP modalities", section_atmp),
    "gap": ("Gap over time", section_gap),
    "sources": ("Sources compared", section_sources),
    "countries": ("Countries and groups", question_section(
        "countries", "Countries and groups",
        "Single countries and groups of countries against the US")),
    "capacity": ("Fund capacity", section_capacity),
    "scenario": ("Scenario", section_scenario),
    "published": ("Published benchmarks", section_published),
    "rejects": ("Rejected rows", section_rejects),
}
