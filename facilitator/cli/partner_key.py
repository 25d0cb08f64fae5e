"""How a partner command opens the store: the role checked first, then the key.

The key comes from --key-file (or FACILITATOR_PARTNER_KEY_FILE), else
FACILITATOR_PARTNER_PASSPHRASE, else a prompt. Nothing else opens it from the command line.
"""

from __future__ import annotations

import os
import sys

import click

from facilitator.errors import Refused
from facilitator.services.partner.store import key_source, open_store, require_partner_role

key_file_option = click.option(
    "--key-file",
    type=click.Path(dir_okay=False),
    envvar="FACILITATOR_PARTNER_KEY_FILE",
    help="The partner store's key file, kept by partner support (else the passphrase is "
    "asked for).",
)


def _passphrase(confirm: bool = False) -> str:

    given = os.environ.get("FACILITATOR_PARTNER_PASSPHRASE")
    if given:
        return given
    if not sys.stdin.isatty():
        # Piped in by a script: one line, no prompt, no echo warnings.
        given = sys.stdin.readline().rstrip("\r\n")
    else:
        try:
            given = click.prompt(
                "Partner store passphrase",
                hide_input=True,
                confirmation_prompt=confirm,
                err=True,
                default="",
                show_default=False,
            )
        except click.Abort:
            given = ""
    if not given:
        raise Refused(
            "no passphrase given (prompt, FACILITATOR_PARTNER_PASSPHRASE or --key-file): "
            "the partner store stays closed"
        )
    return given


def _open(app, key_file):

    office = app.office
    require_partner_role(office)  # before any prompt: others get one line and an audit record
    return open_store(office, key_source(None if key_file else _passphrase(), key_file))
