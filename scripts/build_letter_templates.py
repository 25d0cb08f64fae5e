"""Build the default letter templates shipped in facilitator/services/letters/templates/.

    uv run python scripts/build_letter_templates.py

Each kind of letter gets a Word file with docxtpl placeholders (Jinja2 in Word): `{{ man.name }}`
for a value, `{%p if ... %}` / `{%p for ... %}` around paragraphs, `{%tr for ... %}` around a
table row. The placeholders a template may use are listed in facilitator/services/letters/
fields.py. Programmes edit the copies in their workspace (letters/templates/) in Word; these
defaults are what a new workspace starts from. Run again after changing this script, and
commit the .docx files it writes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "facilitator" / "services" / "letters" / "templates"


class Letter:
    def __init__(self) -> None:
        self.doc = Document()
        normal = self.doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(11)
        # Word's core properties are rendered too: keep them free of anything personal.
        self.doc.core_properties.author = ""
        self.doc.core_properties.title = ""

    def p(self, text: str = "", style: str | None = None, bold: bool = False, size: int = 0):
        para = self.doc.add_paragraph(style=style)
        if text:
            run = para.add_run(text)
            run.bold = bold or None
            if size:
                run.font.size = Pt(size)
        return para

    def tag(self, text: str) -> None:
        """A paragraph holding only a docxtpl tag: it disappears when the letter is written."""
        self.doc.add_paragraph(text)

    def heading(self, text: str) -> None:
        self.doc.add_heading(text, level=1)

    def bullets(self, loop: str, item: str) -> None:
        self.tag(f"{{%p for {loop} %}}")
        self.p(item, style="List Bullet")
        self.tag("{%p endfor %}")

    def table(self, headers: list[str], loop: str, cells: list[str]) -> None:
        t = self.doc.add_table(rows=4, cols=len(headers))
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, headers):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        t.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
        for cell, text in zip(t.rows[2].cells, cells):
            cell.text = text
        t.rows[3].cells[0].text = "{%tr endfor %}"

    def save(self, name: str) -> Path:
        path = OUT / f"{name}.docx"
        self.doc.save(str(path))
        return path


def head(letter: Letter, about: bool = True) -> None:
    """Letterhead, addressee, date, references and the letter's title."""
    para = letter.p("{{ programme.name }}", bold=True, size=16)
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    letter.p("{{ programme.address }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    letter.p(
        "{% if programme.phone %}Telephone {{ programme.phone }}{% endif %}"
        "{% if programme.secure_email %}   Secure email {{ programme.secure_email }}{% endif %}"
    ).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    letter.p()
    letter.p("{{ to.name }}")
    letter.p("{{ to.organisation }}")
    letter.p("{{ to.address }}")
    letter.p()
    letter.p("{{ letter.date }}")
    letter.p(
        "Our reference: {{ man.id }}{% if letter.id %}/{{ letter.id }}{% endif %}"
        "{% if to.reference %}   Your reference: {{ to.reference }}{% endif %}"
    )
    letter.doc.add_heading("{{ letter.title }}", level=0)
    if about:
        letter.p(
            "Re: {{ man.name }}"
            "{% if man.date_of_birth %}, date of birth {{ man.date_of_birth }}{% endif %}"
            " (our reference {{ man.id }}"
            "{% if man.referrer_reference %}, your reference {{ man.referrer_reference }}"
            "{% endif %})",
            bold=True,
        )
    letter.p("{{ to.salutation }},")


def sign(letter: Letter) -> None:
    letter.p("Yours sincerely,")
    letter.p()
    letter.p("{{ signed.name }}", bold=True)
    letter.p("{{ signed.role }}")
    letter.p("{{ programme.name }}")
    letter.p()
    letter.p(
        "{{ programme.name }}{% if programme.charity_number %} is a registered charity, "
        "number {{ programme.charity_number }}{% endif %}. This letter is confidential: "
        "please keep it securely and share it only with those who need it.",
        size=8,
    )


def attendance_summary(letter: Letter) -> None:
    letter.p(
        "Sessions held while he was enrolled: {{ attendance.held }}. Attended: "
        "{{ attendance.attended }}{% if attendance.percent %} ({{ attendance.percent }} of "
        "those he was expected at){% endif %}. Excused absences: {{ attendance.excused }}. "
        "Unexcused absences: {{ attendance.unexcused }}."
    )


