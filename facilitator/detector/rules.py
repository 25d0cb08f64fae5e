"""The rules file: which words and phrases the scanner looks for, and the context words that
silence a match (negation, hypotheticals, someone else's business).

The default ships as `rules.toml` in this package. A workspace may add to it or replace it with
`<workspace>/risk_rules.toml` (see the comments at the top of rules.toml). Loading checks the
file's shape and macros; building a Detector compiles the patterns and names any that is not a
valid regular expression, with its category.
"""

from __future__ import annotations

import os
import re

from facilitator.detector.categories import BY_ID, SEVERITIES
from facilitator.errors import InvalidInput

WORKSPACE_RULES_FILE = "risk_rules.toml"

_CATEGORY_KEYS = {
    "severity",
    "label",
    "patterns",
    "exclude",
    "negation",
    "negatable",
    "hypothetical",
    "third_party",
}
_CONTEXT_LISTS = (
    "negation",
    "pseudo_negation",
    "clause_breaks",
    "third_party",
    "media",
    "teaching",
    "hypothetical",
)
_CONTEXT_TEXTS = ("negation_undone_after", "concerns_him", "media_concerns_him")
_TOP_KEYS = {"version", "extends_default", "exclude", "tokens", "macros", "context", "categories"}
_MACRO = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class RulesError(InvalidInput):
    """A rules file that cannot be used: bad TOML, an unknown key, a pattern that does not compile."""


class CategoryRules:
    """What one category looks for. Patterns are stored with their macros already expanded."""

    __slots__ = (
        "id",
        "label",
        "severity",
        "patterns",
        "raw_patterns",
        "exclude",
        "raw_exclude",
        "negation",
        "negatable",
        "hypothetical",
        "third_party",
    )

    def __init__(
        self,
        id,
        label,
        severity,
        patterns,
        exclude=(),
        negation=(),
        negatable=True,
        hypothetical=True,
        third_party=True,
        raw_patterns=None,
        raw_exclude=None,
    ):
        self.id = id
        self.label = label
        self.severity = severity
        self.patterns = tuple(patterns)
        self.raw_patterns = (
            tuple(raw_patterns) if raw_patterns is not None else self.patterns
        )  # as written
        self.exclude = tuple(exclude)
        self.raw_exclude = tuple(raw_exclude) if raw_exclude is not None else self.exclude
        self.negation = tuple(negation)
        self.negatable = negatable
        self.hypothetical = hypothetical
        self.third_party = third_party

    def __repr__(self) -> str:
        return f"CategoryRules({self.id!r}, {self.severity!r}, {len(self.patterns)} patterns)"


class Rules:
    """A loaded, checked rules set. Immutable by convention; `with_severities` makes a copy."""

    __slots__ = ("categories", "context", "exclude", "raw_exclude", "tokens", "macros", "sources")

    def __init__(
        self,
        categories: dict[str, CategoryRules],
        context: dict,
        exclude: tuple[str, ...],
        tokens: tuple[tuple[str, tuple[str, ...]], ...],
        macros: dict[str, str],
        sources: tuple[str, ...],
        raw_exclude: tuple[str, ...] | None = None,
    ):
        self.categories = categories
        self.context = context  # lists and texts of [context], macros expanded
        self.exclude = exclude
        self.tokens = tokens  # (token prefix, phrase patterns) for each [tokens] entry
        self.macros = macros  # as written, tokens included (for working out stems)
        self.sources = sources
        self.raw_exclude = tuple(raw_exclude) if raw_exclude is not None else exclude

    def with_severities(self, overrides: dict[str, str] | None) -> "Rules":
        """The same rules with some categories' severities changed (the programme's settings)."""
        cats = dict(self.categories)
        for cat_id, severity in (overrides or {}).items():
            if cat_id not in cats:
                raise RulesError(f"unknown risk category '{cat_id}' in the severity settings")
            _check_severity(severity, f"the severity setting for {cat_id}")
            old = cats[cat_id]
            cats[cat_id] = CategoryRules(
                old.id,
                old.label,
                severity,
                old.patterns,
                old.exclude,
                old.negation,
                old.negatable,
                old.hypothetical,
                old.third_party,
                old.raw_patterns,
                old.raw_exclude,
            )
        return Rules(
            cats,
            self.context,
            self.exclude,
            self.tokens,
            self.macros,
            self.sources,
            self.raw_exclude,
        )

    def __repr__(self) -> str:
        return f"Rules({len(self.categories)} categories from {', '.join(self.sources)})"


