"""Who a word of harm is aimed at: her, a child or another person, or a thing, a situation or
the man himself.

"The gaffer is killing us with overtime", "this heat is suffocating", "we murdered that
curry", "the exam nearly killed him": the words of killing and strangling are everyday idioms
when what does the harm is a thing or a situation, or what is harmed is a thing, his work or
his own body. `idiom(low, text, start, end)` reads the words around a rule's match, as a
person would: the object after the verb ("her", "the kids", "Kerry", "the Sunday roast", "his
chest") and the subject before it ("the tax bill has", "he", "his nephew"). A match stands
unless that reading finds no one he could hurt: a name, "her", "she", a child, someone, a
pet anywhere near it keeps it, and so does a subject or object it cannot read. A missed
disclosure costs far more than a false alarm, so when unsure it is not an idiom.
"""

from __future__ import annotations

import re

# The words of harm whose objects are read: the first word of the match, by its first letters.
_HARM_STEMS = (
    "kill",
    "murder",
    "finish",
    "end",
    "strangl",
    "strangel",
    "throttl",
    "chok",
    "suffocat",
    "smother",
    "shot",
    "shoot",
    "thump",
    "batter",
    "destroy",
    "headlock",
    "head-lock",
    "sleeper",
    "choke",
    "threw",
    "throw",
    "chuck",
    "lob",
    "hurl",
    "bash",
    "whack",
    "hit",
    "punch",
    "slap",
)
_THROWS = ("threw", "throw", "chuck", "lob", "hurl")
# Who "she" is when she is his mother, his nan or his boss: "his mum always said she'd kill
# him if he came home with another tattoo".
_ELDERS = frozenset(
    "mum mam mom mother nan nana gran granny grandma aunt auntie sister boss teacher".split()
)
_HOLDS = ("headlock", "head-lock", "sleeper", "choke-hold", "chokehold", "choke")

# Anyone he could hurt, as an object or a subject.
_PEOPLE = frozenset(
    "her she she's she'd she'll hers herself woman women girl girls wife partner ex missus "
    "mrs girlfriend gf fiancee kid kids child children son sons daughter daughters baby babies "
    "toddler boy boys lad lads teenager nephew niece mum mam mom mother sister brother dad "
    "father nan gran grandma granny cousin aunt auntie uncle someone somebody anyone anybody "
    "everyone everybody people person man men bloke blokes guy guys fella fellow geezer mate "
    "mates friend friends neighbour neighbours colleague stepson stepdaughter stepkids family "
    "relative relatives victim victims baby's kid's mum's".split()
)
# Other people than him who may do the harm in an idiom ("the gaffer is killing us"):
# subjects only, never objects (they could be harmed too).
_OTHERS = _PEOPLE | frozenset(
    "gaffer boss manager landlord doctor doc nurse ref referee coach teacher sergeant "
    "mother-in-law father-in-law sister-in-law brother-in-law in-laws nephew's".split()
)
_PETS = frozenset(
    "dog dogs cat cats puppy puppies pup kitten kittens pet pets horse pony rabbit hamster "
    "budgie parrot tortoise ferret".split()
)
# Him, or the group he is in: what the idiom harms when it is not aimed at anyone else.
_HIM = frozenset("him me us them 'em myself himself ourselves themselves".split())
_THEM_ALL = frozenset("i i'm i'd i'll i've he he's he'd he'll".split())
_SHE = frozenset("she she's she'd she'll".split())
_YOU = frozenset("you you'll you'd you're ya u".split())
_THING_PRONOUNS = frozenset("it it's this that which what".split())
# Between the subject and the verb: auxiliaries, adverbs and verbs that lead to it.
_SKIP = frozenset(
    "is are was were be been being am 's 're 've 'd 'll has have had will would could can "
    "might may must should shall gonna going to keeps kept keep started starting nearly almost "
    "really literally just so absolutely proper properly slowly actually honestly always still "
    "now again totally basically completely also even only definitely probably quite bit a "
    "well truly seriously fair fairly all up trying tried try tries wanted want wants".split()
)
_DETERMINERS = frozenset(
    "the a an this that these those his my our their your its some every each her".split()
)
# Determiners before an object: "the Sunday roast", "his chest", "a horse".
_OBJECT_DETERMINERS = _DETERMINERS - {"her"}
_PASSIVE = frozenset("was were am being been is are".split())
_REPORT = frozenset(
    "said says told tells joked jokes laughed laughs reported reports described describes "
    "explained explains mentioned mentions".split()
)
# Capitalised words that name no one.
_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december christmas eve easter eid ramadan "
    "diwali england scotland wales ireland britain uk tesco asda facebook instagram whatsapp "
    "snapchat tiktok youtube netflix fortnite fifa xbox playstation gp wwe ufc apple google "
    "amazon".split()
)
# Where a clause ends for this reading (quotes are read through: "'killing' him").
_BREAK = re.compile(r"[.!?;:\n]|\s[-–—]\s|,\s*(?:but|and|then|so|because|cos)\b|,\s*['\"]")
_TOKEN = re.compile(r"[a-z_][a-z0-9_'-]*|\d+")
_REACH = 160  # characters read either side of a match


