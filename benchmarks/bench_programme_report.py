"""The programme report over the ten-year workspace: time, CPU and peak memory.

    uv run python benchmarks/bench_programme_report.py [--groups 400] [--quick]

Builds (or finds) the synthetic history of benchmarks/history.py in its own folder,
benchmarks/out/history-programme-g<groups>, and lays on it what the programme figures read
beyond the foundation's stores, as those features would have written it over the years:
intakes, risk assessments every eight weeks (some late, some missed), risk flags with reviews
(most closed, by month), debrief notes with signatures, his questionnaires at intake,
mid-programme and end, and staff training and supervision. Everything is synthetic.

Each task runs in a forked child so its peak resident memory is its own. The baseline,
measured in the same run, reads every session's attendance and nothing else: the floor under
any figure about attendance over the whole history.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_exports import run_in_child  # noqa: E402 - fork, time, peak RSS: {wall, cpu, rows, rss_mb}
from history import OUT, build_history  # noqa: E402

from facilitator.storage import migrations  # noqa: E402
from facilitator.storage.files import FILE_MODE, ensure_private_dir  # noqa: E402

FEATURES = "programme-features.json"
FEATURES_FORMAT = 1
END = date(2026, 11, 24)
CATEGORIES = [
    "physical_violence",
    "controlling_behaviour",
    "separation",
    "stalking",
    "substance_misuse",
    "child_safeguarding",
    "threats_to_kill",
    "strangulation",
    "economic_abuse",
    "property_damage",
]


# -- the features' stores, written whole (like history.py does for the foundation's) ------------
class _Stores:
    def __init__(self, data: Path):
        self.data = data
        self.made: set[Path] = set()

    def write(self, relative: str, kind: str, tables: dict[str, list[dict]]) -> None:
        body = {
            name: {str(i): doc for i, doc in enumerate(docs, start=1)}
            for name, docs in tables.items()
        }
        target = self.data.joinpath(*relative.split("/"))
        if target.parent not in self.made:
            ensure_private_dir(target.parent)
            self.made.add(target.parent)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(
                json.dumps(migrations.stamp(body, kind), ensure_ascii=False, separators=(",", ":"))
            )


def _rows(path: Path, table: str) -> list[dict]:
    return list((json.loads(path.read_text()).get(table) or {}).values())


def add_features(path: Path, seed: int = 2026) -> dict:
    """Lay the features' records on the history (once; a marker file says it is done)."""
    marker = path / FEATURES
    if marker.is_file() and json.loads(marker.read_text()).get("format") == FEATURES_FORMAT:
        return json.loads(marker.read_text())["counts"]
    import tomllib

    from facilitator.domain.outcomes import parse_questionnaires
    from facilitator.domain.risk_flag import deadline_for
    from facilitator.services.evaluation.outcomes import BUNDLED

    rnd = random.Random(seed)
    data = path / "data"
    out = _Stores(data)
    people = {p["id"]: p for p in _rows(data / "people.json", "participants")}
    enrolments: dict[str, list[dict]] = {}
    for f in sorted((data / "enrolments").glob("*.json")):
        for e in _rows(f, "enrolments"):
            enrolments.setdefault(e["participant_id"], []).append(e)
    counts = {
        "intakes": 0,
        "assessments": 0,
        "flags": 0,
        "notes": 0,
        "outcomes": 0,
        "supervisions": 0,
    }

    # Intakes and risk assessments: one per man at intake, then every 8 weeks in a group.
    assessments = []
    for pid, person in people.items():
        referred = date.fromisoformat(person["referred_on"])
        start, decided = referred + timedelta(days=7), referred + timedelta(days=14)
        intake = {
            "participant_id": pid,
            "started_on": start.isoformat(),
            "referral_received_on": referred.isoformat(),
            "started_by": "morgan",
            "assessments": [
                {"date": (start + timedelta(days=k)).isoformat(), "worker": "f01"} for k in (0, 3)
            ],
            "agreements": {
                n: {
                    "name": n,
                    "answer": "signed",
                    "date": start.isoformat(),
                    "recorded_by": "morgan",
                }
                for n in ("programme_agreement", "information_sharing", "partner_contact_consent")
            },
            "risk": {
                "date": decided.isoformat(),
                "assessed_by": "morgan",
                "items": {"separation": "absent"},
                "level": "standard",
                "next_review": (decided + timedelta(weeks=8)).isoformat(),
            },
            "decisions": [
                {
                    "outcome": "suitable",
                    "date": decided.isoformat(),
                    "reasons": [],
                    "decided_by": "morgan",
                }
            ],
        }
        out.write(f"intake/{pid}.json", "intake", {"intake": [intake]})
        counts["intakes"] += 1
        history = [
            {
                "participant_id": pid,
                "date": decided.isoformat(),
                "level": "standard",
                "recorded_by": "morgan",
            }
        ]
        his = enrolments.get(pid, [])
        until = (
            max((date.fromisoformat(e["left_on"]) if e.get("left_on") else END) for e in his)
            if his
            else decided
        )
        day = decided
        while True:
            day += timedelta(weeks=8) + timedelta(days=rnd.choice([-7, -3, 0, 0, 0, 5, 12, 20]))
            if day >= until or day > END:
                break
            if rnd.random() < 0.08:
                continue  # missed: the next one counts from the last one done
            history.append(
                {
                    "participant_id": pid,
                    "date": day.isoformat(),
                    "level": "standard",
                    "recorded_by": "morgan",
                }
            )
        assessments.append({"id": pid, "history": history})
        counts["assessments"] += len(history)
    out.write("risk/assessments.json", "risk_assessments", {"assessments": assessments})

    # Flags, notes: from the sessions held.
    open_flags: list[dict] = []
    closed: dict[str, list[dict]] = {}
    men_flags: dict[str, list[dict]] = {}
    n_flag = 0
    for group_dir in sorted(p for p in (data / "sessions").iterdir() if p.is_dir()):
        gid = group_dir.name
        index = sorted(_rows(group_dir / "index.json", "sessions"), key=lambda r: r["date"])
        notes = []
        for row in index:
            day = row["date"]
            marks = _rows(group_dir / day[:4] / f"{day}.json", "attendance")
            present = [
                m["participant_id"]
                for m in marks
                if m["status"] in ("present", "late", "left_early")
            ]
            if present and rnd.random() < 0.15:
                n_flag += 1
                cats = rnd.sample(CATEGORIES, rnd.choice([1, 1, 2]))
                severity = (
                    "critical"
                    if {"strangulation", "threats_to_kill"} & set(cats)
                    else rnd.choice(["high", "high", "medium"])
                )
                raised = datetime.fromisoformat(f"{day}T20:40:00")
                due = deadline_for(
                    severity, raised, {"critical": 0, "high": 24, "medium": 168}, ["high"]
                )
                flag = {
                    "id": f"F{n_flag:05d}",
                    "participant_id": rnd.choice(present),
                    "categories": cats,
                    "severity": severity,
                    "summary": "Synthetic flag for the benchmark.",
                    "source": "checkin",
                    "raised_by": "f01",
                    "raised_at": raised.isoformat(),
                    "deadline": due.isoformat(),
                    "session_id": f"{gid}-{day}",
                    "status": "open",
                    "reviews": [],
                    "outcome": "",
                    "closed_by": "",
                    "closed_at": "",
                    "markers": [],
                    "escalated_from": "",
                    "suggestion_id": "",
                }
                if raised < datetime(2026, 11, 20) or rnd.random() < 0.5:
                    at = raised + timedelta(hours=rnd.choice([2, 10, 14, 20, 30, 60]))
                    flag["reviews"] = [
                        {
                            "at": at.isoformat(),
                            "by": "morgan",
                            "actions": ["risk_plan_updated"],
                            "note": "",
                        }
                    ]
                    flag["status"] = "in_review"
                    if at + timedelta(days=7) < datetime(2026, 11, 24):
                        closed_at = at + timedelta(days=7)
                        flag |= {
                            "status": "closed",
                            "outcome": "Synthetic outcome.",
                            "closed_by": "morgan",
                            "closed_at": closed_at.isoformat(),
                        }
                        closed.setdefault(closed_at.strftime("%Y-%m"), []).append(flag)
                    else:
                        open_flags.append(flag)
                else:
                    open_flags.append(flag)
                men_flags.setdefault(flag["participant_id"], []).append(
                    {
                        "id": flag["id"],
                        "raised_at": flag["raised_at"],
                        "categories": cats,
                        "marac_referrals": [],
                    }
                )
            if rnd.random() < 0.9:
                facs = row.get("facilitators_present", ["f01", "f02"])
                body = (
                    "## Group process\n\nSynthetic debrief note for the benchmark.\n"
                    + "Lorem ipsum. " * 60
                )
                sha = hashlib.sha256(body.encode()).hexdigest()
                signed = rnd.random() < 0.85
                at = datetime.fromisoformat(f"{day}T21:30:00") + timedelta(
                    hours=rnd.choice([1, 12, 30, 60, 100])
                )
                note = {
                    "id": f"{gid}-{day}",
                    "session_id": f"{gid}-{day}",
                    "group_id": gid,
                    "date": day,
                    "curriculum_session": row["curriculum_session"],
                    "path": f"session_notes/{gid}/{day}"
                    f"-session-{int(row['curriculum_session']):02d}.md",
                    "authors": facs,
                    "status": "signed" if signed else "draft",
                    "body": body,
                    "signatures": [
                        {"by": a, "at": at.isoformat(), "body_sha256": sha} for a in facs
                    ]
                    if signed
                    else [],
                    "amendments": [],
                    "handled": [],
                    "created_at": f"{day}T21:20:00",
                    "updated_at": at.isoformat(),
                }
                out.write(f"debrief/{gid}/{day[:4]}/{day}.json", "debrief_note", {"note": [note]})
                notes.append(
                    {
                        k: note[k]
                        for k in (
                            "id",
                            "session_id",
                            "group_id",
                            "date",
                            "curriculum_session",
                            "path",
                            "status",
                            "authors",
                        )
                    }
                    | {
                        "signed_by": [s["by"] for s in note["signatures"]],
                        "amendments": 0,
                        "file_sha256": "",
                        "updated_at": note["updated_at"],
                    }
                )
        if notes:
            out.write(f"debrief/{gid}/index.json", "debrief_index", {"notes": notes})
            counts["notes"] += len(notes)
    for month, flags in closed.items():
        out.write(f"risk/closed/{month}.json", "risk_closed", {"flags": flags})
    out.write("risk/open.json", "risk_open", {"flags": open_flags})
    for pid, rows in men_flags.items():
        out.write(f"risk/men/{pid}.json", "risk_man", {"flags": rows})
    counts["flags"] = n_flag

    # His questionnaires: intake (most), mid-programme (fewer), end (half the completers).
    q = parse_questionnaires(tomllib.loads(BUNDLED.read_text()), str(BUNDLED))["man"]
    for pid, his in enrolments.items():
        his.sort(key=lambda e: e["joined_on"])
        joined = date.fromisoformat(his[0]["joined_on"])
        level = rnd.uniform(0.3, 0.7)
        records = []
        last = his[-1]
        points = [
            ("intake", joined - timedelta(days=3), 0.9, 0.0),
            ("mid", joined + timedelta(weeks=12), 0.6, -0.15),
        ]
        if last.get("left_on") and last["left_reason"] == "completed":
            points.append(("end", date.fromisoformat(last["left_on"]), 0.5, -0.25))
        for point, day, chance, shift in points:
            left = date.fromisoformat(last["left_on"]) if last.get("left_on") else END
            if day > END or (point == "mid" and day > left) or rnd.random() > chance:
                continue
            answers = {}
            for scale, item in q.items():
                top = len(scale.answers.choices) - 1
                bad = level + shift if scale.better == "lower" else 1 - level - shift
                v = round(max(0.0, min(1.0, bad + rnd.uniform(-0.2, 0.2))) * top)
                answers[item.id] = top - v if item.reverse else v
            records.append(
                {
                    "id": f"{pid}-{point}",
                    "respondent": "man",
                    "participant_id": pid,
                    "point": point,
                    "questionnaire": q.id,
                    "date": day.isoformat(),
                    "answers": answers,
                    "scores": q.scores(answers),
                    "partner_id": "",
                    "recorded_by": "f01",
                    "recorded_at": f"{day.isoformat()}T12:00:00",
                }
            )
        if records:
            out.write(f"outcomes/{pid}.json", "outcomes", {"answers": records})
            counts["outcomes"] += len(records)

    # Staff: core training and monthly supervision for the twenty facilitators.
    first = END - timedelta(weeks=52 * 10)
    for i in range(1, 21):
        sid = f"f{i:02d}"
        training = [
            {
                "id": f"{sid}-T{k + 1}",
                "staff_id": sid,
                "date": (first + timedelta(days=30 * k)).isoformat(),
                "kind": "core" if k < 2 else "refresher",
                "hours": 15.0 if k < 2 else 6.0,
                "title": "Synthetic",
                "provider": "",
                "recorded_by": "admin",
                "recorded_at": "",
            }
            for k in range(2)
        ]
        training += [
            {
                "id": f"{sid}-T{k + 3}",
                "staff_id": sid,
                "date": (first + timedelta(days=365 * k)).isoformat(),
                "kind": "refresher",
                "hours": 6.0,
                "title": "Synthetic refresher",
                "provider": "",
                "recorded_by": "admin",
                "recorded_at": "",
            }
            for k in range(1, 11)
        ]
        sups = []
        day = first
        while day <= END - timedelta(weeks=(3 if i % 7 else 9)):
            sups.append(
                {
                    "id": f"{sid}-S{len(sups) + 1}",
                    "staff_id": sid,
                    "date": day.isoformat(),
                    "supervisor": "admin",
                    "kind": "individual",
                    "minutes": 60,
                    "recorded_by": "admin",
                    "recorded_at": "",
                }
            )
            day += timedelta(weeks=4)
        out.write(f"staff/{sid}.json", "staff_quality", {"training": training, "supervision": sups})
        counts["supervisions"] += len(sups)
    marker.write_text(json.dumps({"format": FEATURES_FORMAT, "counts": counts}, indent=2))
    return counts


