"""Word templates in docxtpl syntax, compiled once and rendered many times.

docxtpl re-reads, re-patches and recompiles a template for every document. A
:class:`CompiledTemplate` does that work once: it reads the .docx, applies
docxtpl's own tag patching to each part, compiles the Jinja source in a sandbox,
and then renders each pupil's document from the compiled parts, writing only the
changed parts into a copy of the template's zip. The result is the document
docxtpl would make (tests compare word/document.xml), at a fraction of the cost.

Rendering is sandboxed (a template cannot reach Python internals), autoescaped (a
pupil's '&' or '<' comes out as typed) and strict (a field the data does not supply
is a :class:`~formkit.errors.TemplateError` naming the template, the tag, the
paragraph and the pupil).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree

from . import docxpackage as pkg
from .errors import FormkitError, InputFileError, TemplateError

CONFIDENTIAL = "Confidential: SEN information (special category data)"
MAX_OUTPUT_CHARS = 32 * 1024 * 1024
MAX_SEQUENCE = 100_000
RENDER_SECONDS = 2.0

_STRICT_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_TAG = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)


class _TooBig(SecurityError):
    """A tag would use more memory or time than any document needs."""


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, with the arithmetic that can exhaust memory or time bounded:
    repeating text or lists, huge powers, and padding widths."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and (_big(right, 64) or _big(left, 10**6)):
            raise _TooBig(f"{left!r} ** {right!r} is too large to compute")
        if operator == "*" and (_long(left, right) or _long(right, left)):
            raise _TooBig("repeating text or a list that many times would exhaust memory")
        if operator == "%" and isinstance(left, str) and re.search(r"\d{5,}", left):
            raise _TooBig("a format width that large would exhaust memory")
        if operator == "+" and _size(left) + _size(right) > MAX_OUTPUT_CHARS:
            raise _TooBig("joining text that long would exhaust memory")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        owner = getattr(__obj, "__self__", None) or getattr(getattr(__obj, "__wrapped__", None), "__self__", None)
        if owner.__class__ is str and (
            any(_big(a, 10_000) for a in args) or (__obj.__name__ in ("format", "format_map") and re.search(r"\d{5,}", owner))
        ):
            raise _TooBig(f"{__obj.__name__}() with a width that large would exhaust memory")
        return super().call(__context, __obj, *args, **kwargs)


def _big(value: Any, limit: int) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > limit


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _long(seq: Any, times: Any) -> bool:
    return isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_SEQUENCE


def make_environment(autoescape: bool = True) -> SandboxedEnvironment:
    """The Jinja environment every formkit template runs in: sandboxed and strict.

    Beyond Jinja's sandbox (no attribute starting with '_', no unsafe methods),
    operators that could build a huge string or number are refused, and filters
    that pad text are bounded.
    """
    env = _Sandbox(autoescape=autoescape, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    for name in ("center", "indent", "wordwrap", "truncate", "format"):
        env.filters[name] = _bounded(env.filters[name])
    return env


def _bounded(filter_func: Any) -> Any:
    import functools

    @functools.wraps(filter_func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if any(_big(a, 10_000) for a in [*args[1:], *kwargs.values()]) or (
            args and isinstance(args[0], str) and filter_func.__name__ == "do_format" and re.search(r"\d{5,}", args[0])
        ):
            raise _TooBig("a width that large would exhaust memory")
        return filter_func(*args, **kwargs)

    return bounded


class _Timeout(Exception):
    pass


class _time_limit:
    """Raise _Timeout in the main thread after ``seconds`` (POSIX; elsewhere no limit)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = False

    def __enter__(self) -> None:
        import signal
        import threading

        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self.active = True

    @staticmethod
    def _expire(signum: int, frame: Any) -> None:
        raise _Timeout()

    def __exit__(self, *exc: object) -> None:
        if self.active:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


@dataclass
class _Part:
    name: str
    kind: str
    source: str
    template: jinja2.Template
    ast: nodes.Template