def _is_name(text: str, pos: int) -> bool:
    """Does the word at text[pos] start with a capital, and not as the first word of a
    sentence or of a quote?"""
    if not text[pos : pos + 1].isupper() or not text[pos + 1 : pos + 2].islower():
        return False  # not "TV", "WWE", "P" (the man himself in a note)
    before = text[max(0, pos - 3) : pos].rstrip(" '\"\u2018\u201c(")
    return bool(before) and before[-1] not in ".!?:;\n"


def _word_kind(word: str, text: str, pos: int) -> str:
    """What one word names: "target" (her, a child, a person, a name, a pet), "him", "thing"
    or "" (a word of no kind: a verb, a preposition, unknown)."""
    if word.startswith("_ta") or word.startswith("_tb"):
        return "target"  # {partner} and {children} tokens
    if word in _THEM_ALL or word in _NOT_NAMES:
        return ""
    bare = word.removesuffix("'s")
    if word in _PEOPLE or bare in _PEOPLE or bare in _PETS or _is_name(text, pos):
        return "target"
    if word in _HIM or word in _YOU:
        return "him"  # "you" too: "your heart will finish you off"; "I'll kill you" is kept by its subject
    return ""


def _tokens(low: str, lo: int, hi: int) -> list[tuple[str, int]]:
    return [(m.group(), m.start()) for m in _TOKEN.finditer(low, lo, hi)]


def _clause(low: str, start: int, end: int) -> tuple[int, int]:
    base = max(0, start - _REACH)
    left = base
    for m in _BREAK.finditer(low, base, start):
        left = m.end()
    stop = _BREAK.search(low, end, min(len(low), end + _REACH))
    return left, stop.start() if stop else min(len(low), end + _REACH)


def _object(low: str, text: str, words: list[tuple[str, int]], after: list[tuple[str, int]]) -> str:
    """What the verb acts on: "target", "him", "thing" or "none"."""
    rest = words[1:] + after
    if not rest:
        return "none"
    w, pos = rest[0]
    kind = _word_kind(w, text, pos)
    if kind:
        return kind
    if w in _OBJECT_DETERMINERS:
        # A noun phrase: a thing unless a person, a pet or a name is in its next few words
        # ("the lot of them", "the life out of her").
        for w2, p2 in rest[1:4]:
            if _word_kind(w2, text, p2) in ("target", "him") or w2 in _YOU:
                return "target"
        return "thing"
    return "none"


def _held_by_another(before: list[tuple[str, int]], text: str) -> bool:
    """Is it him held, by someone else: "his nephew got him in a headlock", "his little girl
    keeps trying to put him in a sleeper hold"? Not when "he" or "I" does the holding."""
    held = len(before) - 1
    while held >= 0 and before[held][0] in ("a", "an", "the", "in", "into"):
        held -= 1
    if held < 0 or before[held][0] not in ("him", "me"):
        return False
    for w, pos in reversed(before[: held - 1]):
        if w in _THEM_ALL or w in _SHE or w.startswith("_t"):
            return False
        if w.removesuffix("'s") in _OTHERS:
            return True
    return False


