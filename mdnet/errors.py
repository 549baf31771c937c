"""Failures of the environment (not of a note): each carries its exit code and what to do next.

Problems in a user's notes are values (`model.Problem`), never exceptions; bugs are not caught.
"""


class MdnetError(Exception):
    exit_code = 3

    def __init__(self, message: str, advice: str | None = None):
        super().__init__(message)
        self.advice = advice


class VaultNotFound(MdnetError):
    exit_code = 3


class OutputError(MdnetError):
    exit_code = 4


class TemplateProblem(MdnetError):
    exit_code = 5


class Unfit(MdnetError):
    """A command asked for what cannot be true (a meeting done before its day): a usage error."""

    exit_code = 2


class NoteRefused(MdnetError):
    """A writing command refused to touch a note (it exists, its front matter is broken…)."""

    exit_code = 6
