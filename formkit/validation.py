"""Records as frozen dataclasses whose values are checked when they are made.

``@record`` makes a class a frozen, keyword-only, slotted dataclass, equal and
hashable by value, whose constructor checks every value it is given against the
field's annotation and raises one :class:`RecordError` naming every bad value
(and every missing or unknown field) with a plain-English reason. Checking needs
no third-party library, so making records costs no start-up.

The kinds a field may have: ``str``, ``bool``, ``int`` (with a range from
:func:`ranged`), ``date``, a ``Literal`` of strings, a string ``Enum`` (given as
a member or by its code, the member's value), another record, ``X | None``,
``tuple[X, ...]`` and ``dict[str, str]``. The checks are deliberately strict:
``"7"`` is not a whole number, a ``datetime`` is not a date, ``1`` is not
true, and a record is not made from a dict; the one conversion is a list given
for a tuple, kept as a tuple (a dict for ``dict[str, str]`` is copied).
``dataclasses.replace`` goes through the same checks.

:func:`to_json` and :func:`from_json` turn a record into JSON types and back
(dates as ISO text, enums by their values, tuples as lists), leaving out the
fields made with ``exported=False``; they are each other's inverse for any
record whose exported fields are all it holds.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal, TypeVar

T = TypeVar("T")
_MISSING = dataclasses.MISSING


@dataclasses.dataclass(frozen=True, slots=True)
class BadValue:
    """One value a record refused: the field's name, why, and what was given."""

    field: str
    reason: str
    value: object = None

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class RecordError(ValueError):
    """A record could not be made: ``bad`` holds every refused value, in field order."""

    def __init__(self, record: str, bad: tuple[BadValue, ...]) -> None:
        super().__init__(f"{record}: " + "; ".join(str(b) for b in bad))
        self.record = record
        self.bad = bad


class _Refused(Exception):
    """Why a value is refused; becomes a :class:`BadValue`."""


class _Kind:
    """What a field holds: how a value is checked, and how it goes to and from JSON."""

    def check(self, value: Any) -> Any:
        raise NotImplementedError

    def dump(self, value: Any) -> Any:
        return value

    def load(self, data: Any) -> Any:
        return data


class _Plain(_Kind):
    def __init__(self, kind: type, words: str) -> None:
        self.kind, self.words = kind, words

    def check(self, value: Any) -> Any:
        if type(value) is not self.kind and not (self.kind is str and isinstance(value, str)):
            raise _Refused(f"must be {self.words}")
        return value


class _Int(_Kind):
    def __init__(self, ge: int | None, le: int | None) -> None:
        self.ge, self.le = ge, le
        if ge is not None and le is not None:
            self.words = f"a whole number from {ge} to {le}"
        elif ge is not None:
            self.words = f"a whole number of at least {ge}"
        elif le is not None:
            self.words = f"a whole number of at most {le}"
        else:
            self.words = "a whole number"

    def check(self, value: Any) -> Any:
        if type(value) is not int or (self.ge is not None and value < self.ge) or (
                self.le is not None and value > self.le):
            raise _Refused(f"must be {self.words}")
        return value


class _Date(_Kind):
    def check(self, value: Any) -> Any:
        if not isinstance(value, date) or isinstance(value, datetime):
            raise _Refused("must be a date (without a time)")
        return value

    def dump(self, value: date) -> str:
        return value.isoformat()

    def load(self, data: Any) -> Any:
        if isinstance(data, str):
            try:
                return date.fromisoformat(data)
            except ValueError:
                return data
        return data


class _Choice(_Kind):
    def __init__(self, choices: tuple[str, ...]) -> None:
        self.choices = choices

    def check(self, value: Any) -> Any:
        if not isinstance(value, str) or value not in self.choices:
            raise _Refused(f"must be one of: {', '.join(self.choices)}")
        return value


class _Enum(_Kind):
    def __init__(self, kind: type[Enum]) -> None:
        self.kind = kind
        self.codes = {member.value: member for member in kind}

    def check(self, value: Any) -> Any:
        if isinstance(value, self.kind):
            return value
        if isinstance(value, str) and value in self.codes:
            return self.codes[value]
        raise _Refused(f"must be one of: {', '.join(self.codes)}")

    def dump(self, value: Enum) -> Any:
        return value.value


class _Record(_Kind):
    def __init__(self, kind: type) -> None:
        self.kind = kind

    def check(self, value: Any) -> Any:
        if not isinstance(value, self.kind):
            raise _Refused(f"must be a {self.kind.__name__}")
        return value

    def dump(self, value: Any) -> Any:
        return to_json(value)

    def load(self, data: Any) -> Any:
        return from_json(self.kind, data) if isinstance(data, Mapping) else data


class _Optional(_Kind):
    def __init__(self, inner: _Kind) -> None:
        self.inner = inner

    def check(self, value: Any) -> Any:
        return None if value is None else self.inner.check(value)

    def dump(self, value: Any) -> Any:
        return None if value is None else self.inner.dump(value)

    def load(self, data: Any) -> Any:
        return None if data is None else self.inner.load(data)


