"""The programme's letter templates: Word files with placeholders (Jinja2 in Word, docxtpl).

    <workspace>/letters/templates/<kind>.docx   the programme's own, edited in Word
    facilitator/services/letters/templates/     the defaults shipped (scripts/build_letter_templates.py)

The defaults are copied into the workspace when it is made; a kind whose file the programme
removed falls back to the default. A template asking for a placeholder outside the allow-list
(fields.py) is refused with one line naming the file and the placeholder, at `letter check`
and before any letter is written: never a half-filled letter.

docxtpl (with python-docx, Jinja2 and lxml) takes about 80 ms to import, so it is imported
only by the functions that open a template: a plain command never pays for it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

from facilitator.errors import InvalidInput
from facilitator.services.letters import fields
from facilitator.services.letters.kinds import KINDS, LetterKind
from facilitator.storage.files import atomic_write_text, ensure_private_dir

BUNDLED = Path(__file__).resolve().parent / "templates"
TEMPLATES_DIR = ("letters", "templates")
SENT_DIR = ("letters", "sent")
# Which templates passed the placeholder check, by a hash of the file and of the allow-list:
# reading every placeholder of a Word file costs about 40 ms, so it is done again only when the
# template or the allow-list has changed since it last passed.
CHECKED = ".checked.json"


class TemplateProblem(InvalidInput):
    """A template that cannot be written from: the file and what is wrong, in one line."""


def bundled_template(kind: LetterKind) -> Path:
    return BUNDLED / kind.template_file


def workspace_templates(root: Path) -> Path:
    return Path(root).joinpath(*TEMPLATES_DIR)


def template_for(root: Path, kind: LetterKind) -> Path:
    own = workspace_templates(root) / kind.template_file
    return own if own.is_file() else bundled_template(kind)


def install_defaults(root: Path, overwrite: bool = False) -> list[Path]:
    """Copy the default templates into a workspace (at init, in the demo); the programme's own
    edited files are kept unless `overwrite`. Returns the files written."""
    folder = ensure_private_dir(workspace_templates(root))
    written = []
    for kind in KINDS:
        target = folder / kind.template_file
        if target.exists() and not overwrite:
            continue
        shutil.copyfile(bundled_template(kind), target)
        os.chmod(target, 0o600)
        written.append(target)
    return written


def shown(root: Path, path: Path) -> str:
    """A template's name as a coordinator finds it: inside the workspace, or the default."""
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return f"default {Path(path).name}"


# -- the template engine --------------------------------------------------------------------------
def _environment():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class Unknown(StrictUndefined):
        """Any use of a name the context does not hold fails, naming it in full."""

        @property
        def _undefined_message(self) -> str:
            owner = self._undefined_obj
            path = getattr(owner, "_path", "") if isinstance(owner, fields.Fields) else ""
            return f"{path}.{self._undefined_name}" if path else str(self._undefined_name)

    # Sandboxed: a template edited by anyone cannot reach past the values it is given.
    return SandboxedEnvironment(undefined=Unknown, autoescape=True)


def _open(path: Path):
    from docxtpl import DocxTemplate

    try:
        return DocxTemplate(str(path))
    except Exception as err:  # a file Word cannot have saved: not a zip, not a document
        raise TemplateProblem(f"template {path.name} cannot be opened as a Word file: {err}")


def _static_problem(tpl, env) -> str:
    """The first placeholder outside the allow-list, found without rendering: names, and the
    names under them (`man.shoe_size`)."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from jinja2 import TemplateSyntaxError, meta, nodes

    doc = tpl.docx if tpl.docx is not None else Document(tpl.template_file)
    xml = tpl.patch_xml(tpl.xml_to_string(doc._element.body))
    for rel in doc.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and rel.target_part.blob:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    try:
        tree = env.parse(xml)
    except TemplateSyntaxError as err:
        return f"has a placeholder Word cannot be filled from ({err.message})"
    top = meta.find_undeclared_variables(tree)
    for name in sorted(top):
        if name not in fields.FIELDS:
            return f"uses an unknown placeholder '{name}'"
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        inner = node.node
        if not isinstance(inner, nodes.Name) or inner.name not in top:
            continue
        attr = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(attr, str) and not fields.known(f"{inner.name}.{attr}"):
            return f"uses an unknown placeholder '{inner.name}.{attr}'"
    return ""


def _check_key(path: Path) -> str:
    digest = hashlib.sha256(Path(path).read_bytes())
    digest.update(Path(fields.__file__).read_bytes())
    return digest.hexdigest()


def _passed(root: Path) -> dict[str, str]:
    try:
        data = json.loads((workspace_templates(root) / CHECKED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: every template is checked again
    return data if isinstance(data, dict) else {}


def _remember_passed(root: Path, passed: dict[str, str]) -> None:
    folder = workspace_templates(root)
    if not folder.is_dir():
        return
    try:
        atomic_write_text(folder / CHECKED, json.dumps(passed, sort_keys=True), sync_dir=False)
    except OSError:
        pass  # a read-only folder only means the check is made again next time


def render_docx(root: Path, kind: LetterKind, context: dict[str, Any]) -> tuple[bytes, Any]:
    """The letter as a Word file and as the filled document (python-docx's, for reading back
    without parsing it again), or TemplateProblem naming the template and the placeholder."""
    from jinja2 import TemplateError, UndefinedError

    path = template_for(root, kind)
    name = shown(root, path)
    tpl = _open(path)
    tpl.init_docx()  # read once: checked, then filled
    env = _environment()
    passed = _passed(root)
    key = _check_key(path)
    if passed.get(name) != key:
        problem = _static_problem(tpl, env)
        if problem:
            raise TemplateProblem(f"template {name} {problem}: nothing was written")
        _remember_passed(root, passed | {name: key})
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except UndefinedError as err:
        raise TemplateProblem(
            f"template {name} uses an unknown placeholder '{err.message}': nothing was written"
        ) from None
    except TemplateError as err:
        raise TemplateProblem(f"template {name} cannot be filled: {err}: nothing was written")
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue(), tpl.docx


def check_templates(root: Path, sample: dict[str, Any]) -> list[str]:
    """One line per template that cannot be written from ([] when all can), each filled once
    with `sample` so that names used inside a loop are checked too."""
    from jinja2 import TemplateError

    problems = []
    for kind in KINDS:
        try:
            render_docx(root, kind, sample)
        except TemplateProblem as err:
            problems.append(err.message.removesuffix(": nothing was written"))
        except TemplateError as err:  # pragma: no cover - render_docx names them all
            problems.append(f"template {kind.template_file}: {err}")
    return problems
