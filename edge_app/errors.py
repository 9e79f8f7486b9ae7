"""Errors that the command line turns into one line and exit code 2."""


class UserError(Exception):
    """Bad input from the user (a path, a file, an option): reported, never a traceback."""


class ModelError(UserError):
    """A model file or its sidecar cannot be used."""


class SourceError(UserError):
    """A frame source cannot be opened or read."""
