"""The programme's structured assessment of a man's risk: the factors it looks at, each scored
present, absent or unknown with the evidence for it, and the assessor's overall level and why.

The default factors are drawn from the published literature on the risk of further intimate
partner violence: the Spousal Assault Risk Assessment guide (SARA; Kropp, Hart and colleagues,
1990s onwards), which looks at his history of violence, his attitudes and his circumstances,
and the Danger Assessment (Campbell, 1986; revised 2003), whose items were found in homicide
studies to mark lethal risk (strangulation, threats to kill, a gun, separation, control,
stalking, forced sex). They are written in the programme's own words. A programme chooses its
own list in the `risk.factors` setting; no list of factors replaces the assessor's judgement.
"""

from __future__ import annotations

from dataclasses import dataclass

SCORES = ("present", "absent", "unknown")

DEFAULT_FACTORS: dict[str, str] = {
    "past_partner_violence": "Physical or sexual violence towards a partner or ex-partner",
    "strangulation": "Strangling, choking or smothering a partner, ever",
    "threats_to_kill": "Threats to kill a partner, children or others",
    "weapon": "Use of or threats with a weapon, or access to a firearm",
    "escalation": "Violence becoming more frequent or more severe",
    "separation": "Recent or coming separation, or her trying to leave",
    "coercive_control": "Coercive control or extreme jealousy",
    "stalking": "Stalking, following or harassing a partner or ex-partner",
    "sexual_violence": "Forcing or pressuring a partner into sex",
    "harm_to_children": "Harm or threats to children, or children exposed to his violence",
    "breach_of_orders": "Breaching bail, a protective order or a contact agreement",
    "violence_to_others": "Violence towards people other than partners",
    "substance_misuse": "Recent problems with alcohol or drugs",
    "suicidality": "Recent suicidal or homicidal thoughts, threats or attempts",
    "attitudes": "Attitudes that support or excuse violence against women",
    "minimisation": "Denying or minimising his violence, or blaming her for it",
    "instability": "Recent loss of work, money or housing",
}


@dataclass(frozen=True)
class FactorScore:
    factor: str
    score: str
    evidence: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"score": self.score, "evidence": self.evidence}


def parse_factor(given: str) -> tuple[str, str, str]:
    """`factor=score` or `factor=score:evidence`, as typed on the command line."""
    name, sep, rest = given.partition("=")
    if not sep:
        raise ValueError(f"'{given}' is not FACTOR=SCORE[:EVIDENCE], e.g. strangulation=present")
    score, _, evidence = rest.partition(":")
    return (
        name.strip().lower().replace("-", "_"),
        score.strip().lower(),
        evidence.strip(),
    )
