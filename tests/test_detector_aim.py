"""Words of harm as idioms about things, work, weather or himself are not flagged; the same
words aimed at her, a child or another person still are."""

import pytest

from facilitator.detector.detector import Detector, scan

RULES = Detector(learned=False)

IDIOMS = [
    "Kai said the night shifts are killing him but the money is good.",
    "Lenny said the exam nearly killed him but he passed first time.",
    "The phone bill has finished him off this month, he's skint till Friday.",
    "Tomek said the boiler room at work was suffocating all afternoon.",
    "Said the new boss is smothering him with spreadsheets and targets.",
    "Dez said he's been murdering the mince pies since Christmas Eve.",
    "His new work shoes are strangling his feet, he's taking them back.",
    "Jay said his nephew got him in a headlock at the barbecue and they fell into the hedge.",
    "Said Ruby threw a sponge at him in the bath and they both got soaked.",
    "Said his mum always says she'll kill him if he's late for Sunday dinner.",
    "Felt like he was being suffocated on the tube, it was that packed.",
    "Connor said he won't see Christmas at home this year because of the rigs.",
]

AIMED = [
    ("Kai said he'd kill her if she took the kids.", "threats_to_kill"),
    ("Lenny admitted he nearly killed her that night.", "threats_to_kill"),
    ("He said he'll finish her off if she goes to the police.", "threats_to_kill"),
    (
        "Tomek said he was suffocating her with the pillow until she stopped moving.",
        "strangulation",
    ),
    ("Says he smothered Jess with a cushion to shut her up.", "strangulation"),
    ("He put her in a headlock in the kitchen.", "strangulation"),
    ("He put his son in a headlock and squeezed.", "strangulation"),
    ("He threw the remote at her and it cut her lip.", "weapons"),
    ("Said he'll strangle that woman if she stops his contact.", "strangulation"),
    ("Said if the new fella comes near his kids he'll kill him.", "threats_to_kill"),
    ("Said 'I'll murder you' to her on the phone last night.", "threats_to_kill"),
    ("He choked him until he passed out.", "strangulation"),
]


@pytest.mark.parametrize("text", IDIOMS)
def test_an_idiom_about_a_thing_or_himself_raises_nothing_critical(text):
    for result in (RULES.scan(text), scan(text)):
        critical = [i for i in result.all_indicators if i.severity == "critical"]
        assert critical == [], (text, critical)


@pytest.mark.parametrize("text,category", AIMED)
def test_the_same_words_aimed_at_someone_are_still_flagged(text, category):
    found = RULES.scan(text)
    assert category in found.all_categories, (text, found)
    assert category in scan(text).all_categories


def test_a_risk_named_as_the_groups_topic_is_not_a_disclosure():
    text = "Group discussed what non-fatal strangulation is and why it is a warning sign."
    assert "strangulation" not in RULES.scan(text).all_categories


def test_a_disclosure_during_the_topic_still_counts():
    text = "During the session on strangulation he admitted he had done it to his ex."
    assert "strangulation" in RULES.scan(text).all_categories
    text = "During the session on strangulation Dan said she had marks on her neck."
    assert "strangulation" in RULES.scan(text).all_categories


def test_the_span_of_a_kept_match_is_unchanged():
    text = "He said work is killing him and he'll kill her if she leaves."
    kept = [i for i in RULES.scan(text).indicators if i.category == "threats_to_kill"]
    assert [(i.match, text[i.start : i.end]) for i in kept] == [("kill her", "kill her")]


def test_a_disclosure_made_during_an_exercise_still_counts():
    """The group's exercises are its own material, not a film: what a man says there of her
    neck or her life is his disclosure."""
    from facilitator.detector import scan

    for text in (
        "In the exercise Dan said he put his hands round her neck last week",
        "In the exercise on strangulation Dan said she had marks on her neck",
        "In the role play Tom said he grabbed her by the throat in August",
    ):
        assert "strangulation" in scan(text).categories, text
    assert not scan("We watched a film where a man strangles his wife").categories


def test_a_weapon_named_with_no_one_to_aim_it_at_is_no_threat_to_kill():
    """The weapons rules read a knife; the model may not make it a threat to kill on the word
    alone. With a person in the sentence the threat stands."""
    from facilitator.detector import scan

    for text in ("He keeps a knife in his tackle box.", "Someone keeps a knife by the door."):
        assert "threats_to_kill" not in scan(text).categories, text
    held = scan("He said the knife is for your mother if she goes to the police.")
    assert "threats_to_kill" in held.categories