def attendance_table(letter: Letter) -> None:
    letter.tag("{%p if attendance.rows %}")
    letter.table(
        ["Date", "Session", "Title", "Attendance"],
        "r in attendance.rows",
        ["{{ r.date }}", "{{ r.session }}", "{{ r.title }}", "{{ r.attendance }}"],
    )
    letter.tag("{%p else %}")
    letter.p("No sessions have been held since he joined.")
    letter.tag("{%p endif %}")


def engagement(letter: Letter) -> None:
    letter.tag("{%p if engagement.text %}")
    letter.p("{{ engagement.text }}")
    letter.p("{{ engagement.by }}")
    letter.tag("{%p else %}")
    letter.p("No engagement summary has been written for this letter.")
    letter.tag("{%p endif %}")


def referral_acknowledgement(letter: Letter) -> None:
    head(letter)
    letter.p(
        "Thank you for referring {{ man.name }} to {{ programme.name }}. We received the "
        "referral on {{ man.referred_on }}."
    )
    letter.heading("What happens next")
    letter.p(
        "We will invite him to {{ assessment.sessions_required }} assessment sessions. At "
        "assessment we look at whether the programme is suitable for him, explain the limits of "
        "confidentiality, and ask him to sign the programme agreement. We will write to you with "
        "the outcome."
    )
    letter.p(
        "Our work with him runs alongside a separate partner support service, which offers "
        "support to his partner or ex-partner."
    )
    letter.p(
        "If you hold information about risk to a partner, ex-partner or children, or his "
        "circumstances change (a court date, bail conditions, an order), please tell us as soon "
        "as you can."
    )
    sign(letter)


def invitation(letter: Letter) -> None:
    head(letter, about=False)
    letter.p(
        "You have been referred to {{ programme.name }}, a programme for men who want to stop "
        "using abusive and controlling behaviour towards a partner or ex-partner."
    )
    letter.heading("Your assessment")
    letter.tag("{%p if assessment.appointments %}")
    letter.p("Your assessment appointments:")
    letter.bullets("a in assessment.appointments", "{{ a }}")
    letter.tag("{%p else %}")
    letter.p("We will contact you to arrange your assessment appointments.")
    letter.tag("{%p endif %}")
    letter.p(
        "At assessment we will talk with you about the programme, what is expected of you and "
        "the limits of confidentiality."
    )
    letter.heading("Your first group session")
    letter.tag("{%p if invitation.first_session %}")
    letter.p(
        "Your first group session is on {{ invitation.first_session }} at "
        "{{ invitation.time }}: {{ invitation.group_name }}"
        "{% if invitation.location %}, {{ invitation.location }}{% endif %}."
    )
    letter.tag("{%p else %}")
    letter.p(
        "Once your assessment is complete we will write to you with the date of your first "
        "group session."
    )
    letter.tag("{%p endif %}")
    letter.p(
        "Please arrive on time. If you cannot come, tell us before the session"
        "{% if programme.phone %} on {{ programme.phone }}{% endif %}. Absences without a "
        "reason we accept are counted, and your referrer is told of them."
    )
    sign(letter)


def assessment_outcome(letter: Letter) -> None:
    head(letter)
    letter.p(
        "We have completed the assessment of {{ man.name }}. Our decision, made on "
        "{{ assessment.date }}: {{ assessment.outcome }}."
    )
    letter.tag("{%p if assessment.outcome_id == 'suitable' %}")
    letter.p(
        "He has been offered a place on the programme."
        "{% if group.name %} He joins {{ group.name }}, which meets on {{ group.weekday }}s at "
        "{{ group.time }}, from {{ group.joined }}.{% else %} We will tell you when he starts "
        "in a group.{% endif %}"
    )
    letter.tag("{%p endif %}")
    letter.tag("{%p if assessment.outcome_id == 'deferred' %}")
    letter.p(
        "We have deferred our decision. We will assess him again once the reasons below have "
        "changed, and write to you then."
    )
    letter.tag("{%p endif %}")
    letter.tag("{%p if assessment.outcome_id in ('not_suitable', 'excluded') %}")
    letter.p(
        "He has not been offered a place on the programme. This is not a finding that the risk "
        "he poses is lower: please consider what other work or risk management is needed."
    )
    letter.tag("{%p endif %}")
    letter.tag("{%p if assessment.reasons %}")
    letter.heading("The reasons for our decision")
    letter.bullets("r in assessment.reasons", "{{ r }}")
    letter.tag("{%p endif %}")
    sign(letter)


