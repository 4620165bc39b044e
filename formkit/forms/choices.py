"""A choice answered in words on a school's own form, not with a tick.

Schools' own referral forms ask "SEND / PASTORAL (delete as appropriate)", or
have a "Nature of concern" box the teacher types into. When no option of a
choice group was ticked, :func:`read_choice_words` looks at the form's text:

- **typed beside its label**: a cell or line labelled with the choice ("Nature
  of concern", or the options themselves, "SEND / PASTORAL") and an answer
  beside it or after its colon: "Pastoral", "SEND and pastoral", "both";
- **options deleted**: a line or cell that lists the options ("SEND /",
  "PASTORAL (delete as appropriate)") with all but the chosen one deleted.

Only when the words cannot be settled is there a warning: an answer that names
both options as alternatives ("SEND or pastoral"), says "not", names neither,
or wraps an option in other words. The form's title ("Request for SEND or
PASTORAL support") and prose are never taken as an answer. A choice left as
the blank form has it ("SEND / PASTORAL", nothing deleted) is unanswered, with
no warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ooxml import Layout
from .fields import FormDef, label_key
from .record import Raw, RawForm, parse_tick

GROUP_LABELS = {
    "concern_type": ("concern", "nature of concern", "main nature of concern", "type of concern", "concern type",
                     "area of concern", "type of support", "support type", "support needed", "support requested",
                     "type of referral", "referral type", "category"),
}
"""The labels a school may give each choice group answered in words."""

_WORDS = {"send": "concern_send", "sen": "concern_send", "pastoral": "concern_pastoral"}
_BOTH = {"and", "both", "plus", "also"}
_EITHER = {"or"}
_NOT = {"not", "no", "neither", "nor", "none", "n/a", "na", "unsure", "unknown", "maybe", "possibly"}
_FILLER = {"delete", "as", "appropriate", "please", "circle", "tick", "one", "the", "a", "is", "it", "this",
           "main", "support", "need", "needs", "concern", "concerns", "related", "only"}


@dataclass
class _Unit:
    """One piece of the form's text, and the cell beside it (if in a table)."""

    text: str
    beside: str | None = None


def unanswered_choices(form: FormDef, raw: RawForm) -> list[str]:
    """The choice groups of ``form`` that may be answered in words and have no
    option ticked in ``raw``."""
    groups = dict.fromkeys(f.group for f in form.fields if f.group in GROUP_LABELS)
    return [g for g in groups if g and not any(
        raw.values.get(f.name) and parse_tick(raw.values[f.name])[0] for f in form.fields if f.group == g)]


def read_choice_words(form: FormDef, layouts: list[Layout], raw: RawForm) -> list[tuple[str, str]]:
    """Set the options of each choice group answered in words (as ticked, read
    "words"), when none was ticked; return the warnings as (field, message)."""
    warnings: list[tuple[str, str]] = []
    units = _units(layouts)
    for group in unanswered_choices(form, raw):
        members = {f.name: f for f in form.fields if f.group == group}
        chosen, warning = _answer(form, group, units)
        if warning:
            warnings.append((group, warning))
        for name in chosen:
            raw.values[name] = Raw(members[name].label, checked=True, how="words")
    return warnings


def _units(layouts: list[Layout]) -> list[_Unit]:
    units: list[_Unit] = []
    for layout in layouts:
        for rows in layout.tables:
            for row in rows:
                for i, cell in enumerate(row):
                    if cell.controls or not cell.text.strip():
                        continue
                    beside = row[i + 1] if i + 1 < len(row) else None  # the cell next to it, answered or not
                    units.append(_Unit(cell.text, beside.text if beside is not None and not beside.controls else None))
        units.extend(_Unit(line) for text in layout.paragraphs for line in text.split("\n") if line.strip())
    return units


def _tokens(text: str) -> list[str]:
    return re.findall(r"n/a|[a-z]+", text.casefold())


def _named(words: list[str]) -> list[str]:
    return list(dict.fromkeys(_WORDS[w] for w in words if w in _WORDS))


def _rest(words: list[str]) -> list[str]:
    return [w for w in words if w not in _WORDS and w not in _BOTH | _EITHER | _FILLER]


def _answer(form: FormDef, group: str, units: list[_Unit]) -> tuple[list[str], str | None]:
    """(the options chosen, a warning) for one group, from the form's text."""
    titles = {label_key(t) for t in (form.title, *form.titles)}
    labels = set(GROUP_LABELS[group])
    others = {key for f in form.fields if f.group != group for key in f.keys}
    singles: list[str] = []
    for unit in units:
        for line in unit.text.split("\n"):
            key = label_key(line)
            if not key or key in titles:
                continue
            head, colon, tail = line.partition(":")
            asks = _asks(head, labels)
            if colon and asks and tail.strip():
                return _read_answer(tail, head)
            beside = unit.beside
            if asks and beside and beside.strip() and "\n" not in unit.text and label_key(beside) not in others:
                return _read_answer(beside, head)
            words = _tokens(line)
            named = _named(words)
            if len(named) == 1 and not _rest(words):
                singles.append(named[0])
    if len(set(singles)) == 1:  # the other option deleted, wherever it stood
        return [singles[0]], None
    return [], None


def _asks(head: str, labels: set[str]) -> bool:
    """A label for the choice: one of the group's labels, or the options set out
    as a question ("SEND / PASTORAL", "SEND or pastoral?")."""
    key = label_key(re.sub(r"\(.*?\)", "", head))
    if key in labels:
        return True
    words = _tokens(head)
    return len(_named(words)) > 1 and not _rest(words)


def _read_answer(text: str, label: str) -> tuple[list[str], str | None]:
    words = _tokens(text)
    named = _named(words)
    said = " ".join(text.split())
    if not words or label_key(text) == label_key(label):
        return [], None  # the blank form's own words: not answered
    if any(w in _NOT for w in words):
        return [], f"'{said}' does not say which; delete the options that do not apply, or tick one"
    if not named:
        if set(words) & {"both", "all"} and not _rest(words):
            return list(_WORDS_ORDER), None
        return [], f"'{said}' names neither SEND nor PASTORAL; write one, or both"
    if len(named) > 1 and set(words) & _EITHER and not set(words) & _BOTH:
        return [], f"'{said}' gives both as alternatives; delete the one that does not apply"
    if len(_rest(words)) > 2 and len(named) > 1:
        return [], f"'{said}' is not clear about which; write SEND, PASTORAL or both"
    return named, None


_WORDS_ORDER = ("concern_send", "concern_pastoral")
