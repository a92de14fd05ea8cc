"""Errors raised when a policy cannot be read or is not valid ODRL."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PolicyError", "PolicyValidationError", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One broken rule in a policy: where it is, which rule, and what is wrong."""

    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.rule}]"


class PolicyError(ValueError):
    """Base class for every error this package raises about a policy document."""


class PolicyValidationError(PolicyError):
    """A policy was refused; `problems` lists every broken rule with its path."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        first = self.problems[0] if self.problems else Problem("$", "invalid", "invalid policy")
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        super().__init__(f"{first}{suffix}")

    @property
    def path(self) -> str:
        """Path of the first offending node."""
        return self.problems[0].path if self.problems else "$"

    @property
    def rule(self) -> str:
        """Rule broken by the first offending node."""
        return self.problems[0].rule if self.problems else "invalid"