def default_rules_text() -> str:
    """The rules file shipped in the package, as text (to copy into a workspace and edit)."""
    from importlib.resources import files

    return files("facilitator.detector").joinpath("rules.toml").read_text(encoding="utf-8")


def load_rules(path: "os.PathLike | str | None" = None) -> Rules:
    """The shipped rules, with the file at `path` merged over them (or replacing them, if it says
    `extends_default = false`). `path=None` gives the shipped rules alone."""
    data = _parse(default_rules_text(), "the built-in risk rules")
    sources = ["built-in"]
    if path is not None:
        from pathlib import (
            Path,  # imported here: pathlib is slow to import, and scanning never needs it
        )

        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RulesError(f"no risk rules file at {path}") from None
        except OSError as err:
            raise RulesError(
                f"cannot read the risk rules file {path}: {err.strerror or err}"
            ) from None
        extra = _parse(text, str(path))
        if extra.pop("extends_default", True) is False:
            data, sources = extra, [str(path)]
        else:
            data = _merge(data, extra)
            sources.append(str(path))
    return _build(data, " + ".join(sources), tuple(sources))


def rules_for_workspace(folder: "os.PathLike | str | None") -> Rules:
    """The rules a workspace uses: its risk_rules.toml over the shipped ones, if it has one."""
    if folder is not None:
        candidate = os.path.join(folder, WORKSPACE_RULES_FILE)
        if os.path.isfile(candidate):
            return load_rules(candidate)
    return load_rules(None)


# -- parsing and checking --------------------------------------------------------------------
def _parse(text: str, where: str) -> dict:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RulesError(f"{where}: not valid TOML ({err})") from None