def absence_warning(letter: Letter) -> None:
    head(letter, about=False)
    letter.p(
        "Our records show that you have missed {{ warning.unexcused }} sessions"
        "{% if group.name %} of {{ group.name }}{% endif %} without a reason we accept. The "
        "limit is {{ warning.allowed }} ({{ warning.source }})."
    )
    letter.p(
        "Attending every session is a condition of the programme. If you pass the limit we must "
        "tell {{ referrer.name }}, and your place on the programme may be suspended."
    )
    letter.p(
        "If something is making it hard for you to attend, contact us"
        "{% if programme.phone %} on {{ programme.phone }}{% endif %} before your next session."
    )
    letter.heading("Your attendance so far")
    attendance_summary(letter)
    sign(letter)


def breach_notice(letter: Letter) -> None:
    head(letter)
    letter.p(
        "We are writing to tell you that {{ man.name }} has not met the requirements of the "
        "programme: {{ breach.what }}."
    )
    letter.p("Date of the breach: {{ breach.on }}.")
    letter.p("Limits that apply to him: {{ order.limits }}.")
    letter.heading("His attendance")
    attendance_summary(letter)
    attendance_table(letter)
    letter.p(
        "Please tell us what action you are taking, so that we can plan his place on the "
        "programme with you."
    )
    sign(letter)


def progress_report(letter: Letter) -> None:
    head(letter)
    letter.p(
        "This report covers his attendance and engagement up to {{ letter.date }}. It contains "
        "no check-in content, no group notes, no risk details and nothing from partner contact."
    )
    letter.heading("Compliance")
    letter.p("{{ standing.label }}: {{ standing.reason }}.")
    letter.p("Limits: {{ order.limits }}.")
    letter.heading("Attendance")
    attendance_summary(letter)
    attendance_table(letter)
    letter.heading("Sessions covered")
    letter.p("{{ sessions.covered_count }} of {{ sessions.required }} required.")
    letter.bullets(
        "s in sessions.covered", "Session {{ s.number }}{% if s.title %}: {{ s.title }}{% endif %}"
    )
    letter.heading("Sessions still to do")
    letter.tag("{%p if sessions.to_do %}")
    letter.bullets(
        "s in sessions.to_do", "Session {{ s.number }}{% if s.title %}: {{ s.title }}{% endif %}"
    )
    letter.tag("{%p else %}")
    letter.p("None: every session of the programme has been covered.")
    letter.tag("{%p endif %}")
    letter.heading("Engagement")
    engagement(letter)
    sign(letter)


def end_of_programme(letter: Letter) -> None:
    head(letter)
    letter.p(
        "His programme has ended: {{ ending.status_words }}"
        "{% if ending.on %}, on {{ ending.on }}{% endif %}."
    )
    letter.heading("What he attended")
    attendance_summary(letter)
    attendance_table(letter)
    letter.heading("What he covered")
    letter.p("{{ sessions.covered_count }} of {{ sessions.required }} sessions required.")
    letter.bullets(
        "s in sessions.covered", "Session {{ s.number }}{% if s.title %}: {{ s.title }}{% endif %}"
    )
    letter.tag("{%p if sessions.to_do %}")
    letter.p("Sessions he did not cover:")
    letter.bullets(
        "s in sessions.to_do", "Session {{ s.number }}{% if s.title %}: {{ s.title }}{% endif %}"
    )
    letter.tag("{%p endif %}")
    letter.heading("His engagement, in the facilitators' words")
    engagement(letter)
    letter.heading("What this letter means")
    letter.p("{{ ending.statement }}")
    sign(letter)


BUILDERS: dict[str, Callable[[Letter], None]] = {
    "referral_acknowledgement": referral_acknowledgement,
    "invitation": invitation,
    "assessment_outcome": assessment_outcome,
    "absence_warning": absence_warning,
    "breach_notice": breach_notice,
    "progress_report": progress_report,
    "end_of_programme": end_of_programme,
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        letter = Letter()
        build(letter)
        print(letter.save(name).relative_to(ROOT), file=sys.stderr)


if __name__ == "__main__":
    main()
