"""WordprocessingML names: the namespaces and tags the OOXML wing works with,
and the prompts Word shows in an empty content control."""

from __future__ import annotations

import re

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
W = f"{{{W_NS}}}"
W14 = f"{{{W14_NS}}}"
NS_DECLS = f'xmlns:w="{W_NS}" xmlns:w14="{W14_NS}"'

SDT, SDT_PR, SDT_CONTENT = f"{W}sdt", f"{W}sdtPr", f"{W}sdtContent"
TBL, TR, TC, P, R, T = f"{W}tbl", f"{W}tr", f"{W}tc", f"{W}p", f"{W}r", f"{W}t"
TAB, BR, CR = f"{W}tab", f"{W}br", f"{W}cr"
FLD_CHAR, INSTR, FF_DATA = f"{W}fldChar", f"{W}instrText", f"{W}ffData"
VAL = f"{W}val"
PLACEHOLDER_STYLE = "PlaceholderText"
CHECKED, UNCHECKED = "\u2612", "\u2610"
TICKS = frozenset({"\u2713", "\u2714", "\u2611", "\u2612", "\u25a0", "x", "yes", "y"})
WRAPPERS = (SDT, SDT_CONTENT, f"{W}customXml", f"{W}smartTag")
LEGACY_BLANK = re.compile(r"^[\u2002\u00a0 ]*$")

TEXT_PLACEHOLDER = "Click or tap here to enter text."
DATE_PLACEHOLDER = "Click or tap to enter a date."
CHOICE_PLACEHOLDER = "Choose an item."
PLACEHOLDERS = frozenset({TEXT_PLACEHOLDER, DATE_PLACEHOLDER, CHOICE_PLACEHOLDER,
                          "Click here to enter text.", "Click here to enter a date.", "Enter text."})
"""Prompts Word, LibreOffice and older templates show in an empty control: a
control whose text is one of these is read as empty."""
BLANK_PROMPT = "\u00a0" * 16
"""What an unanswered control of a form formkit writes shows instead of a prompt:
no-break spaces, so a printed blank form has a clean box where the answer goes
(no "Click or tap here to enter text."), while the control keeps its place and
its "placeholder showing" flag, so clicking it in Word or LibreOffice selects it
and typing replaces it. Blank text, so it is read as empty."""
