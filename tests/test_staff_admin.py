"""Only an admin changes who is on the staff list; a member who has left can no longer act."""

from __future__ import annotations

import json

import pytest

from facilitator.errors import AccessDenied
from facilitator.services.core import people
from facilitator.services.core.office import Office


def _audit_actions(office) -> list[tuple[str, str, str]]:
    lines = (office.path / "data/audit.jsonl").read_text().splitlines()
    return [(e["user"], e["action"], e["id"]) for e in map(json.loads, lines)]


def test_a_facilitator_cannot_add_staff_and_the_refusal_is_audited(office, invoke):
    result = invoke("--user", "alex", "staff", "add", "Eve Intruder", "--role", "admin")
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error: alex (facilitator) may not add staff")
    assert "eve" not in {m.id for m in people.list_staff(office)}
    assert ("alex", "refused", "add staff") in _audit_actions(office)


def test_an_admin_adds_staff(office, invoke):
    result = invoke("--user", "admin", "staff", "add", "Dana Coordinator", "--role", "coordinator")
    assert result.exit_code == 0, result.output
    assert "dana" in {m.id for m in people.list_staff(office)}


def test_a_deactivated_member_stays_in_the_list_and_can_no_longer_act(office, invoke):
    result = invoke("--user", "admin", "staff", "deactivate", "bea", "--reason", "left the service")
    assert result.exit_code == 0, result.output
    listed = invoke("--user", "admin", "staff", "list").output
    assert "bea" in listed and "left 2026-11-24" in listed
    acting = invoke("--user", "bea", "participant", "list")
    assert acting.exit_code == 1
    assert "bea was deactivated on 2026-11-24 and can no longer act" in acting.output
    assert ("admin", "deactivate", "bea") in _audit_actions(office)


def test_the_last_active_admin_cannot_be_deactivated(office, invoke):
    result = invoke("--user", "admin", "staff", "deactivate", "admin", "--reason", "retiring")
    assert result.exit_code == 1 and "last active admin" in result.output
    assert Office.open(office.path, "admin").actor.is_active


def test_only_an_admin_deactivates(office, invoke):
    result = invoke("--user", "alex", "staff", "deactivate", "bea", "--reason", "x")
    assert result.exit_code == 1 and "may not deactivate staff" in result.output
    assert all(m.is_active for m in people.list_staff(office))


def test_a_workspace_left_open_sees_a_deactivation_made_elsewhere(office, invoke):
    open_as_bea = Office.open(office.path, "bea")
    assert open_as_bea.user == "bea"  # a UI open on her laptop
    invoke("--user", "admin", "staff", "deactivate", "bea", "--reason", "left the service")
    with pytest.raises(AccessDenied, match="can no longer act"):
        open_as_bea.user


def test_only_an_admin_changes_roles_and_one_admin_always_remains(office, invoke):
    refused = invoke("--user", "alex", "staff", "roles", "alex", "--role", "admin")
    assert refused.exit_code == 1 and "may not change staff roles" in refused.output
    changed = invoke("--user", "admin", "staff", "roles", "bea", "--role", "coordinator")
    assert changed.exit_code == 0 and changed.output.strip() == "bea: coordinator"
    last = invoke("--user", "admin", "staff", "roles", "admin", "--role", "coordinator")
    assert last.exit_code == 1 and "last active admin" in last.output
    roles = {m.id: m.roles for m in people.list_staff(Office.open(office.path, "admin"))}
    assert (
        roles["bea"] == ["coordinator"]
        and "admin" in roles["admin"]
        and roles["alex"] == ["facilitator"]
    )
