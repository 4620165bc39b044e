"""The EHC step of the demo: Ruby Clarke's annual review invitation, and the
evidence pack of her autumn term (one-page profile, IEP and review, agencies,
provision, progress), from the earlier steps' IEPs, records and provision map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

from ..ehc import PackReport, make_evidence_packs
from ..errors import ConversionError
from ..letters import LetterDetails, LetterReport, LetterRequest, generate_letters
from ..register import load_register
from ..resources import bundled
from ..settings import load_settings

PUPIL = "L801200025022"
"""Ruby Clarke, the sample pupil with an EHC plan, outcomes and professionals."""


@dataclass
class EhcDemo:
    """The invitation written, and the evidence pack (None without LibreOffice, with why)."""

    invite: LetterReport
    pack: PackReport | None
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.invite.ok and (self.pack is None or self.pack.ok)

    def text(self) -> str:
        written = self.invite.count("written")
        lines = [f"Annual review invitation: {written} letter{'' if written == 1 else 's'} in {self.invite.out}"]
        if self.pack is not None:
            for result in self.pack.results:
                lines.append(f"Evidence pack: {result.pdf} ({result.pages} pages); its parts are in {result.folder}")
        else:
            lines.append(f"No evidence pack: {self.note}")
        return "\n".join(lines)


def run_ehc_demo(out: Path) -> EhcDemo:
    """Into OUT/EHC/: the invitation to Ruby's annual review (a meeting five weeks
    after term starts), and her evidence pack at the end of the autumn term, from
    OUT/IEPs, OUT/records.sqlite and 'OUT/Provision map.xlsx'."""
    settings = load_settings(None, cwd=bundled("samples"))
    register = load_register(bundled("samples", "register.xlsx"), column_map=settings.column_map)
    first = min(settings.school.terms, key=lambda t: t.start)
    meeting = LetterDetails(meeting_date=first.start + timedelta(days=33), meeting_time=time(14, 0),
                            meeting_place="the SENCo's office")
    invite = generate_letters(register, settings, out / "EHC" / "Letters", LetterRequest(
        "annual_review_invite", term=first.name, letter_date=first.start, only=[PUPIL], details=meeting,
        overwrite=True))
    try:
        pack = make_evidence_packs(register, settings, out / "EHC", only=[PUPIL], store=out / "records.sqlite",
                                   provision_map=out / "Provision map.xlsx", ieps=[out / "IEPs"],
                                   today=first.review_date + timedelta(days=1), overwrite=True)
    except ConversionError as exc:
        return EhcDemo(invite, None, exc.message)
    return EhcDemo(invite, pack)


__all__ = ["EhcDemo", "run_ehc_demo"]
