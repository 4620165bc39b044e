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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import nodes
from jinja2.sandbox import SecurityError

from ..errors import FormkitError, InputFileError, TemplateError
from ..files import CONFIDENTIAL
from ..ooxml import (
    CORE_PART,
    CUSTOM_PART,
    BodySlot,
    BrokenXML,
    DocxPackage,
    external_targets,
    parse_rendered,
    serialize,
    tables_need_fixing,
    text_of,
)
from .fields import collect_fields, empty_fields, missing_fields
from .deadline import RenderTimeout, time_limit
from .sandbox import (
    COMPILE_SECONDS,
    MAX_OUTPUT_CHARS,
    RENDER_SECONDS,
    TooBig,
    make_environment,
    render_budget,
)

_TAG = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)
IDENTITY = "formkit "
UPN_PROPERTY = "formkit UPN"
TERM_PROPERTY = "formkit term"
"""The custom document properties that say whose document formkit made, and for
which term: how a letter proves the IEP it encloses is the pupil's."""


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
        self._fields: frozenset[str] | None = None
        try:
            with time_limit(COMPILE_SECONDS):
                self._load()
        except RenderTimeout:
            raise TemplateError(
                f"the template took over {COMPILE_SECONDS:g} s to load (an ordinary one takes under 50 ms); "
                "it is too large or too deeply nested. Simplify its tags",
                template=self.name,
            ) from None
        except (RecursionError, MemoryError):
            raise TemplateError(
                "the template's tags are nested too deeply to load; simplify them", template=self.name
            ) from None

    def _load(self) -> None:
        self.package = DocxPackage.open(self.path)
        self._refuse_external(external_targets(self.package.parts))
        self._root = self.package.document_root()
        self._slot = BodySlot(self._root)
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
        if CORE_PART in self.package.parts:
            changing.add(CORE_PART)
        self.package.make_room_for_custom_properties()
        changing.add(CUSTOM_PART)
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

    def _refuse_external(self, found: list[tuple[str, str, str]]) -> None:
        if found:
            listed = "; ".join(f"{kind} {target!r} (in {part})" for part, kind, target in found[:5])
            more = f" and {len(found) - 5} more" if len(found) > 5 else ""
            raise TemplateError(
                f"refused: it links to {len(found)} thing(s) outside the file, which would be fetched when a "
                f"document is opened or made into a PDF: {listed}{more}. In Word, insert linked pictures as "
                "pictures (not links) and remove any attached template (Developer > Document Template), "
                "then save it again",
                template=self.name,
            )

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
        'targets[].target'); names bound inside the template are left out.
        Worked out once (a batch asks for every pupil); each call gets its own set."""
        if self._fields is None:
            found: set[str] = set()
            skip = set(self._env.globals)
            for part in self._parts:
                collect_fields(part.ast, {name: None for name in skip}, found)
            for template_text in self.package.core_properties().values():
                collect_fields(self._plain_env.parse(template_text), {name: None for name in skip}, found)
            self._fields = frozenset(found)
        return set(self._fields)

    def render(self, context: Mapping[str, Any], *, pupil: str | None = None) -> bytes:
        """One document's .docx bytes for ``context``.

        ``pupil`` names whose data this is, for error messages. Raises
        TemplateError for a missing field, unsafe code or output that is not valid
        Word XML.
        """
        try:
            with render_budget(), time_limit(RENDER_SECONDS):
                return self._render(context, pupil)
        except RenderTimeout:
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
                if tables_need_fixing(tree):
                    tree = self._docxtpl.fix_tables(xml)
                self._docxtpl.docx_ids_index = 1000
                self._docxtpl.fix_docpr_ids(tree)
                replaced[part.name] = self._slot.fill(tree)
            elif part.kind == "header/footer":
                replaced[part.name] = serialize(self._check_xml(xml, part, pupil))
            else:
                self._check_xml(xml, part, pupil)
                replaced[part.name] = xml.encode("utf-8")
        core = self._core
        if self._properties:
            values = {key: self._run(template, context, key[1], pupil) for key, template in self._properties.items()}
            core = self.package.core_xml(values, CONFIDENTIAL)
        if core is not None:
            replaced[CORE_PART] = core
        replaced[CUSTOM_PART] = self.package.custom_xml(identity(context), replacing=IDENTITY)
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
        except (FormkitError, RenderTimeout):
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
        if isinstance(exc, TooBig):
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

    def _check_xml(self, xml: str, part: _Part, pupil: str | None) -> Any:
        try:
            return parse_rendered(xml)
        except BrokenXML as exc:
            line = exc.line
            raise TemplateError(
                f"the {part.kind} would not be a valid Word document ({exc.message}). This happens when "
                "a {% if %} or {% for %} starts in one paragraph, table row or cell and ends in another: "
                "use {%p ... %}, {%tr ... %} or {%tc ... %} for tags that span whole paragraphs, rows or cells",
                template=self.name,
                paragraph=str(line) if line else None,
                pupil=pupil,
            ) from None


def identity(context: Mapping[str, Any]) -> dict[str, str]:
    """The identity properties of a document made from ``context``: the pupil's
    UPN and the term, when the context has them (a document about no one pupil
    carries none, and never a template's own)."""
    pupil, term = context.get("pupil"), context.get("term")
    found = {}
    if isinstance(pupil, Mapping) and isinstance(pupil.get("upn"), str) and pupil["upn"]:
        found[UPN_PROPERTY] = pupil["upn"]
        if isinstance(term, Mapping) and isinstance(term.get("name"), str) and term["name"]:
            found[TERM_PROPERTY] = term["name"]
    return found


def render_once(path: Path | str, context: Mapping[str, Any], *, pupil: str | None = None) -> bytes:
    """Compile and render in one call (for a single document)."""
    return CompiledTemplate(path).render(context, pupil=pupil)


def _plain(message: str | None) -> str:
    return (message or "syntax error").replace("\n", " ").strip().rstrip(".")


def _paragraph(source: str, lineno: int | None) -> str:
    lines = source.splitlines()
    if not lineno or lineno > len(lines):
        return ""
    text = text_of(lines[lineno - 1])
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
        tag = text_of(m.group(0))
        if re.search(rf"\b{re.escape(name)}\b", tag):
            return tag
    return None


__all__ = ["CompiledTemplate", "UPN_PROPERTY", "TERM_PROPERTY", "identity", "make_environment", "missing_fields", "empty_fields", "render_once", "InputFileError"]
