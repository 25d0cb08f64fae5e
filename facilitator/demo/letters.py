"""Demo data: the programme's letterhead, its letter templates, and a few letters written."""

from __future__ import annotations

from facilitator.services.core.office import Office
from facilitator.services.letters import service as letters

# An invented letterhead: no real address, number or domain.
LETTERHEAD = {
    "address": "Unit 0, Example Business Park, Demotown, ZZ0 0ZZ",
    "phone": "0000 000 0000 (demo)",
    "secure_email": "referrals@programme.example",
    "charity_number": "0000000 (demo)",
}


def build_demo(office: Office, context: dict) -> None:
    """Letterhead set, templates copied into the workspace, and the first letters written: a
    referral acknowledged and a progress report, so the list of letters sent is not empty."""
    with office.stores.writing():
        settings = office.ws.read_settings()
        settings.setdefault("programme", {}).update(LETTERHEAD)
        office.ws.write_settings(settings)
        office.audit("settings", "programme", "letterhead")
    letters.install_templates(office.path)
    letters.write_letter(office, "referral_acknowledgement", "P0002")
    letters.write_letter(office, "progress_report", "P0001")
