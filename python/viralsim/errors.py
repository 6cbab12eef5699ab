"""The exceptions viralsim raises."""

from typing import Optional


class Error(Exception):
    """A viralsim run failed for a reason other than its input (a disk
    full, an output folder another run is writing)."""

    def __init__(
        self,
        message: str,
        file: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        key: Optional[str] = None,
    ):
        super().__init__(message)
        self.message = message
        #: The file at fault: a scenario file, ``<dict>`` for a scenario
        #: given as a dict, an edge list; None when no file is at fault.
        self.file = file
        #: 1-based line and column in ``file``, when known.
        self.line = line
        self.column = column
        #: The key path at fault (``strategy[1].count``), when known.
        self.key = key


class InputError(Error, ValueError):
    """The input cannot be used: a scenario key, a graph, a strategy or an
    argument. ``str(e)`` says where (``file:line:col: key``) and what is
    allowed, as the command line prints it."""
