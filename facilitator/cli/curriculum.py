"""`facilitator curriculum check | list | show`.

The curriculum package (markdown-it, PyYAML) and rich are imported inside the commands so
that every other command starts without them.
"""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.cli.output import emit_json, json_option, table
from facilitator.errors import FacilitatorError, NotFound


@click.group("curriculum")
def curriculum() -> None:
    """Curricula: check one, list them, show a session's plan."""


def _workspace_curricula(app) -> Path | None:
    """The workspace's curricula folder when there is a workspace; None otherwise."""
    from facilitator.storage.workspace import Workspace, resolve_workspace_path

    try:
        ws = Workspace(resolve_workspace_path(getattr(app, "workspace_path", None)))
        return ws.curricula_dir if ws.exists() else None
    except (FacilitatorError, OSError):
        return None


def _roots(app):
    from facilitator.curriculum import curricula_roots

    return curricula_roots(_workspace_curricula(app))


def _source_of(folder: Path, roots) -> str:
    for source, root in roots:
        if folder.parent == root:
            return source
    return "path"


@curriculum.command("check")
@click.argument("path")
@click.pass_obj
def check_cmd(app, path: str) -> None:
    """Check the curriculum in PATH (a folder, or an id) and print every problem.

    Prints `file:line: error|warning: message` lines, a summary and the coverage of the core
    topics. Exits 1 when there is any error. PATH may also be a folder of curricula (such as
    a workspace's `curricula/`): each one in it is checked.
    """
    from facilitator.curriculum import checked, find_curriculum_folder, format_report
    from facilitator.curriculum.model import INDEX_FILE

    given = Path(path)
    if given.is_file():
        folder = given.parent  # a session file or the index: check the whole curriculum
    elif given.is_dir():
        folder = given
    else:
        try:
            folder = find_curriculum_folder(path, _roots(app))
        except NotFound:
            raise NotFound(f"no curriculum folder or id {path!r}") from None
    folders = [folder]
    if not (folder / INDEX_FILE).exists():
        folders = sorted(p for p in folder.iterdir() if (p / INDEX_FILE).is_file()) or folders
    failed = False
    for n, one in enumerate(folders):
        report = checked(one, fresh=True)  # never trust a cache here: this is the gate
        click.echo(("\n" if n else "") + format_report(report))
        failed = failed or bool(report.errors)
    if failed:
        raise SystemExit(1)


@curriculum.command("list")
@json_option
@click.pass_obj
def list_cmd(app, as_json: bool) -> None:
    """List the curricula: the workspace's, then the bundled ones it does not replace."""
    from facilitator.curriculum import checked, list_curricula

    rows = []
    for entry in list_curricula(_roots(app)):
        report = checked(entry.folder)
        c = report.curriculum
        rows.append(
            {
                "id": entry.id,
                "title": c.title,
                "version": c.version,
                "description": c.description,
                "sessions": len(c.sessions),
                "minutes": c.total_minutes,
                "source": entry.source,
                "folder": str(entry.folder),
                "errors": len(report.errors),
                "warnings": len(report.warnings),
            }
        )
    if as_json:
        return emit_json(rows)
    table(
        [
            (
                r["id"],
                r["title"],
                r["sessions"],
                r["source"],
                f"{r['errors']} error{'s' if r['errors'] != 1 else ''}" if r["errors"] else "ok",
            )
            for r in rows
        ],
        ["id", "title", "sessions", "source", "check"],
        empty="(no curricula)",
    )


@curriculum.command("show")
@click.argument("curriculum_id")
@click.option("--session", "number", type=int, help="Show this session's plan in full.")
@json_option
@click.pass_obj
def show_cmd(app, curriculum_id: str, number: int | None, as_json: bool) -> None:
    """Show a curriculum's sessions, or one session's plan with --session N."""
    from facilitator.curriculum import find_curriculum_folder, load_curriculum

    roots = _roots(app)
    folder = find_curriculum_folder(curriculum_id, roots)
    c = load_curriculum(folder)
    if number is None:
        if as_json:
            return emit_json({**c.to_dict(), "source": _source_of(folder, roots)})
        _print_overview(c, _source_of(folder, roots))
        return
    session = c.session(number)
    if session is None:
        raise NotFound(f"{c.id} has no session {number} (sessions 1-{len(c.sessions)})")
    if as_json:
        return emit_json({"curriculum": c.id, **session.to_dict(markdown=True)})
    _print_session(c, session)


def _print_overview(c, source: str) -> None:
    click.echo(f"{c.title} ({c.id}, version {c.version or '-'}, {source})")
    if c.description:
        click.echo(click.wrap_text(c.description, width=88))
    click.echo(
        f"{len(c.sessions)} sessions, {c.total_minutes // 60} h {c.total_minutes % 60:02d} "
        "min in all\n"
    )
    table(
        [(s.number, s.title, s.theme, s.minutes, ", ".join(s.topics)) for s in c.sessions],
        ["#", "title", "theme", "min", "topics"],
        empty="(no sessions)",
    )


def _session_markdown(c, session) -> str:
    """The whole session as one Markdown document, segments numbered with their timings."""
    kinds = {"check_in": "check-in", "exercise": "exercise", "break": "break", "closing": "closing"}
    parts = [
        f"# Session {session.number}: {session.title}",
        f"**Theme:** {session.theme} · **{session.minutes} min** · {c.title}",
        "**Objectives**",
        "\n".join(f"- {o}" for o in session.objectives),
        "**Topics:** " + ", ".join(c.topic_label(t) for t in session.topics),
    ]
    if session.intro_markdown:
        parts.append(session.intro_markdown)
    start = 0
    for i, seg in enumerate(session.segments, 1):
        minutes = seg.minutes or 0
        timing = (
            f"{start // 60}:{start % 60:02d}-{(start + minutes) // 60}:{(start + minutes) % 60:02d}"
        )
        parts.append(
            f"## {i}. {seg.title} — {minutes} min ({kinds.get(seg.kind, seg.kind)}, {timing})"
        )
        parts.append(seg.markdown)
        start += minutes
    return "\n\n".join(parts) + "\n"


def _print_session(c, session) -> None:
    text = _session_markdown(c, session)
    try:
        from rich.console import Console
        from rich.markdown import Markdown
    except ImportError:  # rich comes with Textual; without it the Markdown itself reads well
        click.echo(text, nl=False)
        return
    console = Console(highlight=False)
    if console.is_terminal:
        console.print(Markdown(text))
        return
    with console.capture() as captured:  # piped: plain lines without rich's padding
        console.print(Markdown(text))
    click.echo("\n".join(line.rstrip() for line in captured.get().splitlines()))
