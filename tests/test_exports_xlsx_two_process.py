"""A large XLSX export reads its rows in a second process (services/reporting/export_feed.py): the
same workbook as one process makes, progress per group, and the reader's errors as the user's one
line."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from test_exports_attendance import known, titles  # noqa: F401  (fixtures)

from facilitator.errors import StoreError
from facilitator.services.core.office import Office
from facilitator.services.reporting import export_feed
from facilitator.services.reporting.exports import ExportFilter, export_attendance


@pytest.fixture
def feeds(monkeypatch):
    """Force the two-process path on a small workspace, and count the reading processes started."""
    started = []

    class CountedFeed(export_feed.RowFeed):
        def __init__(self, *args, **kwargs):
            started.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(export_feed, "ENROLMENTS_WORTH_A_PROCESS", 0)
    monkeypatch.setattr(export_feed, "RowFeed", CountedFeed)
    return started


def read_back(path):
    wb = load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def test_two_processes_write_the_same_workbook_as_one(known, invoke, tmp_path, monkeypatch, feeds):
    for extra in ((), ("--pseudonymise",), ("--group", "G1", "--from", "2026-11-10")):
        two = tmp_path / "two.xlsx"
        assert invoke("export", "attendance", *extra, "-o", str(two)).exit_code == 0
        monkeypatch.setattr(export_feed, "ENROLMENTS_WORTH_A_PROCESS", 10**9)
        one = tmp_path / "one.xlsx"
        result = invoke("export", "attendance", *extra, "-o", str(one))
        assert result.exit_code == 0
        monkeypatch.setattr(export_feed, "ENROLMENTS_WORTH_A_PROCESS", 0)
        assert read_back(two) == read_back(one), extra
        assert len(read_back(one)["Attendance"]) > 1
    assert len(feeds) == 3  # each two-process export started exactly one reader


def test_progress_and_counts_come_back_from_the_reader(known, tmp_path, feeds):
    office = Office.open(known.path, "admin")
    seen = []
    result = export_attendance(
        office, ExportFilter(), "xlsx", tmp_path / "a.xlsx", on_group=lambda g: seen.append(g.id)
    )
    assert feeds and seen == ["G1", "G2"]
    assert (result.rows, result.men, result.groups) == (10, 4, 2)


def test_a_damaged_session_file_stops_the_export_and_keeps_the_old_file(
    known, invoke, tmp_path, feeds
):
    (tmp_path / "exports").mkdir()
    out = tmp_path / "exports" / "weekly.xlsx"
    out.write_bytes(b"last week's export")
    damaged = known.path / "data" / "sessions" / "G1" / "2026" / "2026-11-10.json"
    damaged.write_text(damaged.read_text()[:50])
    result = invoke("export", "attendance", "-o", str(out))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "2026-11-10.json is damaged" in lines[0]
    assert out.read_bytes() == b"last week's export"
    assert feeds
    assert [p.name for p in out.parent.iterdir()] == [
        "weekly.xlsx"
    ]  # no half-written file beside it


def test_the_reader_error_keeps_its_kind(known, tmp_path, feeds):
    damaged = known.path / "data" / "sessions" / "G2" / "2026" / "2026-11-05.json"
    damaged.write_text("{not json")
    with pytest.raises(StoreError, match="2026-11-05.json is damaged"):
        export_attendance(
            Office.open(known.path, "admin"), ExportFilter(), "xlsx", tmp_path / "x.xlsx"
        )
    assert not (tmp_path / "x.xlsx").exists()


def test_once_staff_have_keys_the_reader_reads_only_for_whoever_vouched(known, tmp_path, feeds):
    """The reading process cannot sign in: the signed-in member's key vouches for that one
    read. A reader started without it, or for another order, reads nothing."""
    from helpers.signed import give_keys, signed_in

    from facilitator.services.core import identity
    from facilitator.services.core.office import SignInRequired

    give_keys(known.path)
    coordinator = signed_in(known.path, "admin")
    result = export_attendance(coordinator, ExportFilter(), "xlsx", tmp_path / "a.xlsx")
    assert feeds and (result.rows, result.men) == (10, 4)

    order = {"workspace": str(known.path), "user": "admin", "filter": {}, "pseudonymise": False}
    vouched = identity.vouch_for_reader(coordinator, order)
    reader = Office.open(known.path, "admin")
    with pytest.raises(SignInRequired, match="not vouched for"):
        identity.accept_reader(reader, order | {"pseudonymise": True}, vouched)
    with pytest.raises(SignInRequired, match="not vouched for"):
        identity.accept_reader(reader, order, None)
    identity.accept_reader(reader, order, vouched)
    assert reader.actor.id == "admin"
    with pytest.raises(Exception, match="records nothing"):
        with reader.stores.writing():
            reader.audit("export", "attendance", "all")
