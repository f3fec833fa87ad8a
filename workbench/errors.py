"""The project's own exceptions.

Every error a user can cause carries a message that names the file, line or field
and says what to do; the CLI prints it and exits non-zero, never a traceback.
"""


class WorkbenchError(Exception):
    """Base class: a problem the user can fix, with a message saying how."""


class CodebookError(WorkbenchError):
    """A codebook file is malformed, or a codebook change is refused."""


class CodingRuleError(WorkbenchError):
    """A coding the codebook does not allow (``Codebook.check``, the one rule every path that
    writes a coding asks), or a coding change refused."""


class TranscriptError(WorkbenchError):
    """A transcript cannot be decoded or parsed."""


class RosterError(WorkbenchError):
    """A roster (speaker → role mapping) is malformed or names unknown speakers/roles."""


class ProjectError(WorkbenchError):
    """The project file is missing, not a Workbench project, or a change is refused."""


class LimitError(WorkbenchError):
    """A file is larger, deeper or more compressed than the reading policy allows
    (:mod:`workbench.limits`); the message names the limit and how to raise it."""


class ParticipantError(WorkbenchError):
    """An attribute declaration, an attribute's value, a link of participants or a filter on
    attributes is refused; the message names the attribute, value or cell and what to do."""


class StoreFault(ProjectError):
    """The project file cannot be written (or read) because of where it lives, not because of
    what was asked: locked by another process, read-only, a full disk, an I/O error, a damaged
    file, or a file moved away while open. Nothing of the change was written; the message
    names the cause and what to do. The app shows it and stays open."""


class ProjectLocked(StoreFault):
    """Another process held the project's write lock for longer than this process waits."""


class FileLost(StoreFault):
    """The project file was moved, replaced or deleted while open: writing has stopped, and
    what this process could still read was saved to ``rescue`` (when it could be)."""

    def __init__(self, message: str, rescue=None):
        super().__init__(message)
        self.rescue = rescue
