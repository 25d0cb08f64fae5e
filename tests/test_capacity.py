"""A group's maximum size and entry points, and the waiting list. Clock: Tuesday 2026-11-24."""

from __future__ import annotations

import json

import pytest

from facilitator.errors import Refused
from facilitator.services.core import people
from facilitator.services.groupwork import capacity, groups, sessions, waiting_list
from tests.conftest import as_coordinator, enrol_all, ready_for_group

MORE = [f"Man{n:02d} Synthetic" for n in range(4, 14)]  # P0004..P0013


def _full_group(office):
    """G1 with 12 men from 3 November; Adam (P0001) was at the sessions of 3 and 10 November."""
    enrol_all(office)
    for name in MORE[:9]:
        p = people.add_participant(office, name, "court", "Demo Court", "REF-X")
        ready_for_group(office, p.id)
        groups.enrol(office, "G1", p.id, "2026-11-03")
    for day in ("2026-11-03", "2026-11-10"):
        s = sessions.start_session(office, "G1", day)
        for pid in [f"P{n:04d}" for n in range(1, 13)]:
            status = "present" if pid == "P0001" else "unexcused"
            sessions.mark_attendance(office, s.id, pid, status)
        sessions.close_session(office, s.id, force=True)
    p = people.add_participant(office, MORE[9], "court", "Demo Court", "REF-Y")
    ready_for_group(office, p.id, "2026-11-01")
    return p.id


def test_the_13th_man_is_refused_with_the_date_a_place_frees(office):
    thirteenth = _full_group(office)
    with pytest.raises(Refused) as refused:
        groups.enrol(office, "G1", thirteenth)
    words = str(refused.value)
    assert "group G1 is full (12 of 12 places)" in words
    # Adam covered sessions 1 and 2; the plan goes on at 3 today, so his 24th is session 24
    # on 20 April. The others still need 1 and 2 from the next cycle.
    assert "frees up after 2027-04-20" in words
    assert "join from 2027-04-27" in words
    assert "\n" not in words


def test_a_place_frees_when_a_man_leaves_and_the_first_waiting_is_offered_it(office, invoke):
    thirteenth = _full_group(office)
    result = invoke("--user", "admin", "group", "leave", "P0005", "--reason", "exited: moved away")
    assert result.exit_code == 0, result.output
    assert f"a place is free in G1: first on the waiting list is {thirteenth}" in result.output
    groups.enrol(office, "G1", thirteenth)


def test_ending_a_mans_programme_offers_his_place_too(office, invoke):
    thirteenth = _full_group(office)
    result = invoke(
        "--user", "admin", "participant", "status", "P0006", "exited", "--reason", "moved away"
    )
    assert result.exit_code == 0, result.output
    assert f"a place is free in G1: first on the waiting list is {thirteenth}" in result.output


def test_max_size_is_a_setting_and_a_group_may_have_its_own(office, invoke):
    enrol_all(office)  # three men
    p = people.add_participant(office, MORE[0], "court", "Demo Court", "REF-Z")
    ready_for_group(office, p.id)
    result = invoke("--user", "admin", "group", "set", "G1", "--max-size", "3")
    assert result.exit_code == 0 and "at most 3 men" in result.output
    result = invoke("--user", "admin", "group", "enrol", "G1", p.id)
    assert result.exit_code != 0
    assert "group G1 is full (3 of 3 places)" in result.stderr
    capacity.set_group(as_coordinator(office), "G1", max_size=0)
    settings = office.ws.read_settings()
    settings.setdefault("groups", {})["max_size"] = 4
    with office.stores.writing():
        office.ws.write_settings(settings)
    groups.enrol(office, "G1", p.id)


def test_named_entry_points_refuse_joining_between_them_and_give_the_next(office):
    enrol_all(office)
    capacity.set_group(as_coordinator(office), "G1", entry="named", entry_sessions=[1, 5])
    p = people.add_participant(office, MORE[0], "court", "Demo Court", "REF-Z")
    ready_for_group(office, p.id)
    s = sessions.start_session(office, "G1", "2026-11-17")  # session 1
    sessions.close_session(office, s.id, force=True)
    with pytest.raises(Refused) as refused:
        groups.enrol(office, "G1", p.id)  # today the group is on session 2
    words = str(refused.value)
    assert "takes men only at sessions 1, 5" in words
    # Sessions 2, 3, 4 on 24 Nov, 1 and 8 Dec; session 5 on 15 December.
    assert "next entry point is session 5 on 2026-12-15" in words
    e = groups.enrol(office, "G1", p.id, "2026-12-15")
    assert e.joined_at_session == 5