def _subject(before: list[tuple[str, int]], text: str) -> tuple[str, bool]:
    """Who or what does it, and whether the verb is in the passive or progressive ("was
    being suffocated", "was suffocating"): ("man" | "her" | "you" | "other" | "thing" | "",
    passive)."""
    i = len(before) - 1
    passive = False
    while i >= 0 and before[i][0] in _SKIP:
        passive = passive or before[i][0] in _PASSIVE
        i -= 1
    if i < 0:
        return "", passive
    w, pos = before[i]
    for clitic in ("'s", "'re", "'ve", "'d", "'ll"):
        if w.endswith(clitic) and w not in _THEM_ALL and w not in _SHE:
            w = w.removesuffix(clitic)  # "work's been", "heat's been"
            passive = passive or clitic in ("'s", "'re")
    if w in _THEM_ALL:
        return "man", passive
    if w in _SHE or w.startswith("_ta"):
        return "her", passive
    if w in _YOU or w in ("we", "they", "we're", "they're", "they'll", "they'd"):
        return "you", passive
    if w.startswith("_tb"):
        return "her", passive  # a child: read as someone he could hurt
    if w in _THING_PRONOUNS:
        return "thing", passive
    if w in ("who", "whom", "whose", "one", "ones"):
        return "", passive  # someone: "a relative who was killed"
    if _is_name(text, pos):
        # "Ryan said Poppy threw the remote at him": someone named after the man who reports it.
        for w2, p2 in before[:i]:
            if w2 in _REPORT:
                return "other", passive
        return "", passive
    bare = w.removesuffix("'s")
    # A noun phrase: its words back to a determiner say whether it is a person or a thing.
    phrase = [bare]
    j = i - 1
    while j >= 0 and j >= i - 4 and before[j][0] not in _DETERMINERS:
        phrase.append(before[j][0].removesuffix("'s"))
        j -= 1
    has_det = j >= 0 and j >= i - 4 and before[j][0] in _DETERMINERS
    if any(p in _OTHERS or p in _PETS for p in phrase):
        return "other", passive
    if has_det or bare in _SITUATIONS:
        return "thing", passive
    return "", passive


# Situations that do the harm in an idiom without a determiner: "work's been killing him".
_SITUATIONS = frozenset(
    "work job shifts overtime traffic heat cold weather commute stress money bills rent debt "
    "life training uni college school exams homework parenting everything".split()
)


def idiom(low: str, text: str, start: int, end: int) -> bool:
    """Is the match at low[start:end] (the scanner's lowered text; `text` is the original, for
    names) a word of harm used about a thing, a situation or himself, and aimed at no one he
    could hurt? Only a match starting with a word of killing, strangling, shooting or
    battering is read; anything else is not an idiom."""
    first = low[start:end].split(None, 1)[0] if low[start:end].strip() else ""
    if not first.startswith(_HARM_STEMS):
        return False
    left, right = _clause(low, start, end)
    words = _tokens(low, start, end)
    before = _tokens(low, left, start)
    after = _tokens(low, end, right)
    if any(_word_kind(w, text, p) == "target" for w, p in words[1:]):
        return False
    # Anyone he could hurt close after it ("...him, and then her") keeps it.
    if any(_word_kind(w, text, p) == "target" for w, p in after[:6]):
        return False
    if first.startswith(_HOLDS) and ("hold" in low[start:end] or "lock" in first):
        return _held_by_another(before, text)
    if first.startswith(_THROWS):
        # Thrown at whom: "Poppy threw the TV remote at him" (a child, at him, in a tantrum).
        rest = words[1:] + after
        at = next((k for k, (w, _) in enumerate(rest) if w == "at"), None)
        if at is None or at + 1 >= len(rest) or rest[at + 1][0] not in ("him", "me"):
            return False
        return _subject(before, text)[0] == "other"
    obj = _object(low, text, words, after)
    if obj == "target":
        return False
    subject, passive = _subject(before, text)
    if subject == "her" and obj == "him":
        # "she'd kill him" where she is his mum: only with no partner or child named before.
        if any(w.startswith("_t") for w, _ in before):
            return False
        return any(w.removesuffix("'s") in _ELDERS for w, _ in before)
    if obj == "thing":
        # "finish the job", "end it" can be threats: only the words of killing and
        # strangling are read as idioms about a thing ("murdering the dates").
        if first.startswith(("finish", "end")):
            return False
        return subject in ("man", "other", "thing", "you", "")
    if obj == "him":
        if (
            after
            and after[0][0] in ("myself", "himself")
            or (words[1:] and words[1][0] in ("myself", "himself"))
        ):
            return subject in ("man", "thing", "")
        if subject in ("thing", "other"):
            return True
        return subject == "man" and _him_is_no_one(low, text, start)
    # No object: "this heat is suffocating", "I was suffocating in that flat"; a noun with
    # no verb before it ("a local murder") is not read.
    if passive and subject in ("thing", "man"):
        return True
    # "he'd suffocate in a tiny flat like his brother's": his own feeling of a place.
    return (
        subject == "man"
        and first.startswith(("suffocat", "smother"))
        and bool(after)
        and after[0][0] in ("in", "at", "inside")
    )


