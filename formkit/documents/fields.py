"""The data fields a template uses, found in its compiled Jinja tree, and which
of them a pupil's context leaves missing or blank (for ``templates check``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import nodes


def _path(node: nodes.Node, scope: Mapping[str, str | None]) -> str | None:
    if isinstance(node, nodes.Name):
        return scope[node.name] if node.name in scope else node.name
    if isinstance(node, nodes.Getattr):
        base = _path(node.node, scope)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        base = _path(node.node, scope)
        return f"{base}.{node.arg.value}" if base else None
    return None


def _names(target: nodes.Node) -> Iterable[str]:
    if isinstance(target, nodes.Name):
        yield target.name
    elif isinstance(target, nodes.Tuple):
        for item in target.items:
            yield from _names(item)


def collect_fields(node: nodes.Node, scope: dict[str, str | None], out: set[str]) -> None:
    if isinstance(node, nodes.For):
        collect_fields(node.iter, scope, out)
        base = _path(node.iter, scope)
        inner = dict(scope, loop=None)
        for name in _names(node.target):
            inner[name] = f"{base}[]" if base else None
        for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
            collect_fields(child, inner, out)
        return
    if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
        for name in _names(node.target):
            scope[name] = None
    if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
        path = _path(node, scope)
        if path:
            out.add(path)
            return
        if isinstance(node, nodes.Name):
            return
    for child in node.iter_child_nodes():
        collect_fields(child, scope, out)


def missing_fields(fields: Iterable[str], context: Mapping[str, Any]) -> list[str]:
    """The fields in ``fields`` that ``context`` does not supply, sorted."""
    return sorted(f for f in fields if not _supplies(context, f.split(".")))


def _supplies(value: Any, keys: list[str]) -> bool:
    if not keys:
        return True
    key, rest = keys[0], keys[1:]
    is_list = key.endswith("[]")
    key = key.removesuffix("[]")
    if not isinstance(value, Mapping) or key not in value:
        return False
    value = value[key]
    if is_list:
        items = list(value) if isinstance(value, (list, tuple)) else []
        return all(_supplies(item, rest) for item in items) if items else True
    return _supplies(value, rest)


def empty_fields(fields: Iterable[str], context: Mapping[str, Any]) -> list[str]:
    """The fields that ``context`` supplies as an empty string (shown as a blank)."""
    blank = []
    for f in sorted(fields):
        value: Any = context
        for key in f.split("."):
            if isinstance(value, list):
                value = value[0] if value else None
            if not isinstance(value, Mapping) or key.removesuffix("[]") not in value:
                value = None
                break
            value = value[key.removesuffix("[]")]
        if value == "":
            blank.append(f)
    return blank


__all__ = ["collect_fields", "empty_fields", "missing_fields"]
