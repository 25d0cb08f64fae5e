"""Partner support behind the confidentiality wall: nothing a partner says reaches the
group side, and her records are encrypted at rest.

Only staff with the partner_support role (or admin) open the store: anyone else gets one line,
and the refusal is audited (`office.require_role`). The store is a folder of encrypted files
(storage/partner_vault.py) in `<workspace>/partner`, or wherever `partner.store_path` points
(another drive). Its key comes from the worker's passphrase or key file and is never written.

What crosses the wall, and only this:
  - towards partner support: contact points read from group-side records (services.contact_points);
  - towards the group side: a risk concern as category + severity + "source: partner contact"
    (services.risk.raise_partner_concern); the date and level of a risk checklist completed
    with her, and a MARAC prompt when it is high (services.risk.marac.record_partner_level); and audit lines naming the kind of record and a keyed
    pseudonym of its id (`pr-...`, never the id: every id carries the man's), which partner
    support, with the key, turns back into his records' history (`PartnerStore.audit_trail`);
  - her outcome questionnaires, only as aggregates over at least `outcomes.partner_min_partners`
    partners (services.outcomes.partner_summary, computed in memory for partner support).
Nothing she said is ever written outside the store: not in the audit log, not in any export.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from facilitator import clock
from facilitator.domain.dash import HIGH_RISK_YES, NUMBERS, DashAssessment, answer_of, level_from
from facilitator.domain.marac import MaracPrompt
from facilitator.domain.partner import (
    Concern,
    Contact,
    ContactTask,
    ManRecord,
    Partner,
    contact_tasks,
)
from facilitator.domain.risk_flag import RiskFlag
from facilitator.domain.values import check_text_size, parse_date
from facilitator.errors import InvalidInput, NotFound, Refused
from facilitator.services.core.legal_holds import list_holds, partner_records_forgotten
from facilitator.services.core.office import Office
from facilitator.services.core.people import get_participant
from facilitator.services.partner.contact_points import contact_points
from facilitator.services.risk.flags import raise_partner_concern
from facilitator.services.risk.marac import record_partner_level
from facilitator.storage.partner_vault import KeySource, PartnerVault, WrongKey, new_key_file
from facilitator.storage.stores import safe_name

ROLE = "partner_support"
ENV_PASSPHRASE = "FACILITATOR_PARTNER_PASSPHRASE"
ENV_KEY_FILE = "FACILITATOR_PARTNER_KEY_FILE"


def store_folder(office: Office) -> Path:
    given = str(office.setting("partner.store_path", "") or "").strip()
    if not given:
        return office.path / "partner"
    path = Path(given).expanduser()
    return path if path.is_absolute() else office.path / path


def may_open(office: Office) -> bool:
    """Whether the acting person may see the partner side at all (the UI hides it otherwise)."""
    return office.actor.has_role(ROLE, "admin")


def require_partner_role(office: Office, doing: str = "open the partner store") -> None:
    office.require_role(ROLE, doing=doing)


def init_store(office: Office, source: KeySource, make_key_file: bool = False) -> Path:
    """Set up the partner store, with a passphrase or a key file (made fresh when asked)."""
    require_partner_role(office, "set up the partner store")
    folder = store_folder(office)
    if PartnerVault.exists(folder):
        raise Refused(f"a partner store already exists at {folder}; nothing was changed")
    if source.key_file:
        key_path = Path(source.key_file).expanduser().resolve()
        if key_path.is_relative_to(office.path.resolve()) or key_path.is_relative_to(
            folder.resolve()
        ):
            raise Refused(
                f"keep the key file outside the workspace ({office.path}): the group side "
                f"must never hold the partner store's key"
            )
        if make_key_file:
            new_key_file(key_path)
    with office.stores.writing():
        PartnerVault.create(folder, source)
        office.audit(
            "create",
            "partner_store",
            folder.name,
            method="key_file" if source.key_file else "passphrase",
        )
    return folder


def open_store(office: Office, source: KeySource) -> PartnerStore:
    require_partner_role(office)
    try:
        vault = PartnerVault.open(store_folder(office), source)
    except WrongKey:
        # Someone with the role but the wrong key: worth knowing about, as a refusal is.
        with office.stores.writing():
            office.audit("refused", "partner_store", store_folder(office).name, why="wrong_key")
        raise
    with office.stores.writing():
        office.audit("open", "partner_store", store_folder(office).name)
        # A store made before keyed file names: renamed now that the key is here (counts only).
        moved = vault.migrate_names()
        if moved:
            office.audit(
                "migrate",
                "partner_store",
                store_folder(office).name,
                renamed=str(moved.renamed),
                dropped=str(moved.dropped),
                set_aside=str(moved.set_aside),
            )
    return PartnerStore(office, vault)


class PartnerStore:
    """The opened store: every read and write of partner records goes through here."""

    def __init__(self, office: Office, vault: PartnerVault):
        self.office = office
        self.vault = vault

    # -- reading ----------------------------------------------------------------------------
    def _man(self, pid: str) -> ManRecord:
        data = self.vault.read(pid)
        return ManRecord.from_dict(data) if data else ManRecord(participant_id=pid)

    def men(self) -> list[ManRecord]:
        return [ManRecord.from_dict(data) for data in self.vault.records().values()]

    def partners(self, participant_id: str | None = None) -> list[Partner]:
        if participant_id:
            return self._man(get_participant(self.office, participant_id).id).partner_list()
        return [p for man in self.men() for p in man.partner_list()]

    def _find(self, partner_id: str) -> tuple[ManRecord, Partner]:
        key = partner_id.strip().upper()
        pid, sep, _ = key.partition("-PT")
        if sep and self.vault.has(pid):
            man = self._man(pid)
            for p in man.partner_list():
                if p.id == key:
                    return man, p
        raise NotFound(
            f"no partner record '{partner_id}' (ids look like P0001-PT1)",
            command="facilitator partner list",
        )

    def get_partner(self, partner_id: str) -> Partner:
        return self._find(partner_id)[1]

    def contacts(self, partner_id: str | None = None) -> list[Contact]:
        if partner_id:
            man, partner = self._find(partner_id)
            return man.contact_list(partner.id)
        return [c for man in self.men() for c in man.contact_list()]

    def concerns(self, partner_id: str) -> list[Concern]:
        man, partner = self._find(partner_id)
        return [Concern.from_dict(c) for c in man.concerns if c["partner_id"] == partner.id]

    def due(self, today: date | None = None) -> list[ContactTask]:

        men = self.men()
        return contact_tasks(
            contact_points(self.office),
            [p for m in men for p in m.partner_list()],
            [c for m in men for c in m.contact_list()],
            self.office.setting("partner.contact_within_days", {}),
            today or clock.today(),
        )

    # -- changing ---------------------------------------------------------------------------
    def _write(self, man: ManRecord, action: str, kind: str, record_id: str) -> None:
        """Caller holds the lock. The audit line names the record by its pseudonym, never its
        content."""
        self.vault.write(man.participant_id, man.to_dict())
        self._audit(action, kind, record_id)

    def _audit(self, action: str, kind: str, record_id: str) -> None:
        # The group side reads the audit log: an id such as P0001-PT1 would tell it he has a partner
        # here.
        self.office.audit(action, kind, self.vault.audit_pseudonym(record_id))

    def audit_trail(self, participant_id: str) -> list[dict]:
        """The audit lines about a man's partner records, oldest first: those naming the pseudonym
        of his id or of any partner, contact, concern or answers id his file holds now, and lines
        from earlier versions that named them in clear. Each line gets `record`, the id it is about.

        His record need not exist on the group side any more (retention may have removed it).
        After `forget` only the lines naming him as a whole are found: the ids went with the file.
        """
        pid = safe_name(participant_id.strip().upper(), "participant id")
        man = self._man(pid)
        ids = [pid] + [
            r["id"]
            for rows in (man.partners, man.contacts, man.concerns, man.outcomes, man.dash)
            for r in rows
            if r.get("id")
        ]
        wanted = {self.vault.audit_pseudonym(i): i for i in ids}
        found = []
        for entry in self.office.stores.audit.entries():
            kind, rid = str(entry.get("kind", "")), str(entry.get("id", ""))
            if not kind.startswith("partner"):
                continue
            if rid in wanted:
                found.append(entry | {"record": wanted[rid]})
            elif rid == pid or rid.startswith(f"{pid}-PT"):  # written in clear, before pseudonyms
                found.append(entry | {"record": rid})
        return found

    def forget(self, participant_id: str) -> bool:
        """Delete everything held about his partners and ex-partners, when retention says so.

        Audited by the pseudonym of his id, whether or not there was anything to delete (a line
        only when there was would tell who had partner records). Refused while a legal hold
        stands on him.
        """
        pid = participant_id.strip().upper()

        if any(h["id"] == pid for h in list_holds(self.office)):
            raise Refused(
                f"{pid} is under a legal hold: his partner records stay until it is released"
            )
        with self.office.stores.writing():
            removed = self.vault.remove(pid)
            self._audit("delete", "partner_records", pid)
            # Retention lists him (it cannot see whether there was a file) until this is done.
            partner_records_forgotten(self.office, pid)
        return removed

    def add_partner(
        self,
        participant_id: str,
        name: str,
        relationship: str = "partner",
        phone: str = "",
        safe_contact: str = "",
        notes: str = "",
        day: str | None = None,
    ) -> Partner:
        person = get_participant(self.office, participant_id)
        added = parse_date(day, "date added").isoformat() if day else clock.today().isoformat()
        Partner(
            id="-", participant_id=person.id, name=name, relationship=relationship
        )  # validate first
        with self.office.stores.writing():
            man = self._man(person.id)
            partner = Partner(
                id=f"{person.id}-PT{len(man.partners) + 1}",
                participant_id=person.id,
                name=name,
                relationship=relationship,
                phone=phone,
                safe_contact=safe_contact,
                notes=notes,
                added_on=added,
                added_by=self.office.user,
            )
            man.partners.append(partner.to_dict())
            self._write(man, "add", "partner", partner.id)
        return partner

    def record_contact(
        self,
        partner_id: str,
        mode: str,
        outcome: str = "reached",
        day: str | None = None,
        worker: str | None = None,
        safety_planning: str = "",
        her_account: str = "",
        wishes: str = "",
        no_further_contact: bool = False,
    ) -> Contact:
        staff = self.office.find_staff(worker).id if worker else self.office.user
        when = parse_date(day, "contact date").isoformat() if day else clock.today().isoformat()
        if when > clock.today().isoformat():
            raise Refused(f"contact date {when} is in the future")
        with self.office.stores.writing():
            man, partner = self._find(partner_id)
            n = sum(1 for c in man.contacts if c["partner_id"] == partner.id) + 1
            contact = Contact(
                id=f"{partner.id}-C{n}",
                partner_id=partner.id,
                date=when,
                mode=mode,
                worker=staff,
                outcome=outcome,
                safety_planning=safety_planning,
                her_account=her_account,
                wishes=wishes,
                recorded_at=clock.now().isoformat(),
            )
            man.contacts.append(contact.to_dict())
            if no_further_contact:
                # She asked for no more contact: no contact task is raised for her from now on.
                man.partners = [
                    p | {"service": "no_further_contact"} if p["id"] == partner.id else p
                    for p in man.partners
                ]
            self._write(man, "record", "partner_contact", contact.id)
        return contact

    def raise_concern(
        self, partner_id: str, category: str, severity: str | None = None, contact_id: str = ""
    ) -> tuple[Concern, RiskFlag]:
        """Send a risk concern to the queue: category and severity only, source partner contact."""
        man, partner = self._find(partner_id)
        if contact_id and contact_id.strip().upper() not in {c["id"] for c in man.contacts}:
            raise NotFound(f"no contact '{contact_id}' for {partner.id}")
        flag = raise_partner_concern(self.office, partner.participant_id, category, severity)
        with self.office.stores.writing():
            man, partner = self._find(partner_id)  # again, under the lock
            concern = Concern(
                id=f"{partner.id}-R{len(man.concerns) + 1}",
                partner_id=partner.id,
                date=clock.today().isoformat(),
                category=flag.categories[0],
                severity=flag.severity,
                flag_id=flag.id,
                contact_id=contact_id.strip().upper(),
                raised_by=self.office.user,
            )
            man.concerns.append(concern.to_dict())
            self._write(man, "record", "partner_concern", concern.id)
        return concern, flag

    # -- the risk checklist with her (domain/dash.py) ------------------------------------------
    def dash_assessments(self, partner_id: str) -> list[DashAssessment]:
        """Her checklists, oldest first."""
        man, partner = self._find(partner_id)
        found = [DashAssessment.from_dict(d) for d in man.dash if d["partner_id"] == partner.id]
        return sorted(found, key=lambda d: (d.date, d.id))

    def record_dash(
        self,
        partner_id: str,
        answers: dict[int, str],
        *,
        judged_level: str,
        notes: dict[int, str] | None = None,
        rationale: str = "",
        on: str | date | None = None,
    ) -> tuple[DashAssessment, MaracPrompt | None]:
        """Keep a completed checklist in her file; only its date and level cross the wall, with a
        MARAC prompt when the level is high. Questions not given are kept as not asked."""
        threshold = int(self.office.setting("risk.dash_high_risk_yes", HIGH_RISK_YES))
        day = (parse_date(on, "assessment date") if on else clock.today()).isoformat()
        kept: dict[str, str] = {}
        for number, value in answers.items():
            if number not in NUMBERS:
                raise InvalidInput(f"the checklist has questions 1 to {len(NUMBERS)}, not {number}")
            try:
                kept[str(number)] = answer_of(value)
            except ValueError as err:
                raise InvalidInput(f"question {number}: {err}") from None
        said: dict[str, str] = {}
        for number, text in (notes or {}).items():
            if number not in NUMBERS:
                raise InvalidInput(f"the checklist has questions 1 to {len(NUMBERS)}, not {number}")
            said[str(number)] = check_text_size(text.strip(), f"note on question {number}", 2000)
        judged = str(judged_level or "").strip().lower()
        try:
            level = level_from(sum(1 for a in kept.values() if a == "yes"), judged, threshold)
        except ValueError as err:
            raise InvalidInput(str(err)) from None
        with self.office.stores.writing():
            man, partner = self._find(partner_id)
            assessment = DashAssessment(
                id=f"{partner.id}-D{len(man.dash) + 1}",
                partner_id=partner.id,
                date=day,
                answers={str(n): kept.get(str(n), "not_asked") for n in NUMBERS},
                notes=said,
                judged_level=judged,
                level=level,
                threshold=threshold,
                rationale=check_text_size(rationale.strip(), "rationale", 2000),
                recorded_by=self.office.user,
            )
            man.dash.append(assessment.to_dict())
            # Group side first, in the same unit: if her file cannot be written, neither is
            # the level.
            prompt = record_partner_level(self.office, partner.participant_id, day, level)
            self._write(man, "record", "partner_dash", assessment.id)
        return assessment, prompt

    # -- outcome questionnaires (services/evaluation/outcomes.py checks and scores them) ------
    def outcome_records(self) -> list[dict]:
        """Every questionnaire partners answered. Never shown outside partner support: only
        aggregates over enough partners leave the store (services.outcomes.partner_summary)."""
        return [dict(o) for man in self.men() for o in man.outcomes]

    def save_outcome(self, partner_id: str, record: dict, replace: bool = False) -> dict:
        """Keep her answers at one time point in the man's file; the audit line names ids only."""
        with self.office.stores.writing():
            man, partner = self._find(partner_id)
            rid = f"{partner.id}-{record['point']}"
            earlier = [o for o in man.outcomes if o.get("id") == rid]
            if earlier and not replace:
                raise Refused(
                    f"{partner.id} already has answers for {record['point']} "
                    f"({earlier[0].get('date')}); "
                    f"use --replace to record them again"
                )
            record = dict(
                record, id=rid, partner_id=partner.id, participant_id=partner.participant_id
            )
            man.outcomes = [o for o in man.outcomes if o.get("id") != rid] + [record]
            self._write(man, "correct" if earlier else "record", "partner_outcome", rid)
        return record


def key_source(passphrase: str | None = None, key_file: str | Path | None = None) -> KeySource:
    return KeySource(
        passphrase=passphrase, key_file=Path(key_file).expanduser() if key_file else None
    )


# -- demo --------------------------------------------------------------------------------------
DEMO_PARTNERS = [
    "Anna",
    "Beth",
    "Cara",
    "Dora",
    "Eva",
    "Faye",
    "Gwen",
    "Hana",
    "Iris",
    "Jade",
    "Kay",
    "Lena",
    "Mia",
    "Nora",
    "Opal",
    "Rita",
    "Sara",
    "Tess",
    "Una",
    "Vera",
]