def test_a_closed_group_takes_men_only_before_its_first_session(office):
    enrol_all(office)
    capacity.set_group(as_coordinator(office), "G1", entry="closed")
    s = sessions.start_session(office, "G1", "2026-11-17")
    sessions.close_session(office, s.id, force=True)
    p = people.add_participant(office, MORE[0], "court", "Demo Court", "REF-Z")
    ready_for_group(office, p.id)
    with pytest.raises(Refused, match="only at session 1"):
        groups.enrol(office, "G1", p.id)


def test_the_waiting_list_orders_men_by_the_date_found_suitable_with_their_wait(office, invoke):
    enrol_all(office)  # P0001-P0003 are in the group: not waiting
    waiting = []
    for name, day in (
        ("Dan Later", "2026-11-10"),
        ("Eli Earlier", "2026-10-01"),
        ("Fay Notyet", None),
    ):
        p = people.add_participant(office, name, "probation", "Demo Probation", "REF-W")
        if day:
            ready_for_group(office, p.id, day)
        waiting.append(p.id)
    found = waiting_list.waiting_list(office)
    assert [w.participant_id for w in found] == [waiting[1], waiting[0]]
    assert [w.days_waiting for w in found] == [54, 14]
    result = invoke("waiting", "list", "--json")
    data = json.loads(result.output)
    assert [w["participant_id"] for w in data["waiting"]] == [waiting[1], waiting[0]]
    assert data["waiting"][0]["found_suitable_on"] == "2026-10-01"
    text = invoke("waiting", "list").output
    assert text.index("Eli Earlier") < text.index("Dan Later")
    assert "G1 has 9 places free: offer one to" in text


def test_the_programme_report_shows_waiting_times_and_time_to_first_contact_and_session(
    office,
):
    from facilitator.services.evaluation.figures import programme_figures
    from facilitator.services.evaluation.report import render_markdown

    settings = office.ws.read_settings()
    settings.setdefault("figures", {})["min_count"] = 1
    with office.stores.writing():
        office.ws.write_settings(settings)
    # Referred 1 Oct, assessed from 11 Oct (10 days), suitable 11 Oct; joined 3 Nov: waited 23.
    # The conftest men were referred today; give them referral dates of their own.
    made = []
    for name, referred, suitable, joins in (
        ("Gus Waited", "2026-10-01", "2026-10-11", "2026-11-03"),
        ("Hal Waited", "2026-10-05", "2026-10-20", "2026-11-03"),
        ("Ivo Waiting", "2026-10-10", "2026-11-04", None),
    ):
        p = people.add_participant(office, name, "court", "Demo Court", "REF-V", referred)
        ready_for_group(office, p.id, suitable)
        if joins:
            groups.enrol(office, "G1", p.id, joins)
        made.append(p.id)
    s = sessions.start_session(office, "G1", "2026-11-03")
    sessions.close_session(office, s.id, force=True)
    w = programme_figures(office, "2026-10-01", "2026-11-30")["waiting"]
    assert w["joined_after_waiting"] == 2
    assert w["median_days_waited"] == 18.5  # 23 and 14 days
    assert w["longest_days_waited"] == 23
    assert w["waiting_now"] == 1 and w["longest_days_waiting_now"] == 20
    assert w["median_days_referral_to_first_contact"] == 15  # 10, 15 and 25 days
    assert w["median_days_referral_to_first_session"] == 31.0  # 33 and 29 days
    text = render_markdown(programme_figures(office, "2026-10-01", "2026-11-30"))
    assert "longest wait | 23 days" in text


def test_waiting_figures_over_too_few_men_are_not_shown(office):
    from facilitator.services.evaluation.figures import programme_figures

    p = people.add_participant(office, "Jon Alone", "court", "Demo Court", "REF-U", "2026-10-01")
    ready_for_group(office, p.id, "2026-10-11")
    groups.enrol(office, "G1", p.id, "2026-11-03")
    w = programme_figures(office, "2026-10-01", "2026-11-30")["waiting"]
    assert w["longest_days_waited"] == "<5" and w["median_days_waited"] == "<5"
