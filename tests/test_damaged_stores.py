"""A damaged store is reported as that store, by its file name, on the home screen and in the
CLI: never as a feature that is missing, and never by rewriting what is there."""

from __future__ import annotations

import shutil

import pytest
from helpers.tui import make_app, screen_text, wait_for

from facilitator.demo.sign_in import open_as
from facilitator.demo.workspace import build_demo

# Each store, and a command that reads it; all but the last are read by the home screen as
# it opens.
STORES = [
    ("data/risk/open.json", ("risk", "list")),
    ("data/people.json", ("participant", "list")),
    ("data/groups.json", ("group", "list")),
    ("data/enrolments/G1.json", ("group", "show", "G1")),
    ("data/sessions/G1/index.json", ("session", "list", "--group", "G1")),
    ("data/compliance/tasks.json", ("compliance", "due")),
    ("data/risk/assessments.json", ("risk", "due")),
]
MISSING_FEATURE = ("not available", "not installed", "in this version")


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory):
    built = tmp_path_factory.mktemp("demo") / "ws"
    build_demo(built)
    return built


@pytest.fixture
def damaged(request, demo_copy, tmp_path):
    relative = request.param
    ws = tmp_path / "ws"
    shutil.copytree(demo_copy, ws)
    (ws / relative).write_text('{"_default": {"1": {"id": ', encoding="utf-8")
    return ws, relative


def _shown(app) -> str:
    notes = " ".join(str(n.message) for n in app._notifications)
    return screen_text(app) + "\n" + notes


@pytest.mark.parametrize("damaged", [s for s, _ in STORES[:-1]], indirect=True, ids=str)
async def test_the_home_screen_names_the_damaged_store(damaged):
    ws, relative = damaged
    before = (ws / relative).read_bytes()
    app = make_app(open_as(ws, "alex"))
    name = relative.rsplit("/", 1)[-1]
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: name in _shown(app), what=f"{relative} named on screen")
        shown = _shown(app)
    assert not any(words in shown for words in MISSING_FEATURE), shown
    assert (ws / relative).read_bytes() == before  # reported, never rewritten


@pytest.mark.parametrize(
    ("damaged", "command"), STORES, indirect=["damaged"], ids=[s for s, _ in STORES]
)
def test_the_cli_names_the_damaged_store_in_one_line(damaged, command, invoke, demo_sign_in):
    ws, relative = damaged
    before = (ws / relative).read_bytes()
    result = invoke("--workspace", str(ws), "--user", "alex", *command)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert relative.rsplit("/", 1)[-1] in lines[0]
    assert not any(words in lines[0] for words in MISSING_FEATURE)
    assert (ws / relative).read_bytes() == before


# A store that parses but holds a record without a field every record of its kind has.
MISSING_FIELD = [
    ("data/people.json", "participants", "name", ("participant", "list")),
    ("data/groups.json", "groups", "weekday", ("group", "list")),
    ("data/risk/open.json", "flags", "participant_id", ("risk", "list")),
]


@pytest.mark.parametrize(
    ("relative", "table", "field", "command"), MISSING_FIELD, ids=[m[0] for m in MISSING_FIELD]
)
def test_a_record_missing_a_field_is_one_line_naming_the_store(
    relative, table, field, command, demo_copy, tmp_path, invoke, demo_sign_in
):
    import json

    ws = tmp_path / "ws"
    shutil.copytree(demo_copy, ws)
    data = json.loads((ws / relative).read_text())
    doc = next(iter(data[table].values()))
    del doc[field]
    (ws / relative).write_text(json.dumps(data))
    before = (ws / relative).read_bytes()
    result = invoke("--workspace", str(ws), "--user", "alex", *command)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert relative.rsplit("/", 1)[-1] in lines[0] and f"missing its {field}" in lines[0]
    assert "unexpected" not in lines[0]
    assert (ws / relative).read_bytes() == before