class _Tuple(_Kind):
    def __init__(self, inner: _Kind) -> None:
        self.inner = inner

    def check(self, value: Any) -> Any:
        if not isinstance(value, (tuple, list)):
            raise _Refused("must be a list")
        items = []
        for n, item in enumerate(value, start=1):
            try:
                items.append(self.inner.check(item))
            except _Refused as exc:
                raise _Refused(f"item {n} {exc}") from None
        return tuple(items)

    def dump(self, value: tuple[Any, ...]) -> list[Any]:
        return [self.inner.dump(item) for item in value]

    def load(self, data: Any) -> Any:
        return [self.inner.load(item) for item in data] if isinstance(data, list) else data


class _Texts(_Kind):
    def check(self, value: Any) -> Any:
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise _Refused("must be a table of text by text headings")
        return dict(value)

    def dump(self, value: dict[str, str]) -> dict[str, str]:
        return dict(value)


_PLAIN = {str: _Plain(str, "text"), bool: _Plain(bool, "true or false"), date: _Date()}


def _kind(hint: Any, field: dataclasses.Field[Any]) -> _Kind:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1 and len(args) == 2:
            return _Optional(_kind(inner[0], field))
    elif origin is Literal and all(isinstance(a, str) for a in args):
        return _Choice(args)
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _Tuple(_kind(args[0], field))
    elif origin is dict and args == (str, str):
        return _Texts()
    elif hint is int:
        return _Int(field.metadata.get("ge"), field.metadata.get("le"))
    elif hint in _PLAIN:
        return _PLAIN[hint]
    elif isinstance(hint, type) and issubclass(hint, Enum) and issubclass(hint, str):
        return _Enum(hint)
    elif isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _Record(hint)
    raise TypeError(f"field {field.name!r}: a record cannot check a value of kind {hint!r}")


def ranged(ge: int | None = None, le: int | None = None, *, default: Any = _MISSING) -> Any:
    """A whole-number field from ``ge`` to ``le`` (either may be open)."""
    return dataclasses.field(default=default, metadata={"ge": ge, "le": le})


def not_exported(default: Any) -> Any:
    """A field :func:`to_json` leaves out (shown in documents, never kept)."""
    return dataclasses.field(default=default, metadata={"exported": False})


_KINDS = "__record_kinds__"


def record(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen, keyword-only, slotted dataclass whose values are
    checked when it is made (see the module's docstring)."""
    made: Any = dataclasses.dataclass(frozen=True, slots=True, kw_only=True)(cls)
    hints = typing.get_type_hints(made)
    fields = dataclasses.fields(made)
    kinds = {f.name: _kind(hints[f.name], f) for f in fields}
    required = tuple(f.name for f in fields if f.default is _MISSING and f.default_factory is _MISSING)
    setattr(made, _KINDS, kinds)
    built: Callable[..., None] = made.__init__

    def __init__(self: Any, **values: Any) -> None:
        built(self, **_checked(made.__name__, kinds, required, values))

    def __reduce__(self: Any) -> tuple[Any, ...]:
        return _remade, (made, {key: getattr(self, key) for key in kinds})

    __init__.__doc__ = f"Make a {made.__name__}; a value of the wrong kind raises RecordError."
    __init__.__qualname__ = f"{made.__qualname__}.__init__"
    made.__init__ = __init__
    made.__reduce__ = __reduce__  # pickled by its values, on every Python formkit supports
    return typing.cast(type[T], made)


def _remade(kind: type[T], values: dict[str, Any]) -> T:
    return kind(**values)


def _checked(name: str, kinds: dict[str, _Kind], required: tuple[str, ...], values: dict[str, Any]
             ) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    bad: list[BadValue] = []
    for key, kind in kinds.items():
        if key not in values:
            if key in required:
                bad.append(BadValue(key, "is missing"))
            continue
        try:
            checked[key] = kind.check(values[key])
        except _Refused as exc:
            bad.append(BadValue(key, str(exc), values[key]))
    bad.extend(BadValue(key, f"is not a field of a {name}", values[key]) for key in values if key not in kinds)
    if bad:
        raise RecordError(name, tuple(bad))
    return checked


def _kinds(kind: type) -> dict[str, _Kind]:
    kinds = getattr(kind, _KINDS, None)
    if kinds is None:
        raise TypeError(f"{kind.__name__} is not a record")
    return typing.cast(dict[str, _Kind], kinds)


def to_json(item: Any) -> dict[str, Any]:
    """The record's exported fields as JSON types, in field order."""
    kinds = _kinds(type(item))
    return {f.name: kinds[f.name].dump(getattr(item, f.name)) for f in dataclasses.fields(item)
            if f.metadata.get("exported", True)}


def from_json(kind: type[T], data: Mapping[str, Any]) -> T:
    """The record of ``kind`` that :func:`to_json` gave ``data`` for; a value that
    is not what the field holds raises RecordError, as making it would."""
    kinds = _kinds(kind)
    return kind(**{key: kinds[key].load(value) if key in kinds else value for key, value in data.items()})
