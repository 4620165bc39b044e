"""The dates that are due as a calendar file (iCalendar, RFC 5545), written with
the ``icalendar`` library.

Each date is an all-day event whose title says what is due and names the pupil
by initials and UPN only ("IEP review and meeting with parents: D.O.
(C801200024004)"): a calendar is shared, synced and shown on phones, so it never
holds a pupil's name or needs. Events keep the same UID when the file is made
again, so a calendar that imports it again updates them rather than adding copies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..documents import uk_date
from ..errors import OutputError
from ..files import atomic_write
from .due import DueItem

PRODID = "-//formkit//formkit due//EN"


def calendar_bytes(items: Sequence[DueItem], *, school: str = "", now: datetime | None = None) -> bytes:
    """``items`` as an iCalendar file: one all-day event each, in date order."""
    from icalendar import Calendar, Event  # only when a calendar is asked for: keeps start-up quick

    stamp = now or datetime.now(timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"SEN dates{' - ' + school if school else ''}")
    for item in sorted(items, key=lambda i: (i.day, i.upn, i.kind)):
        event = Event()
        key = f"{item.kind}|{item.upn}|{item.day.isoformat()}".encode()
        event.add("uid", f"{hashlib.sha256(key).hexdigest()[:32]}@formkit")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", item.event)
        event.add("description", f"Due {uk_date(item.day)}. From formkit due; the pupil is named by initials and"
                                 " UPN only.")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def write_calendar(path: Path, items: Sequence[DueItem], *, school: str = "", now: datetime | None = None) -> int:
    """Write ``items`` to ``path`` (whole, readable by its owner only); returns
    the number of events. Raises OutputError when the folder is not there."""
    if not path.parent.is_dir():
        raise OutputError("the folder for the calendar file does not exist; make it first or choose another place",
                          file=str(path))
    try:
        atomic_write(path, calendar_bytes(items, school=school, now=now))
    except OSError as exc:
        raise OutputError(f"cannot write the calendar file ({exc.strerror})", file=str(path)) from None
    return len(items)


__all__ = ["calendar_bytes", "write_calendar"]
