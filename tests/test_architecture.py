"""The layers stay apart, in one order: each package imports only those before it.

    errors, clock → detector → domain → storage → curriculum → services (core → risk → intake →
    groupwork → debrief → partner → compliance → casefile → reporting → letters → evaluation →
    records) → demo → tui → cli

Imports of facilitator modules are made at module level, where a cycle shows at once; an import
inside a function is allowed only where it is named below with its reason.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "facilitator"

LAYERS = (
    "facilitator.errors",
    "facilitator.clock",
    "facilitator.detector",
    "facilitator.domain",
    "facilitator.storage",
    "facilitator.curriculum",
    "facilitator.services.core",
    "facilitator.services.risk",
    "facilitator.services.intake",
    "facilitator.services.groupwork",
    "facilitator.services.debrief",
    "facilitator.services.partner",
    "facilitator.services.compliance",
    "facilitator.services.casefile",
    "facilitator.services.reporting",
    "facilitator.services.letters",
    "facilitator.services.evaluation",
    "facilitator.services.records",
    "facilitator.demo",
    "facilitator.tui",
    "facilitator.cli",
)
# Third-party libraries that only the UI layers may use.
UI_ONLY = ("textual", "click", "rich")
# Heavy libraries a plain command must not load at start-up.
HEAVY = ("textual", "openpyxl", "matplotlib", "cryptography", "docxtpl", "docx")

# Imports of facilitator modules inside a function, each with the reason it cannot be at the top.
FUNCTION_LEVEL_ALLOWED = {
    # The export reader runs as its own process and imports the exporter there.
    ("facilitator/services/reporting/export_feed.py", "facilitator.services.reporting.exports"),
    # Textual costs about 0.2 s to import: only the command that opens the UI pays for it.
    ("facilitator/cli/ui.py", "facilitator.tui.app"),
    # The app opens its screens other than home when first asked for: they bring Textual's
    # Markdown and TextArea, pygments and the coordinator's services, which launch must not wait
    # for (home within 1 s).
    ("facilitator/tui/app.py", "facilitator.tui.screens."),
    ("facilitator/tui/app.py", "facilitator.tui.coordinator"),
    # `facilitator --help` and usage errors open no workspace: the CLI context loads the
    # storage layer only when a command asks for the office.
    ("facilitator/cli/context.py", "facilitator.services.core"),
    # A session's title needs the Markdown parser; commands that never show one do not load it.
    ("facilitator/curriculum/locate.py", "facilitator.curriculum.parser"),
    # `participant list` and `add` are typed many times a day: the subcommands that work on a
    # man's programme, order, assessments or records load those services (and the detector
    # they bring) when they run, so listing the men costs what it did before the split.
    ("facilitator/cli/participant.py", "facilitator.services.compliance.status"),
    ("facilitator/cli/participant.py", "facilitator.services.compliance.ending"),
    ("facilitator/cli/participant.py", "facilitator.services.groupwork.waiting_list"),
    ("facilitator/cli/participant.py", "facilitator.services.intake.assessment"),
    ("facilitator/cli/participant.py", "facilitator.services.records.subject_access"),
    ("facilitator/cli/participant.py", "facilitator.services.casefile."),
    ("facilitator/cli/participant.py", "facilitator.services.records.timeline"),
    # `compliance due` and `status` are run daily: only `notify --letter` loads the letter
    # service and the reporting and intake reads it brings (about 20 ms).
    ("facilitator/cli/compliance.py", "facilitator.services.letters.service"),
}
# Modules whose own imports are lazy for start-up time, file by file (a cached `curriculum show`
# must not load the Markdown parser; the detector must import in under 50 ms).
LAZY_MODULES = (
    "facilitator/cli/curriculum.py",
    "facilitator/curriculum/__init__.py",
    "facilitator/curriculum/cache.py",
    "facilitator/detector/",
)


def layer_of(module: str) -> int | None:
    best = None
    for i, layer in enumerate(LAYERS):
        if module == layer or module.startswith(layer + "."):
            best = i  # the longest (latest) match: services.risk before services
    return best


def _imports(tree: ast.AST):
    """(module, line, at module level) of every absolute import."""
    body = list(getattr(tree, "body", []))
    # Imports for type checking only are made at module level too.
    body += [
        s
        for n in body
        if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)
        for s in n.body
    ]
    top = {id(n) for n in body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno, id(node) in top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names]
            # `from facilitator.services.risk import flags` imports facilitator.services.risk.flags
            for full in names:
                yield (
                    (
                        full
                        if layer_of(full) is not None
                        and (PACKAGE.parent / (full.replace(".", "/") + ".py")).exists()
                        else node.module
                    ),
                    node.lineno,
                    id(node) in top,
                )


def _files():
    return sorted(PACKAGE.rglob("*.py"))


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_every_package_is_in_the_layer_list():
    missing = sorted(
        {
            _module_name(p)
            for p in _files()
            if layer_of(_module_name(p)) is None
            and _module_name(p)
            not in ("facilitator", "facilitator.__main__", "facilitator.services")
        }
    )
    assert not missing, f"not in LAYERS: {missing}"


def test_no_module_imports_a_later_layer():
    problems = []
    for path in _files():
        me = layer_of(_module_name(path))
        if me is None:
            continue
        for name, line, _ in _imports(ast.parse(path.read_text())):
            other = layer_of(name)
            rel = str(path.relative_to(PACKAGE.parent))
            allowed = any(rel == f and name.startswith(m) for f, m in FUNCTION_LEVEL_ALLOWED)
            if other is not None and other > me and not allowed:
                problems.append(
                    f"{path.relative_to(PACKAGE.parent)}:{line} imports {name} ({LAYERS[other]})"
                )
    assert not problems, "\n".join(problems)


def test_facilitator_modules_are_imported_at_module_level():
    problems = []
    for path in _files():
        rel = str(path.relative_to(PACKAGE.parent))
        if any(rel.startswith(lazy) for lazy in LAZY_MODULES):
            continue
        for name, line, top in _imports(ast.parse(path.read_text())):
            if top or not name.startswith("facilitator"):
                continue
            if not any(rel == f and name.startswith(m) for f, m in FUNCTION_LEVEL_ALLOWED):
                problems.append(f"{rel}:{line} imports {name} inside a function")
    assert not problems, "\n".join(problems)


def test_only_the_interfaces_use_the_terminal_libraries():
    problems = []
    for path in _files():
        me = layer_of(_module_name(path))
        if me is None or LAYERS[me] in ("facilitator.tui", "facilitator.cli"):
            continue
        for name, line, _ in _imports(ast.parse(path.read_text())):
            if name.split(".")[0] in UI_ONLY:
                problems.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    assert not problems, "\n".join(problems)


def test_cli_modules_load_heavy_libraries_lazily():
    problems = []
    for path in sorted((PACKAGE / "cli").rglob("*.py")):
        for name, line, top in _imports(ast.parse(path.read_text())):
            if top and name.split(".")[0] in HEAVY:
                problems.append(
                    f"{path.relative_to(PACKAGE.parent)}:{line} imports {name} at module level"
                )
    assert not problems, "\n".join(problems)


def test_no_module_guards_an_import_of_its_own_package():
    problems = []
    for path in _files():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            guarded = [
                n
                for stmt in node.body
                for n in ast.walk(stmt)
                if isinstance(n, (ast.Import, ast.ImportFrom))
            ]
            catches = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
            if guarded and any("ImportError" in c or "ModuleNotFoundError" in c for c in catches):
                for n in guarded:
                    mod = n.module if isinstance(n, ast.ImportFrom) else n.names[0].name
                    if mod and mod.startswith("facilitator"):
                        problems.append(
                            f"{path.relative_to(PACKAGE.parent)}:{n.lineno} guards {mod}"
                        )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "package, never",
    [
        (
            "facilitator.services.groupwork",
            (
                "facilitator.services.reporting",
                "facilitator.services.evaluation",
                "facilitator.services.records",
                "facilitator.tui",
                "facilitator.cli",
            ),
        ),
        (
            "facilitator.services.risk.flags",
            ("facilitator.services.groupwork", "facilitator.services.intake"),
        ),
        (
            "facilitator.cli",
            (
                "textual",
                "openpyxl",
                "matplotlib",
                "cryptography",
                "docxtpl",
                "docx",
                "facilitator.tui",
                "facilitator.demo",
                "facilitator.services.risk",
                "facilitator.services.reporting",
            ),
        ),
    ],
)
def test_importing_a_layer_loads_nothing_after_it(package, never):
    code = (
        f"import sys, importlib, pkgutil; m = importlib.import_module({package!r})\n"
        "for info in pkgutil.walk_packages(getattr(m, '__path__', []), m.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "print('\\n'.join(sys.modules))"
    )
    if package == "facilitator.cli":  # the root command alone, as `facilitator --help` loads it
        code = "import sys; import facilitator.cli; print('\\n'.join(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    wrong = sorted(m for m in loaded if any(m == n or m.startswith(n + ".") for n in never))
    assert not wrong, f"importing {package} loads {wrong}"


def test_privacy_is_read_in_one_place_and_fails_closed():
    from facilitator.tui.privacy import privacy_on

    class Off:
        privacy = False

    class Renamed:
        private_mode = False

    assert privacy_on(Off()) is False
    assert privacy_on(Renamed()) is True  # cannot tell: hide
    assert privacy_on(object()) is True
    problems = []
    for path in sorted((PACKAGE / "tui").rglob("*.py")):
        text = path.read_text()
        for n, line in enumerate(text.splitlines(), 1):
            if (
                'getattr(self.app, "privacy"' in line or ".app.privacy" in line
            ) and "privacy.py" not in str(path):
                problems.append(f"{path.relative_to(PACKAGE.parent)}:{n}: {line.strip()}")
    assert not problems, "read privacy through facilitator.tui.privacy.privacy_on:\n" + "\n".join(
        problems
    )


def test_errors_raised_below_the_cli_say_commands_only_as_their_command():
    """A service's error is read in the UI too, where a command line means nothing: the words go
    in the message and a command that helps in `command=`, which only the CLI prints."""
    from facilitator.cli import COMMANDS

    pattern = re.compile(r"facilitator (" + "|".join(map(re.escape, COMMANDS)) + r")\b")
    problems = []
    for path in _files():
        rel = str(path.relative_to(PACKAGE.parent))
        if rel.startswith(("facilitator/cli/", "facilitator/tui/")):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
                continue
            for arg in node.exc.args[:1]:
                words = "".join(
                    part.value
                    for part in ast.walk(arg)
                    if isinstance(part, ast.Constant) and isinstance(part.value, str)
                )
                if pattern.search(words):
                    problems.append(f"{rel}:{node.lineno} puts a command in its message")
    assert not problems, "\n".join(problems)


def test_the_cli_adds_an_errors_command_and_the_message_stays_words(office, invoke):
    from facilitator.errors import NotFound

    err = NotFound("no risk flag with id 'F9'", command="facilitator risk list --status all")
    assert err.message == "no risk flag with id 'F9'" and "facilitator" not in str(err)
    result = invoke("--user", "alex", "risk", "show", "F9")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: no risk flag with id 'F9' (see `facilitator risk list --status all`)"
    )
