"""Findings with a location: every stage reports into one collector, never raises at editors."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str          # relative to the content folder, POSIX separators
    line: int          # 1-based; 0 when the whole file is meant
    message: str       # Chinese, one line, says what to fix
    severity: str = ERROR
    rule: str = "content"
    due: str = ""      # ISO date for reminders that fall due

    def __str__(self) -> str:
        return self.shown(self.path)

    def shown(self, path: str) -> str:
        """`path:line: message` with the file named as `path` (the command line names it as the
        editor would type it, relative to the working folder)."""
        where = f"{path}:{self.line}" if self.line else path
        tag = "" if self.severity == ERROR else "提醒："
        return f"{where}: {tag}{self.message}"


@dataclass
class Problems:
    """Collects findings so that a run reports all of them together."""

    items: list[Problem] = field(default_factory=list)
    error_count: int = 0

    def error(self, path, line: int | None, message: str, rule: str = "content") -> None:
        self.items.append(Problem(_rel(path), line or 0, message, ERROR, rule))
        self.error_count += 1

    def warn(self, path, line: int | None, message: str, rule: str = "content", due: str = "") -> None:
        self.items.append(Problem(_rel(path), line or 0, message, WARNING, rule, due))

    def extend(self, found) -> None:
        """Findings collected elsewhere (a worker, an earlier run of the same file)."""
        for p in found:
            self.items.append(p)
            self.error_count += p.severity == ERROR

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == ERROR)

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == WARNING)


def _rel(path) -> str:
    return str(PurePosixPath(str(path).replace("\\", "/")))


class Invalid(Exception):
    """Raised by value converters; the caller adds the file and, where it knows it, the line."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