_NOT_PEOPLE = _PETS | frozenset("ref referee linesman umpire".split())


def _him_is_no_one(low: str, text: str, start: int) -> bool:
    """Is "him" in "I could throttle him" a pet or the referee: the sentence before it names
    one and no person, no name, no partner or child ("his new puppy's a little menace, chewed
    his work boots, 'I could throttle him'")?"""
    left = max(0, start - 300)  # a sentence without stops is read no further back
    for m in _SENTENCE.finditer(low, left, start):
        left = m.end()
    words = _tokens(low, left, start)
    if any(
        _word_kind(w, text, p) == "target" and w.removesuffix("'s") not in _PETS for w, p in words
    ):
        return False
    return any(w.removesuffix("'s") in _NOT_PEOPLE for w, _ in words)


# A risk named as a subject of the group's work, not done to anyone: "Group discussed what
# non-fatal strangulation is", "why threats to kill are a risk factor".
_TOPIC_WORDS = re.compile(
    r"(?:non[\s-]?fatal\s+)?strangulation|threats?\s+to\s+kill|death\s+threats?|"
    r"(?:chok|strangl|throttl|smother|suffocat)\w*\s+(?:someone|somebody|a\s+person)"
)
_TEACHING = re.compile(
    r"\b(?:group\s+(?:discuss\w*|talked|looked|watched|exercise|work)|discussion|discussed|"
    r"session|facilitators?\s+(?:explain\w*|covered|went\s+through|led|stressed|used)|"
    r"explain\w*|covered|exercise|research|video|film|case\s+stud\w*|module|worksheet|"
    r"speaker|risk\s+factors?|warning\s+signs?|signs\s+of|predictor|homicide|the\s+link|"
    r"in\s+general(?:\s+terms)?|what\s+(?:it|the\s+\w+)\s+means)\b"
)
# Words that make it his own story or hers: a disclosure made during the exercise counts.
_DISCLOSURE = re.compile(
    r"\b(?:disclos\w*|admit\w*|confess\w*|told|tells|reported|reports|said\s+(?:he|that\s+he)|"
    r"says\s+(?:he|that\s+he)|he\s+(?:had|has|did|once|was)|i|i'm|i've|i'd|me|my|myself|his\s+own|"
    r"police|arrest\w*|incident|last\s+(?:night|week|month)|yesterday|she|her|hers|herself|"
    r"_t[ab]_*)\b"
)
_SENTENCE = re.compile(r"[.!?\n]")


def named_as_topic(low: str, text: str, start: int, end: int) -> bool:
    """Is the match at low[start:end] a risk named as the group's subject ("what non-fatal
    strangulation is", "why threats to kill are a risk factor"), in a sentence about the
    group's work that names no one, no woman, no child and nothing he did?"""
    if not _TOPIC_WORDS.fullmatch(low, start, end):
        return False
    left = max(0, start - 400)  # a sentence without stops is read no further back
    for m in _SENTENCE.finditer(low, left, start):
        left = m.end()
    stop = _SENTENCE.search(low, end, end + 400)
    right = stop.start() if stop else min(len(low), end + 400)
    if not _TEACHING.search(low, left, right) or _DISCLOSURE.search(low, left, right):
        return False
    return not any(
        _is_name(text, m.start()) and m.group() not in _NOT_NAMES and len(m.group()) > 1
        for m in _TOKEN.finditer(low, left, right)
    )
