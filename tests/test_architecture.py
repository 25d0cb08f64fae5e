"""The layers stay apart: domain → storage → services → CLI and UI (each imports only those above)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "facilitator"

# What each layer may not import, anywhere in the module (module level or inside functions).
FORBIDDEN = {
    "domain": ("facilitator.storage", "facilitator.services", "facilitator.cli", "facilitator.tui", "textual", "tinydb"),
    "detector": ("facilitator.storage", "facilitator.services", "facilitator.cli", "facilitator.tui", "textual", "tinydb"),
    "storage": ("facilitator.services", "facilitator.cli", "facilitator.tui", "textual"),
    "curriculum": ("facilitator.services", "facilitator.cli", "facilitator.tui", "textual"),
    "services": ("facilitator.cli", "facilitator.tui", "textual"),
    "cli": ("facilitator.tui",),  # only through open_ui's lazy import, checked below
}
# Heavy libraries a plain command must not load at start-up.
HEAVY = ("textual", "openpyxl", "matplotlib", "cryptography")


def _imports(tree: ast.AST, top_level_only: bool = False):
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno


def _modules(layer: str):
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_layers_above(layer):
    problems = []
    for path in _modules(layer):
        tree = ast.parse(path.read_text())
        for name, line in _imports(tree, top_level_only=(layer == "cli")):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[layer]):
                problems.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    assert not problems, "\n".join(problems)


def test_cli_modules_load_heavy_libraries_lazily():
    problems = []
    for path in _modules("cli"):
        for name, line in _imports(ast.parse(path.read_text()), top_level_only=True):
            if name.split(".")[0] in HEAVY:
                problems.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name} at module level")
    assert not problems, "\n".join(problems)