def _merge(base: dict, extra: dict) -> dict:
    """Tables merge, lists extend, single values replace."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = _merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            out[key] = old + [v for v in value if v not in old]
        else:
            out[key] = value
    return out


def _check_severity(value, where: str) -> str:
    if value not in SEVERITIES:
        raise RulesError(f"{where}: severity must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return value


def _strings(value, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesError(f"{where}: expected a list of non-empty strings")
    return value


def _expander(macros: dict[str, str], where: str):
    """A function that replaces {name} by its macro, recursively."""
    cache: dict[str, str] = {}

    def expand(pattern: str, place: str, depth: int = 0) -> str:
        if depth > 8:
            raise RulesError(f"{where}: macros in {place} refer to each other in a loop")

        def one(m: re.Match) -> str:
            name = m.group(1)
            if name not in macros:
                raise RulesError(
                    f"{where}: {place} uses {{{name}}}, but there is no macro of that name in [macros]"
                )
            if name not in cache:
                cache[name] = expand(macros[name], f"macro {name}", depth + 1)
            return cache[name]

        return _MACRO.sub(one, pattern)

    # Compiling is left to the Detector (once, all of a category together); it names a bad pattern.
    return expand


def _build(data: dict, where: str, sources: tuple[str, ...]) -> Rules:
    macros = data.get("macros", {})
    if not isinstance(macros, dict) or not all(isinstance(v, str) for v in macros.values()):
        raise RulesError(f"{where}: [macros] must map names to pattern strings")
    tokens_in = data.get("tokens", {})
    if not isinstance(tokens_in, dict) or len(tokens_in) > 26:
        raise RulesError(f"{where}: [tokens] must map at most 26 names to lists of phrases")
    phrase_expand = _expander(macros, where)
    tokens = []
    macros = dict(macros)
    for i, (name, phrases) in enumerate(tokens_in.items()):
        if name in macros:
            raise RulesError(f"{where}: {{{name}}} is both a token and a macro")
        # "_t" + a letter, padded with "_" to the phrase's length: all word characters, so
        # word boundaries around the token fall where they fell around the phrase.
        prefix = "_t" + "abcdefghijklmnopqrstuvwxyz"[i]
        tokens.append(
            (
                prefix,
                tuple(
                    phrase_expand(p, f"[tokens] {name}")
                    for p in _strings(phrases, f"{where}: [tokens] {name}")
                ),
            )
        )
        macros[name] = prefix + "_*"
    check = _expander(macros, where)

    unknown_top = set(data) - _TOP_KEYS
    if unknown_top:
        raise RulesError(f"{where}: unknown key(s) or table(s): {', '.join(sorted(unknown_top))}")
    ctx_in = data.get("context", {})
    context: dict = {}
    for key in _CONTEXT_LISTS:
        context[key] = (
            tuple(
                check(p, f"[context] {key}")
                for p in _strings(ctx_in.get(key, []) or [], f"{where}: [context] {key}")
            )
            if ctx_in.get(key)
            else ()
        )
    for key in _CONTEXT_TEXTS:
        value = ctx_in.get(key)
        context[key] = (
            check(value, f"[context] {key}") if isinstance(value, str) and value else None
        )
    window = ctx_in.get("negation_window", 5)
    if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 50:
        raise RulesError(f"{where}: [context] negation_window must be a whole number from 0 to 50")
    context["negation_window"] = window
    unknown_ctx = set(ctx_in) - set(_CONTEXT_LISTS) - set(_CONTEXT_TEXTS) - {"negation_window"}
    if unknown_ctx:
        raise RulesError(f"{where}: [context] has unknown key(s): {', '.join(sorted(unknown_ctx))}")

    raw_exclude = (
        tuple(_strings(data.get("exclude", []) or [], f"{where}: exclude"))
        if data.get("exclude")
        else ()
    )
    exclude = tuple(check(p, "exclude") for p in raw_exclude)

    cats_in = data.get("categories", {})
    if not isinstance(cats_in, dict) or not cats_in:
        raise RulesError(f"{where}: no [categories.<id>] tables")
    categories: dict[str, CategoryRules] = {}
    for cat_id, spec in cats_in.items():
        place = f"[categories.{cat_id}]"
        if not isinstance(spec, dict):
            raise RulesError(f"{where}: {place} must be a table")
        unknown = set(spec) - _CATEGORY_KEYS
        if unknown:
            raise RulesError(f"{where}: {place} has unknown key(s): {', '.join(sorted(unknown))}")
        known = BY_ID.get(cat_id)
        if known is None and "severity" not in spec:
            raise RulesError(
                f"{where}: {place} is not one of the built-in categories, so it needs a severity"
            )
        severity = _check_severity(
            spec.get("severity", known.severity if known else None), f"{where}: {place}"
        )
        patterns = _strings(spec.get("patterns", []), f"{where}: {place} patterns")
        if not patterns:
            raise RulesError(f"{where}: {place} has no patterns")
        flags = {}
        for key in ("negatable", "hypothetical", "third_party"):
            value = spec.get(key, True)
            if not isinstance(value, bool):
                raise RulesError(f"{where}: {place} {key} must be true or false")
            flags[key] = value
        own_exclude = (
            _strings(spec.get("exclude", []) or [], f"{where}: {place} exclude")
            if spec.get("exclude")
            else []
        )
        categories[cat_id] = CategoryRules(
            cat_id,
            spec.get("label") or (known.label if known else cat_id.replace("_", " ").capitalize()),
            severity,
            [check(p, f"{place} patterns") for p in patterns],
            [check(p, f"{place} exclude") for p in own_exclude],
            [
                check(p, f"{place} negation")
                for p in _strings(spec.get("negation", []) or [], f"{where}: {place} negation")
            ]
            if spec.get("negation")
            else (),
            **flags,
            raw_patterns=patterns,
            raw_exclude=own_exclude,
        )
    return Rules(categories, context, exclude, tuple(tokens), macros, sources, raw_exclude)
