"""What the learned layer sees of a text: its units (sentences, or slices of a long one), the
words of each unit with their spans, and the features of a unit (words, word pairs and the
letter groups inside each word, so "strangld" and "strangled" share most of theirs).

Shared by the training script and the scanner, so both read a text the same way. Pure Python
and cheap to import: the scanner imports it on its first scan.
"""

from __future__ import annotations

import re

# Curly quotes and primes become a straight apostrophe: one character for one, so spans hold.
QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u00b4": "'", "`": "'"}
)
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
# A unit ends at a sentence's end, a semicolon or a line break; a unit longer than MAX_TOKENS
# words (a paste with no full stops) is cut into overlapping slices, so one unit never holds
# the words of a whole page and the cost of a scan stays in proportion to its length.
UNIT_END = re.compile(r"[.!?;]+(?=\s|$|[\"')\]])|\n\s*\n|\n(?=\s*[-*\u2022])|\n")
MAX_TOKENS = 60
OVERLAP = 15
CHAR_N = (3, 4, 5)
# A unit this short reads better with its neighbour: "He said. She left." are two units of a
# thought, and a two-word unit has too few words for the model to weigh.
MIN_TOKENS = 4


def normalise(text: str) -> str:
    """Lower case with straight apostrophes, one character for one (spans stay true)."""
    low = text.translate(QUOTES).lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text.translate(QUOTES))


def char_grams(word: str) -> list[str]:
    """The letter groups of a word, marked at its ends: "<ne", "nec", "eck", "ck>", ..."""
    padded = f"<{word}>"
    out: list[str] = []
    for n in CHAR_N:
        out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


Token = tuple[str, int, int]  # the word (normalised), its start and end in the text


def unit_spans(norm: str) -> list[tuple[int, int]]:
    """Where the text's units lie, as (start, end) character spans."""
    return [(b, e) for b, e, _ in unit_words(norm)]


def unit_words(norm: str) -> list[tuple[int, int, list[str]]]:
    """Each unit's span and its words."""
    findall = TOKEN.findall
    pieces: list[tuple[int, int, list[str]]] = []
    begin = 0
    for m in UNIT_END.finditer(norm):
        end = m.end()
        words = findall(norm, begin, end)
        if words:
            pieces.append((begin, end, words))
        begin = end
    if begin < len(norm):
        words = findall(norm, begin, len(norm))
        if words:
            pieces.append((begin, len(norm), words))
    merged: list[tuple[int, int, list[str]]] = []
    for b, e, words in pieces:
        if merged:
            pb, _, pw = merged[-1]
            short = len(words) < MIN_TOKENS or len(pw) < MIN_TOKENS
            if short and len(pw) + len(words) <= MAX_TOKENS:
                merged[-1] = (pb, e, pw + words)
                continue
        merged.append((b, e, words))
    out: list[tuple[int, int, list[str]]] = []
    for b, e, words in merged:
        if len(words) <= MAX_TOKENS:
            out.append((b, e, words))
            continue
        spans = [m.span() for m in TOKEN.finditer(norm, b, e)]
        step = MAX_TOKENS - OVERLAP
        for i in range(0, len(spans) - OVERLAP, step):
            window = spans[i : i + MAX_TOKENS]
            out.append((window[0][0], window[-1][1], words[i : i + MAX_TOKENS]))
    return out


def units(norm: str) -> list[list[Token]]:
    """The text's units, each a list of its words with their spans."""
    return [
        [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(norm, b, e)]
        for b, e in unit_spans(norm)
    ]


# Words that say nothing by themselves: they give no features of their own (a short everyday
# sentence would otherwise be weighed by its "the", "were" and "than", and every report by
# its "said"), only in word pairs, where "her neck" and "than before" do say something.
STOPWORDS = frozenset(
    """
a an the and or but if so as at by for from in into of off on onto out over to up with about
than then that this these those there here what which who whom whose when where while why how
is are was were be been being am do does did doing done have has had having will would shall
should can could may might must 's 're 've 'd 'll it its it's they them their theirs we us our
ours you your yours i me my mine he him his himself she her hers herself myself itself
p said says say saying told tells tell reported reports report mentioned mentions stated
facilitator facilitators co-facilitator cofacilitator group groups session sessions debrief
check-in checkin wsw
""".split()
)
# The last line holds the programme's own words for its work: every note has them, benign or
# not ("Facilitators named it as a threat" beside "Facilitators thanked the group"), so
# weighed alone they only learn which notes were about risk, and a debrief's own header line
# ("group G1 · facilitators: ...") was suggested as a threat to kill.


# A pronoun with its clitic ("i'll", "you'd", "she's", "they've") is a function word like the
# pronoun alone. Read as a word of its own, "i'll" and "you'll" took their weight from "I'll
# kill you", and their letter groups ("'ll>") from every threat, so "You'll see." or "I'll
# sort it." was suggested as a threat to kill. They still count in word pairs, where "you'll
# regret" does say something. A negation keeps its features: "she won't see her next
# birthday" turns on its "won't".
CLITICS = ("'ll", "'d", "'s", "'re", "'ve", "'m")


def is_function_word(word: str) -> bool:
    """A stopword, or a stopword with a clitic: "it'll", "they'd", "that's"."""
    if word in STOPWORDS:
        return True
    if "'" not in word:
        return False
    for clitic in CLITICS:
        if word.endswith(clitic):
            return word[: -len(clitic)] in STOPWORDS
    return False


def word_features(word: str) -> list[str]:
    """The features one word gives by itself: the word and its letter groups."""
    if is_function_word(word):
        return []
    return ["w " + word] + ["c " + g for g in char_grams(word)]


def pair_feature(first: str, second: str) -> str:
    return f"b {first} {second}"


def unit_features(words: list[str]) -> set[str]:
    """Every feature of a unit, each once."""
    feats: set[str] = set()
    for w in words:
        feats.update(word_features(w))
    for a, b in zip(words, words[1:]):
        feats.add(pair_feature(a, b))
    return feats


def text_units(text: str) -> list[list[str]]:
    """The words of each unit of a text (what training reads)."""
    return [[w for w, _, _ in unit] for unit in units(normalise(text))]


# The programme's own material: every line of the bundled curriculum and of the debrief
# template, by its words. Such a line names risks to teach them or to ask about them ("flag at
# once anything that suggests strangulation, threats to kill, weapons"); it is no disclosure,
# wherever it is pasted. Lines of fewer words are left out: "- Weapons" on its own could be
# anyone's note.
MATERIAL_FILE = "material.txt"
MATERIAL_MIN_WORDS = 3


def material_key(line: str) -> str:
    """A line's words, lower case, one space apart: the same key whatever its Markdown marks."""
    return " ".join(TOKEN.findall(normalise(line)))


def material_keys_of(texts: list[str]) -> list[str]:
    """The keys of every line of these texts long enough to count, sorted, each once."""
    keys: set[str] = set()
    for text in texts:
        for line in text.splitlines():
            key = material_key(line)
            if key.count(" ") + 1 >= MATERIAL_MIN_WORDS:
                keys.add(key)
    return sorted(keys)
