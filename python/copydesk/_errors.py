"""copydesk's exceptions."""

from __future__ import annotations

from typing import Optional, Sequence, Tuple


class RulePackError(Exception):
    """A rule pack or config file could not be loaded.

    ``path``, ``line`` and ``column`` (1-based; None when unknown) and
    ``rule`` locate the first problem; ``errors`` holds every problem found,
    as ``(path, line, column, message)`` tuples, and the message lists them
    all, one a line, as the command line prints them.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        rule: Optional[str] = None,
        errors: Sequence[Tuple[str, Optional[int], Optional[int], str]] = (),
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column
        self.rule = rule
        self.errors = list(errors)