class CompiledTemplate:
    """A .docx template ready to render many documents.

    Raises :class:`TemplateError` when a tag is broken (naming the paragraph) and
    :class:`InputFileError` when the file is not a usable Word document.
    """

    def __init__(self, path: Path | str, *, name: str | None = None) -> None:
        self.path = Path(path)
        self.name = name or self.path.name
        self.package = pkg.DocxPackage.open(self.path)
        self._root = self.package.document_root()
        self._slot = pkg.BodySlot(self._root)
        self._docxtpl = DocxTemplate(str(self.path))
        self._env = make_environment()
        self._plain_env = make_environment(autoescape=False)
        self._parts: list[_Part] = []
        self._add(self.package.document, "body", self.package.body_xml(self._root))
        for name in self.package.headers_footers:
            self._add(name, "header/footer", self.package.part_xml(name))
        for name in self.package.footnotes:
            self._add(name, "footnotes", self.package.raw_xml(name))
        self._properties = {
            key: self._compile_text(text, key[1])
            for key, text in self.package.core_properties().items()
            if "{" in text
        }
        self._core = None if self._properties else self.package.core_xml({}, CONFIDENTIAL)
        changing = {part.name for part in self._parts}
        if pkg.CORE_PART in self.package.parts:
            changing.add(pkg.CORE_PART)
        self.package.prepare(changing)

    def _add(self, name: str, kind: str, xml: str) -> None:
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", self._docxtpl.patch_xml(xml))
        try:
            ast = self._env.parse(source)
            template = self._env.from_string(ast)
        except jinja2.TemplateSyntaxError as exc:
            paragraph = _paragraph(source, exc.lineno)
            raise TemplateError(
                f'a tag in the paragraph "{paragraph}" is broken ({_plain(exc.message)}). '
                "Check that every {{ has its }}, every {% has its %}, and every {% for %} or {% if %} "
                "is closed with {% endfor %} or {% endif %}",
                template=self.name,
                paragraph=paragraph,
            ) from None
        self._refuse_internals(ast, source)
        self._parts.append(_Part(name, kind, source, template, ast))

    def _refuse_internals(self, ast: nodes.Template, source: str) -> None:
        lines = source.splitlines()
        found = []
        for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
            attr = node.attr if isinstance(node, nodes.Getattr) else getattr(getattr(node, "arg", None), "value", None)
            if isinstance(attr, str) and attr.startswith("_"):
                line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
                found.append((node.lineno, line.find(attr), attr, line))
        if found:
            lineno, _, attr, line = min(found)
            paragraph = _paragraph(source, lineno)
            tag = _tag_naming(line, attr)
            raise TemplateError(
                f"{tag or 'a tag'} in the paragraph \"{paragraph}\" tries to reach Python internals ('{attr}'); "
                "formkit templates may only show data. Remove that tag",
                template=self.name,
                tag=tag,
                paragraph=paragraph,
            )

    def _compile_text(self, text: str, prop: str) -> jinja2.Template:
        try:
            return self._plain_env.from_string(text)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"the document property '{prop}' ({text!r}) has a broken tag ({_plain(exc.message)}); "
                "fix it under File > Info > Properties",
                template=self.name,
            ) from None

    def fields(self) -> set[str]:
        """Every data field the template uses, as dotted paths ('pupil.name',
        'targets[].target'); names bound inside the template are left out."""
        found: set[str] = set()
        skip = set(self._env.globals)
        for part in self._parts:
            _collect(part.ast, {name: None for name in skip}, found)
        for template_text in self.package.core_properties().values():
            _collect(self._plain_env.parse(template_text), {name: None for name in skip}, found)
        return found

    def render(self, context: Mapping[str, Any], *, pupil: str | None = None) -> bytes:
        """One document's .docx bytes for ``context``.

        ``pupil`` names whose data this is, for error messages. Raises
        TemplateError for a missing field, unsafe code or output that is not valid
        Word XML.
        """
        try:
            with _time_limit(RENDER_SECONDS):
                return self._render(context, pupil)
        except _Timeout:
            raise TemplateError(
                f"the template took over {RENDER_SECONDS:g} s to fill in for one pupil (an ordinary one takes a few "
                "milliseconds); a loop in it probably runs away. Check its {% for %} tags",
                template=self.name,
            ) from None

    def _render(self, context: Mapping[str, Any], pupil: str | None) -> bytes:
        replaced: dict[str, bytes] = {}
        for part in self._parts:
            xml = self._render_part(part, context, pupil)
            if part.kind == "body":
                tree = self._check_xml(xml, part, pupil)
                if _tables_need_fixing(tree):
                    tree = self._docxtpl.fix_tables(xml)
                self._docxtpl.docx_ids_index = 1000
                self._docxtpl.fix_docpr_ids(tree)
                replaced[part.name] = self._slot.fill(tree)
            elif part.kind == "header/footer":
                replaced[part.name] = pkg.serialize(self._check_xml(xml, part, pupil))
            else:
                self._check_xml(xml, part, pupil)
                replaced[part.name] = xml.encode("utf-8")
        core = self._core
        if self._properties:
            values = {key: self._run(template, context, key[1], pupil) for key, template in self._properties.items()}
            core = self.package.core_xml(values, CONFIDENTIAL)
        if core is not None:
            replaced[pkg.CORE_PART] = core
        return self.package.write(replaced)

    def _render_part(self, part: _Part, context: Mapping[str, Any], pupil: str | None) -> str:
        xml = self._run(part.template, context, part.source, pupil)
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if any(c in xml for c in "\t\a\n\f"):
            xml = self._docxtpl.resolve_listing(xml)
        return xml

    def _run(self, template: jinja2.Template, context: Mapping[str, Any], source: str, pupil: str | None) -> str:
        chunks: list[str] = []
        size = 0
        try:
            for chunk in template.generate(context):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise TemplateError(
                        f"the template would make a document of over {MAX_OUTPUT_CHARS // 1024 // 1024} MB of text; "
                        "a loop in it probably runs away. Check its {% for %} tags",
                        template=self.name,
                    )
                chunks.append(chunk)
        except (FormkitError, _Timeout):
            raise
        except Exception as exc:  # template code is the user's: any failure is theirs
            raise self._render_error(exc, source, pupil) from None
        return "".join(chunks)

    def _render_error(self, exc: Exception, source: str, pupil: str | None) -> TemplateError:
        lineno = _template_line(exc)
        paragraph = _paragraph(source, lineno) if "\n" in source or lineno else source
        line = source.splitlines()[lineno - 1] if lineno and lineno <= len(source.splitlines()) else source
        if isinstance(exc, jinja2.UndefinedError):
            missing = _missing_name(str(exc))
            tag = _tag_naming(line, missing)
            return TemplateError(
                f"{tag or 'a tag'} in the paragraph \"{paragraph}\" needs '{missing}', which the data does not supply. "
                "Check the spelling against the fields in docs/templates.md, or run 'formkit templates check'",
                template=self.name,
                tag=tag,
                paragraph=paragraph,
                pupil=pupil,
                fatal=False,
            )
        if isinstance(exc, _TooBig):
            return TemplateError(
                f'a tag in the paragraph "{paragraph}" asks for too much ({exc}); formkit refuses it. '
                "Remove or fix that tag",
                template=self.name,
                paragraph=paragraph,
            )
        if isinstance(exc, SecurityError):
            return TemplateError(
                f'a tag in the paragraph "{paragraph}" tries to reach Python internals ({exc}); '
                "formkit templates may only show data. Remove that tag",
                template=self.name,
                paragraph=paragraph,
            )
        return TemplateError(
            f'a tag in the paragraph "{paragraph}" failed ({type(exc).__name__}: {exc}); fix or remove that tag',
            template=self.name,
            paragraph=paragraph,
            pupil=pupil,
        )

    def _check_xml(self, xml: str, part: _Part, pupil: str | None) -> etree._Element:
        try:
            return etree.fromstring(xml.encode("utf-8"), _STRICT_PARSER)
        except etree.XMLSyntaxError as exc:
            line = getattr(exc, "lineno", None)
            raise TemplateError(
                f"the {part.kind} would not be a valid Word document ({exc.msg}). This happens when "
                "a {% if %} or {% for %} starts in one paragraph, table row or cell and ends in another: "
                "use {%p ... %}, {%tr ... %} or {%tc ... %} for tags that span whole paragraphs, rows or cells",
                template=self.name,
                paragraph=str(line) if line else None,
                pupil=pupil,
            ) from None