# -- measuring --------------------------------------------------------------------------------
def _baseline(office) -> int:
    from facilitator.services.groupwork import attendance as records

    n = 0
    for gid in [p.name for p in office.stores.group_session_dirs()]:
        for held in records.held_sessions(office, gid):
            n += len(held.marks)
    return n


def _figures(office, start, end) -> int:
    from facilitator.services.evaluation.figures import programme_figures

    found = programme_figures(office, start, end)
    return len(json.dumps(found))


def _report(office, start, end, fmt, out: Path) -> int:
    from facilitator.services.evaluation.report import programme_report

    text = programme_report(office, start, end, fmt)
    (out / f"programme-{start}-{end}.{fmt}").write_text(text)
    return len(text)


def tasks(out: Path):
    ten, year = (str(date(2016, 11, 24)), str(END)), (str(END - timedelta(days=364)), str(END))
    return [
        ("read every session's attendance (baseline)", lambda o: _baseline(o)),
        ("figures, ten years", lambda o: _figures(o, *ten)),
        ("figures, last twelve months", lambda o: _figures(o, *year)),
        ("report md, ten years", lambda o: _report(o, *ten, "md", out)),
        ("report json, ten years", lambda o: _report(o, *ten, "json", out)),
        ("report html + charts, ten years", lambda o: _report(o, *ten, "html", out)),
        ("report html + charts, last twelve months", lambda o: _report(o, *year, "html", out)),
    ]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", type=int, default=400)
    ap.add_argument("--quick", action="store_true", help="40 groups instead of 400")
    a = ap.parse_args(argv)
    groups = 40 if a.quick else a.groups
    path = OUT / f"history-programme-g{groups}"
    started = time.perf_counter()
    info = build_history(path, groups=groups)
    feats = add_features(path)
    print(
        f"workspace {path}: {info.sessions} sessions, {info.participants} men, "
        f"{info.attendance} marks, "
        f"{feats['flags']} flags, {feats['notes']} debrief notes, {feats['assessments']} "
        "risk assessments, "
        f"{feats['outcomes']} questionnaires ({time.perf_counter() - started:.1f} s to "
        "build or find)"
    )
    out = OUT / "programme-report"
    out.mkdir(parents=True, exist_ok=True)
    # Warm matplotlib's font cache once, outside the timings (the first run ever builds it).
    run_in_child(path, lambda o: _report(o, str(END), str(END), "html", out))
    rows = []
    for name, fn in tasks(out):
        r = run_in_child(path, fn)
        if "error" in r:
            rows.append((name, "error", r["error"], "", ""))
            continue
        rows.append(
            (name, f"{r['wall']:.2f}", f"{r['cpu']:.2f}", f"{r['rss_mb']:.0f}", f"{r['rows']:,}")
        )
    base = float(rows[0][1]) if rows and rows[0][1] != "error" else None
    headers = ("task", "wall s", "cpu s", "peak RSS MB", "output chars")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(r, widths)))
    if base:
        ten = next(
            float(r[1])
            for r in rows
            if r[0] == "report html + charts, ten years" and r[1] != "error"
        )
        print(
            f"\nthe ten-year HTML report takes {ten / base:.1f}x the baseline read of every "
            "session's attendance"
        )


if __name__ == "__main__":
    main()
