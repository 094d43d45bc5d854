"""The one shape every validation message takes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located precisely enough to fix.

    ``row`` counts like a spreadsheet: the header is row 1, the first data row is row 2.
    ``row`` and ``column`` are ``None`` for problems with a whole file.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    hint: str = ""
    severity: str = (
        "error"  # "error" blocks a save / fails `lib.commands.check`; "warning" does not
    )
    # A stable name for the kind of problem (lib.data.checks.WARNINGS), so a row can acknowledge a
    # warning by code; empty for the loaders' own messages.
    code: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text if self.severity == "error" else f"warning: {text}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
