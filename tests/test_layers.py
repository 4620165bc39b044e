"""The package's layering stays true as it grows.

formkit is laid out in wings (docs/architecture.md): the core modules at the top
of the package, the OOXML wing, the register, documents, the job wings, and the
faces (the CLI and the demo). A wing may import only from the wings below it,
and from another wing only through that wing's ``__init__`` (its public names).
Raw XML is read and written only in the OOXML wing (and the guard, which checks
every input before it is parsed); click only in the CLI.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "formkit"

CORE = "core"
ALLOWED: dict[str, set[str]] = {
    CORE: set(),
    "ooxml": {CORE},
    "register": {CORE, "ooxml"},
    "documents": {CORE, "ooxml", "register"},
    "forms": {CORE, "ooxml", "register", "documents"},
    "letters": {CORE, "ooxml", "register", "documents"},
    "records": {CORE, "ooxml", "register", "documents", "forms"},
    "provision": {CORE, "ooxml", "register", "documents", "forms", "records"},
    "cycle": {CORE, "ooxml", "register", "documents", "forms", "records", "letters", "provision"},
    "ehc": {CORE, "ooxml", "register", "documents", "forms", "records", "letters", "provision", "cycle"},
}
FACES = {"cli", "demo", "web"}
"""Faces present the library: they may use any wing, through its public names."""

XML_LIBRARIES = ("lxml", "xml", "defusedxml")
XML_ALLOWED = {"ooxml", "formkit.guard", "formkit.register.ctf"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. formkit.letters.pack
    target: str  # the absolute module imported, e.g. formkit.documents
    names: tuple[str, ...]
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(module: str, source: str, is_package: bool) -> list[Import]:
    """Every import in ``source`` (at any depth), with relative ones resolved."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(module, alias.name, (), node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = tuple(alias.name for alias in node.names)
            if target == "formkit":  # from formkit import audit, guard: each name is a module
                found += [Import(module, f"formkit.{name}", (), node.lineno) for name in names]
            else:
                found.append(Import(module, target, names, node.lineno))
    return found


def wing_of(module: str) -> str:
    if module == "formkit.__main__":
        return "cli"
    parts = module.split(".")
    if len(parts) >= 2 and (parts[1] in ALLOWED or parts[1] in FACES) and (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return CORE


def violations(imports: list[Import]) -> list[str]:
    """Each import that breaks the layering, as 'module:line: why'."""
    found = []
    for imp in imports:
        here, there = wing_of(imp.module), wing_of(imp.target)
        where = f"{imp.module}:{imp.line}"
        top = imp.target.split(".")[0]
        if top in XML_LIBRARIES and here != "ooxml" and imp.module not in XML_ALLOWED:
            found.append(f"{where}: imports {imp.target}; raw XML belongs in formkit/ooxml/")
        if top == "click" and here != "cli":
            found.append(f"{where}: imports click; only formkit/cli/ may")
        if top != "formkit" or here == there:
            continue
        if here not in FACES and there in FACES:
            found.append(f"{where}: imports {imp.target}, a face; the library never imports its faces")
        elif here not in FACES and there not in ALLOWED[here] and not (here == CORE and there == CORE):
            found.append(f"{where}: the {here} wing imports {imp.target} ({there}), which is not below it")
        if there != CORE and imp.target != f"formkit.{there}":
            found.append(f"{where}: imports {imp.target}; use the names formkit.{there} offers")
    return found


def package_imports() -> list[Import]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "_bundled" in path.parts:
            continue
        found += imports_of(module_name(path), path.read_text(encoding="utf-8"), path.name == "__init__.py")
    return found


def test_no_wing_reaches_up_or_deep_into_another():
    assert violations(package_imports()) == []


@pytest.mark.parametrize("module, source, why", [
    ("formkit.ooxml.controls", "from ..forms import PLACEHOLDERS\n", "which is not below it"),
    ("formkit.documents.check", "def f():\n    from ..letters import example_letter_context\n", "which is not below it"),
    ("formkit.letters.pack", "from ..documents.pdf import convert\n", "use the names formkit.documents offers"),
    ("formkit.forms.generate", "from lxml import etree\n", "raw XML belongs in formkit/ooxml/"),
    ("formkit.records.store", "import click\n", "only formkit/cli/ may"),
    ("formkit.errors", "from .register import load_register\n", "which is not below it"),
    ("formkit.provision.update", "from ..cli import main\n", "a face"),
])
def test_the_check_catches_each_kind_of_breach(module, source, why):
    found = violations(imports_of(module, source, is_package=False))
    assert len(found) == 1 and why in found[0], found


def test_what_is_allowed_passes_the_check():
    source = "from ..documents import CompiledTemplate\nfrom ..errors import LetterError\nfrom .pack import x\n"
    assert violations(imports_of("formkit.letters.mailing", source, is_package=False)) == []
    assert violations(imports_of("formkit.cli.letters", "from ..letters import generate_letters\n", False)) == []


def test_every_wing_names_what_it_offers():
    for wing in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file() and p.name in ALLOWED):
        init = ast.parse((wing / "__init__.py").read_text(encoding="utf-8"))
        assert ast.get_docstring(init), f"formkit/{wing.name}/__init__.py has no docstring saying what the wing is"
        exported = next((node.value for node in init.body if isinstance(node, ast.Assign)
                         and any(getattr(t, "id", None) == "__all__" for t in node.targets)), None)
        assert isinstance(exported, ast.List) and exported.elts, f"formkit/{wing.name} has no __all__"
        module = __import__(f"formkit.{wing.name}", fromlist=["__all__"])
        missing = [name for name in module.__all__ if not hasattr(module, name)]
        assert missing == [], f"formkit.{wing.name}.__all__ names what it does not have: {missing}"


def test_modules_stay_small():
    big = {module_name(p): n for p in PACKAGE.rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 520}
    assert big == {}, "split these where a seam shows (docs/architecture.md)"