def _tables_need_fixing(body: etree._Element) -> bool:
    """Whether docxtpl's fix_tables would change this body: some row has more cells
    than the table has grid columns, or every row spans fewer."""
    w = f"{{{pkg.W_NS}}}"
    for table in body.iter(f"{w}tbl"):
        grid = table.find(f"{w}tblGrid")
        columns = len(grid.findall(f"{w}gridCol")) if grid is not None else 0
        widest = 0
        for row in table.iter(f"{w}tr"):
            cells = row.findall(f"{w}tc")
            if len(cells) > columns:
                return True
            spans = 0
            for cell in cells:
                span = cell.find(f"{w}tcPr/{w}gridSpan")
                spans += int(span.get(f"{w}val", "1")) if span is not None else 1
            widest = max(widest, spans)
        if columns > widest:
            return True
    return False


def render_once(path: Path | str, context: Mapping[str, Any], *, pupil: str | None = None) -> bytes:
    """Compile and render in one call (for a single document)."""
    return CompiledTemplate(path).render(context, pupil=pupil)


def _plain(message: str | None) -> str:
    return (message or "syntax error").replace("\n", " ").strip().rstrip(".")


def _paragraph(source: str, lineno: int | None) -> str:
    lines = source.splitlines()
    if not lineno or lineno > len(lines):
        return ""
    text = pkg.text_of(lines[lineno - 1])
    return text if len(text) <= 120 else text[:117] + "..."


def _template_line(exc: BaseException) -> int | None:
    lineno = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


def _missing_name(message: str) -> str:
    m = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    if m:
        return m.group(1)
    m = re.search(r"no element (.+)$", message)
    return m.group(1) if m else message


def _tag_naming(line: str, name: str) -> str | None:
    for m in _TAG.finditer(line):
        tag = pkg.text_of(m.group(0))
        if re.search(rf"\b{re.escape(name)}\b", tag):
            return tag
    return None


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


def _collect(node: nodes.Node, scope: dict[str, str | None], out: set[str]) -> None:
    if isinstance(node, nodes.For):
        _collect(node.iter, scope, out)
        base = _path(node.iter, scope)
        inner = dict(scope, loop=None)
        for name in _names(node.target):
            inner[name] = f"{base}[]" if base else None
        for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
            _collect(child, inner, out)
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
        _collect(child, scope, out)


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


__all__ = ["CompiledTemplate", "make_environment", "missing_fields", "empty_fields", "render_once", "InputFileError"]
