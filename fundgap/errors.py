"""The fundgap error family.

Every error a user can cause with bad input is a :class:`FundgapError`, a
subclass of :class:`ValueError`. Messages name the file, the 1-based row, the
column and the offending value where they are known, and list what was
expected, so a person can open the file and find the problem.

Examples
--------
>>> from fundgap.errors import UnknownCurrencyError
>>> err = UnknownCurrencyError("XYZ is not an ISO 4217 code", file="deals.csv",
...                            row=12, column="Currency", value="XYZ",
...                            expected=["EUR", "GBP", "USD"])
>>> print(err)
deals.csv, row 12, column 'Currency': XYZ is not an ISO 4217 code; got 'XYZ'; expected one of ['EUR', 'GBP', 'USD']
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "FileFormatError",
    "FundgapError",
    "MissingColumnError",
    "OutputError",
    "SchemaError",
    "UnknownCountryError",
    "UnknownCurrencyError",
    "UnknownSourceError",
]

_MAX_EXPECTED = 25


def _short(values: Sequence[Any]) -> str:
    vals = list(values)
    if len(vals) > _MAX_EXPECTED:
        return repr(vals[:_MAX_EXPECTED])[:-1] + f", ... ({len(vals)} in all)]"
    return repr(vals)


class FundgapError(ValueError):
    """Base class of every error fundgap raises about its input.

    Parameters
    ----------
    message : str
        What went wrong, in words.
    file, row, column, value : optional
        Where: the file path, the 1-based row in that file (header = row 1 of
        a plain CSV), the column name and the offending value.
    argument : str, optional
        The function argument at fault (for errors about an argument rather
        than a file's content): the message then says "argument 'name'".
    expected : iterable or str, optional
        The allowed values, listed in the message ("expected one of [...]"), or a
        phrase describing them (``"a number in (0, 1]"``: "expected a number in
        (0, 1]").

    Examples
    --------
    >>> print(FundgapError("lead_share out of range", argument="lead_share", value=2.0,
    ...                    expected="a number in (0, 1]"))
    argument 'lead_share': lead_share out of range; got 2.0; expected a number in (0, 1]
    """

    def __init__(
        self,
        message: str,
        *,
        file: Any = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        expected: Iterable[Any] | str | None = None,
        argument: str | None = None,
    ) -> None:
        self.message = message
        self.argument = argument
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        self.value = value
        self.expected = (expected if expected is None or isinstance(expected, str)
                         else list(expected))
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.argument is not None:
            where.append(f"argument {self.argument!r}")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.value is not None:
            text += f"; got {self.value!r}"
        if isinstance(self.expected, str):
            text += f"; expected {self.expected}"
        elif self.expected is not None:
            text += f"; expected one of {_short(self.expected)}"
        return text


class UnknownSourceError(FundgapError):
    """A ``source=`` name or a file layout that fundgap does not know."""


class MissingColumnError(FundgapError):
    """A required column is absent from a file or frame."""


class FileFormatError(FundgapError):
    """A file that cannot be read: wrong encoding, truncated, not a table, unsafe."""


class OutputError(FundgapError):
    """A file fundgap could not write: disk full, no permission, a folder that is a file.

    Nothing is left half-written at the path named: outputs are written to a
    temporary file in the same folder and renamed into place only when complete.
    """


class UnknownCurrencyError(FundgapError):
    """A currency that is not an ISO 4217 code fundgap has rates for."""


class UnknownCountryError(FundgapError):
    """A country name or code that cannot be mapped to ISO 3166 alpha-2."""


class SchemaError(FundgapError):
    """A frame that does not meet a canonical schema.

    ``problems`` holds every problem found, not only the first.
    """

    def __init__(self, message: str, problems: Sequence[str] = (), **kwargs: Any) -> None:
        self.problems = list(problems)
        if self.problems:
            message = message + ":\n  - " + "\n  - ".join(self.problems)
        super().__init__(message, **kwargs)
