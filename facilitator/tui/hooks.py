"""Other features' parts the UI uses when they are installed (a screen, a due list, a palette
command), and does without when they are not."""

from __future__ import annotations

import importlib


def optional(module: str, attr: str):
    """`module.attr`, or None when the module (or the name in it) is not there.

    A module that is there but fails to import for another reason raises: that is a bug to
    see, not a feature to hide.
    """
    try:
        return getattr(importlib.import_module(module), attr, None)
    except ModuleNotFoundError as err:
        if err.name and module.startswith(err.name):
            return None
        raise
