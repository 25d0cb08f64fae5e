"""Errors the user sees as one line. Every layer raises these; the CLI and UI turn them into text.

exit_code follows the CLI contract: 2 for bad usage or input, 1 for a refused operation or a
store that cannot be used.
"""


class FacilitatorError(Exception):
    """`message` is said in words to every reader; `command`, when given, is the command-line
    command that helps (the CLI adds it; the UI, which has its own keys, does not)."""

    exit_code = 1

    def __init__(self, message: str, *, command: str = ""):
        super().__init__(message)
        self.message = message
        self.command = command

    @property
    def cli_text(self) -> str:
        return f"{self.message} (see `{self.command}`)" if self.command else self.message

    def __str__(self) -> str:
        return self.message


class InvalidInput(FacilitatorError):
    """A value the user gave is not acceptable (bad date, unknown status, empty name...)."""

    exit_code = 2


class NotFound(InvalidInput):
    """An id that names nothing in this workspace."""


class Refused(FacilitatorError):
    """A valid request that the programme's rules do not allow (closed session, not enrolled...)."""

    exit_code = 1


class AccessDenied(Refused):
    """The acting user's role does not allow this (partner store, admin actions)."""


class StoreError(FacilitatorError):
    """A store on disk cannot be used: it does not parse, is from a newer version, or is locked."""

    exit_code = 1


class RecordDamaged(StoreError):
    """A stored record lacks a field every record of its kind has: the file was edited or
    damaged. Said by the record's kind and id; the store that held it adds its file name."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(
            f"store {where}: {message}" if where else message, command="facilitator restore"
        )
        self.bare = message
        self.where = where


class WorkspaceError(FacilitatorError):
    """The workspace folder is missing, not initialised, or its settings do not parse."""

    exit_code = 1
