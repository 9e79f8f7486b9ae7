"""The one rule both command lines share: expected failures are one line and exit 2."""
from __future__ import annotations

import sys

import click

from .errors import UserError


class OneLineErrors(click.Group):
    """A click group that turns UserError into 'error: ...' on stderr and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
