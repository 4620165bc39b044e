"""The forms formkit generates and reads: every field's name, label, type and place.

Five forms, each a :class:`FormDef`:

- ``referral``: "Request for SEND or PASTORAL support" (seed 003, Appendix A);
- ``iep-review``: the review of a pupil's IEP targets, with the decision;
- ``impact``: the intervention impact form (seed 002);
- ``parent-views``: the family's views for an EHC plan's annual review;
- ``pupil-views``: the child's own views for it ("My views"), in simple words,
  with room to draw and to say who wrote down what the child said.

A :class:`FieldDef` says what a field holds (its ``type``), the label printed
beside it (``label``) and the other label texts schools use for it (``labels``),
and where its value sits relative to its label (``place``: the cell beside, or
the cell below). Reading uses all of this, so a form still reads after another
editor has dropped its content-control tags. Tick fields belong to a ``group``
(``areas_of_need``, ``concern_type``) and give that group's value when ticked.

Rating scales are configuration: ``[forms]`` in formkit.toml chooses the impact
scale and the progress scale (see :class:`FormsConfig`).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from ..codes import Area
from ..documents import BANDS
from ..errors import SettingsError
from ..settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FieldType = Literal["text", "long", "date", "choice", "tick", "integer", "number", "percent"]
Kind = Literal["referral", "iep-review", "impact", "parent-views", "pupil-views"]
KINDS: tuple[Kind, ...] = ("referral", "iep-review", "impact", "parent-views", "pupil-views")



@lru_cache(maxsize=4096)
def label_key(text: str) -> str:
    """A label as compared when reading: accents, case, punctuation and spacing
    ignored ("D.O.B" -> "dob", "Child's name:" -> "childs name")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("'", "").replace("\u2019", "").replace(".", "")
    return re.sub(r"[\W_]+", " ", text).strip()


@dataclass(frozen=True)
class Scale:
    """A rating scale: each item is (value stored in the record, text shown)."""

    name: str
    items: tuple[tuple[str, str], ...]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.items)

    def parse(self, text: str) -> str:
        """The scale value meant by ``text``: the value itself, the text shown,
        or text starting with the value ("+1 more than expected"); for a signed
        scale, an unsigned number means the positive value ("1" -> "+1").
        Raises ValueError listing the values."""
        key = label_key(text)
        raw = text.strip().replace("\u2212", "-").replace("\u2013", "-")
        signed = any(value[:1] in "+-" for value in self.values)
        if signed:
            head = re.match(r"[+-]?\d+(?![\d%-])", raw)
            if head:
                token = head.group(0)
                for value in self.values:
                    if token == value or (value.startswith("+") and token == value[1:]):
                        return value
        for value, shown in self.items:
            rest = shown[len(value):] if shown.startswith(value) and shown != value else shown
            if raw == value or (key and key in (label_key(value), label_key(shown), label_key(rest))):
                return value
        for value, shown in self.items:
            rest = shown[len(value):] if shown.startswith(value) and shown != value else shown
            if key and not signed and label_key(value) and key.startswith(label_key(value) + " "):
                return value
            if key and len(key) >= 4 and label_key(rest).startswith(key):
                return value
        listed = ", ".join(self.values)
        raise ValueError(f"'{text.strip()}' is not on the {self.name} scale; choose one of {listed}")


FIVE_POINT = Scale("five-point", (
    ("-2", "-2 Significantly less than expected"),
    ("-1", "-1 Less than expected"),
    ("0", "0 As expected"),
    ("+1", "+1 More than expected"),
    ("+2", "+2 Significantly more than expected"),
))
THREE_POINT = Scale("three-point", (
    ("Not achieved", "Not achieved"),
    ("Partially achieved", "Partially achieved"),
    ("Achieved", "Achieved"),
))
BAND_SCALE = Scale("bands", tuple((band, band) for band, _ in BANDS))
PRESETS = {scale.name: scale for scale in (FIVE_POINT, THREE_POINT, BAND_SCALE)}

DECISIONS = Scale("decision", tuple((d, d) for d in (
    "Continue with the current targets",
    "Set new targets",
    "Involve a specialist",
    "Request an EHC needs assessment",
    "Remove from the SEN register",
)))
VIEWS_HOW = Scale("how the views were given", tuple((h, h) for h in (
    "I wrote it myself",
    "An adult wrote down what I said",
    "I drew pictures",
    "I used symbols or my communication aid",
    "An adult who knows me well wrote it with me",
)))
ENTRY_MEASURES = (
    "Standardised score", "Reading age (months)", "Spelling age (months)", "Percentage",
    "Words read per minute", "Boxall Profile score", "Other",
)
CONCERNS = ("SEND", "PASTORAL")


def band_of(percent: int) -> str:
    """The seed 000 band of a percentage: 0 -> '0%', 30 -> '25-49%', 100 -> '100%+'."""
    for band, low in (("100%+", 100), ("75-99%", 75), ("50-74%", 50), ("25-49%", 25), ("1-24%", 1)):
        if percent >= low:
            return band
    return "0%"


@dataclass(frozen=True)
class FormsConfig:
    """``[forms]`` in formkit.toml: ``impact_scale`` and ``progress_scale`` are a
    preset name (five-point, three-point, bands) or a list of values; ``store``
    is the records database (relative to the workspace)."""

    impact_scale: Scale = FIVE_POINT
    progress_scale: Scale = BAND_SCALE
    store: str | None = None

    @classmethod
    def load(cls, settings: Settings | None) -> FormsConfig:
        if settings is None or settings.path is None:
            return cls()
        try:
            data = tomllib.loads(settings.path.read_text(encoding="utf-8")).get("forms", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return cls()  # load_settings has already read the file; it reports its own errors
        where = str(settings.path)
        if not isinstance(data, dict):
            raise SettingsError("[forms] must be a section", file=where)
        store = data.get("store")
        if store is not None and not isinstance(store, str):
            raise SettingsError('[forms] store must be a file name, e.g. "records.sqlite"', file=where)
        return cls(_scale(data.get("impact_scale"), FIVE_POINT, "impact_scale", where),
                   _scale(data.get("progress_scale"), BAND_SCALE, "progress_scale", where), store)


def _scale(value: object, default: Scale, key: str, where: str) -> Scale:
    if value is None:
        return default
    if isinstance(value, str) and value in PRESETS:
        return PRESETS[value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return Scale(key.replace("_", " "), tuple((v.strip(), v.strip()) for v in value))
    names = ", ".join(PRESETS)
    raise SettingsError(f"[forms] {key} must be one of {names}, or a list of values such as [\"low\", \"high\"]",
                        file=where)


@dataclass(frozen=True)
class FieldDef:
    """One field of a form.

    ``prefill`` is the template expression formkit fills it from (None: the
    teacher fills it). ``choices`` names the scale of a choice field
    ('impact_scale', 'progress_scale', 'decision', 'entry_measure'). ``row_with``
    tells two fields with the same label apart: this one's label shares a row
    with that field's label ("Date" beside "Reviewed by").
    """

    name: str
    label: str
    type: FieldType = "text"
    labels: tuple[str, ...] = ()
    prefill: str | None = None
    choices: str | None = None
    place: Literal["beside", "below"] = "beside"
    row_with: str | None = None
    group: str | None = None
    group_value: str | None = None

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(label_key(t) for t in (self.label, *self.labels)))


@dataclass(frozen=True)
class FormDef:
    """A form: its fields in layout order, the record it gives, and its title."""

    kind: Kind
    title: str
    file_kind: str
    titles: tuple[str, ...]
    fields: tuple[FieldDef, ...]
    record_fields: tuple[str, ...]
    key_fields: tuple[str, ...]
    target_fields: tuple[FieldDef, ...] = ()

    def field(self, name: str) -> FieldDef:
        return next(f for f in (*self.fields, *self.target_fields) if f.name == name)

    @property
    def filled_by_teacher(self) -> tuple[FieldDef, ...]:
        return tuple(f for f in (*self.fields, *self.target_fields) if f.prefill is None and f.name != "target")


_AREA_LABELS = {
    Area.COMMUNICATION: ("Communication and interaction", "area_communication", ("C&I", "Communication")),
    Area.COGNITION: ("Cognition and learning", "area_cognition", ("C&L", "Cognition")),
    Area.SEMH: ("Social, emotional and mental health", "area_semh", ("SEMH", "Social emotional and mental health")),
    Area.SENSORY: ("Sensory and/or physical needs", "area_sensory",
                   ("Sensory and physical development", "Sensory and physical needs", "Sensory/physical needs",
                    "Sensory and/or physical")),
}

REFERRAL = FormDef(
    kind="referral",
    title="Request for SEND or PASTORAL support",
    file_kind="Referral",
    titles=("Request for SEND or PASTORAL support", "Referral for SEND or pastoral support", "SEN referral form"),
    fields=(
        FieldDef("concern_send", "SEND", "tick", group="concern_type", group_value="SEND"),
        FieldDef("concern_pastoral", "PASTORAL", "tick", labels=("Pastoral",), group="concern_type",
                 group_value="PASTORAL"),
        FieldDef("child_name", "Child's name", labels=("Name", "Pupil's name", "Pupil name", "Name of child"),
                 prefill="pupil.name"),
        FieldDef("dob", "D.O.B", "date", labels=("Date of birth", "DOB", "Birth date"), prefill="pupil.dob"),
        FieldDef("upn", "UPN", labels=("Unique pupil number",), prefill="pupil.upn"),
        FieldDef("carer_name", "Name of carer", labels=("Carer", "Parent/carer", "Name of parent/carer",
                                                        "Parent or carer"), prefill="form.carer_name"),
        FieldDef("referral_date", "Date", "date", labels=("Date of referral", "Referral date")),
        FieldDef("referred_by", "Referred by", labels=("Referrer", "Name of referrer")),
        FieldDef("reasons", "Please provide clear reasons for referral with supporting evidence from classroom"
                 " practice", "long", labels=("Please provide clear reasons for referral", "Reasons for referral",
                                              "Reason for referral")),
        *(FieldDef(name, label, "tick", labels=extra, place="below", group="areas_of_need", group_value=area.value,
                   prefill=f"form.{name}") for area, (label, name, extra) in _AREA_LABELS.items()),
        FieldDef("interventions", "Please provide a list of all interventions that have taken place while the"
                 " child has been in your class", "long",
                 labels=("Please provide a list of all interventions", "Interventions so far",
                         "Interventions tried", "Interventions")),
        FieldDef("reviewed_by", "Reviewed by"),
        FieldDef("review_date", "Date", "date", labels=("Review date", "Date reviewed"), row_with="reviewed_by"),
        FieldDef("action_taken", "Action taken", "long", labels=("Action",)),
    ),
    record_fields=("upn", "child_name", "dob", "carer_name", "concern_type", "referral_date", "referred_by",
                   "reasons", "areas_of_need", "interventions", "reviewed_by", "review_date", "action_taken"),
    key_fields=("referral_date",),
)

TARGET_FIELDS = (
    FieldDef("number", "No.", "integer", labels=("Number", "No"), prefill="t.number", place="below"),
    FieldDef("target", "Target", "long", labels=("Targets", "SMART target"), prefill="t.target", place="below"),
    FieldDef("outcome", "Outcome", "long", labels=("Outcome at review",), place="below"),
    FieldDef("achieved_percent", "Achieved %", "percent",
             labels=("Target achieved %", "Achieved", "% achieved", "Achieved percent"),
             prefill="t.achieved", place="below"),
    FieldDef("band", "Band", "choice", labels=("Progress band", "Progress"), choices="progress_scale", place="below"),
    FieldDef("evidence", "Evidence", "long", labels=("Evidence of progress",), place="below"),
)

IEP_REVIEW = FormDef(
    kind="iep-review",
    title="IEP review",
    file_kind="IEP review",
    titles=("IEP review", "Review of IEP targets", "Individual Education Plan review", "SEN support plan review"),
    fields=(
        FieldDef("pupil_name", "Name", labels=("Pupil", "Pupil name", "Pupil's name", "Child's name"),
                 prefill="pupil.name"),
        FieldDef("dob", "DOB", "date", labels=("Date of birth", "D.O.B"), prefill="pupil.dob"),
        FieldDef("upn", "UPN", labels=("Unique pupil number",), prefill="pupil.upn"),
        FieldDef("review_date", "Review date", "date", labels=("Date of review", "Date"), prefill="iep.review_date"),
        FieldDef("pupil_views", "Pupil's views", "long", labels=("Pupil views", "Views of the pupil",
                                                                 "Child's views")),
        FieldDef("parent_views", "Parents' views", "long", labels=("Parent views", "Parents views",
                                                                   "Parent/carer views", "Views of parents")),
        FieldDef("next_steps", "Next steps", "long", labels=("Next step",)),
        FieldDef("decision", "Decision", "choice", choices="decision", labels=("Outcome of review",)),
        FieldDef("next_review_date", "Next review date", "date", labels=("Next review",)),
    ),
    target_fields=TARGET_FIELDS,
    record_fields=("upn", "pupil_name", "dob", "review_date", "targets", "pupil_views", "parent_views",
                   "next_steps", "decision", "next_review_date"),
    key_fields=("review_date",),
)

IMPACT = FormDef(
    kind="impact",
    title="Intervention impact form",
    file_kind="Impact",
    titles=("Intervention impact form", "Intervention impact", "Impact of intervention"),
    fields=(
        FieldDef("pupil_name", "Pupil", labels=("Pupil name", "Name", "Pupil's name", "Child's name"),
                 prefill="pupil.name"),
        FieldDef("upn", "UPN", labels=("Unique pupil number",), prefill="pupil.upn"),
        FieldDef("intervention", "Intervention", labels=("Intervention name", "Programme")),
        FieldDef("delivered_by", "Delivered by", labels=("Delivered by (name and role)", "Staff", "Led by")),
        FieldDef("start_date", "Start date", "date", labels=("Date started", "Started")),
        FieldDef("end_date", "End date", "date", labels=("Date ended", "Ended", "Finish date")),
        FieldDef("sessions_planned", "Sessions planned", "integer", labels=("Planned sessions",)),
        FieldDef("sessions_attended", "Sessions attended", "integer", labels=("Attended sessions", "Attended")),
        FieldDef("entry_measure", "Entry measure", "choice", choices="entry_measure",
                 labels=("Measure", "Assessment used", "Measure used")),
        FieldDef("entry_score", "Entry score", "number", labels=("Entry", "Score at entry", "Baseline")),
        FieldDef("exit_score", "Exit score", "number", labels=("Exit", "Score at exit")),
        FieldDef("impact_rating", "Impact rating", "choice", choices="impact_scale", labels=("Impact", "Rating")),
        FieldDef("comment", "Comment", "long", labels=("Comments",)),
        FieldDef("next_step", "Next step", "long", labels=("Next steps",)),
    ),
    record_fields=("upn", "pupil_name", "intervention", "delivered_by", "start_date", "end_date",
                   "sessions_planned", "sessions_attended", "entry_measure", "entry_score", "exit_score",
                   "impact_rating", "comment", "next_step"),
    key_fields=("intervention", "start_date"),
)

_CHILD = ("Child's name", ("Name", "Pupil", "Pupil's name", "Pupil name", "Name of child", "Child"))

PARENT_VIEWS = FormDef(
    kind="parent-views",
    title="Your views: parents and carers",
    file_kind="Parent views",
    titles=("Your views: parents and carers", "Your views", "Parent and carer views", "Parent/carer views",
            "Parents' views", "Parent carer contribution"),
    fields=(
        FieldDef("pupil_name", _CHILD[0], labels=_CHILD[1], prefill="pupil.name"),
        FieldDef("dob", "Date of birth", "date", labels=("DOB", "D.O.B"), prefill="pupil.dob"),
        FieldDef("upn", "UPN", labels=("Unique pupil number",), prefill="pupil.upn"),
        FieldDef("completed_by", "Your name", labels=("Completed by", "Name of parent/carer", "Parent/carer name",
                                                      "Parent or carer"), prefill="form.carer_name"),
        FieldDef("relationship", "Relationship to the child", labels=("Relationship",)),
        FieldDef("going_well", "What is going well for your child, at home and at school?", "long",
                 labels=("What is going well", "Going well", "What is working well"), place="below"),
        FieldDef("concerns", "What is not going so well, or worries you?", "long",
                 labels=("What is not going well", "What worries you", "Concerns", "Worries"), place="below"),
        FieldDef("changes", "What has changed for your child since the last review?", "long",
                 labels=("What has changed since the last review", "Changes since the last review",
                         "What has changed"), place="below"),
        FieldDef("aspirations", "What would you like your child to achieve next year, and when they are older?",
                 "long", labels=("Hopes for the future", "Aspirations", "What would you like your child to achieve"),
                 place="below"),
        FieldDef("plan_changes", "Is there anything in the EHC plan that you think should change?", "long",
                 labels=("Changes to the EHC plan", "Anything in the plan that should change"), place="below"),
        FieldDef("discuss", "Anything else you would like to talk about at the meeting", "long",
                 labels=("Anything else", "To discuss at the meeting"), place="below"),
        FieldDef("date", "Date", "date", labels=("Date completed", "Today's date")),
    ),
    record_fields=("upn", "pupil_name", "dob", "completed_by", "relationship", "going_well", "concerns", "changes",
                   "aspirations", "plan_changes", "discuss", "date"),
    key_fields=("date",),
)

PUPIL_VIEWS = FormDef(
    kind="pupil-views",
    title="My views",
    file_kind="My views",
    titles=("My views", "All about me: my views", "Pupil views", "Pupil's views", "Child's views",
            "My annual review"),
    fields=(
        FieldDef("pupil_name", "My name", labels=_CHILD[1] + (_CHILD[0],), prefill="pupil.name"),
        FieldDef("upn", "UPN", labels=("Unique pupil number",), prefill="pupil.upn"),
        FieldDef("like", "What I like at school", "long", labels=("What I like", "Things I like", "I like"),
                 place="below"),
        FieldDef("good_at", "What I am good at", "long", labels=("I am good at", "Things I am good at"),
                 place="below"),
        FieldDef("hard", "What I find hard", "long", labels=("What is hard", "Things I find hard", "I find hard"),
                 place="below"),
        FieldDef("helps", "What helps me", "long", labels=("Who and what helps me", "Things that help me"),
                 place="below"),
        FieldDef("future", "What I want to do next year, and when I am older", "long",
                 labels=("My future", "When I am older", "When I grow up"), place="below"),
        FieldDef("picture", "What my picture shows", "long", labels=("About my picture", "My picture"),
                 place="below"),
        FieldDef("how", "How I gave my views", "choice", choices="views_how", labels=("How", "How I did this")),
        FieldDef("helped_by", "Who helped me", labels=("Helped by", "Written by", "Adult who helped", "Scribe")),
        FieldDef("date", "Date", "date", labels=("Today's date", "Date completed")),
    ),
    record_fields=("upn", "pupil_name", "like", "good_at", "hard", "helps", "future", "picture", "how", "helped_by",
                   "date"),
    key_fields=("date",),
)

FORMS: dict[str, FormDef] = {form.kind: form for form in (REFERRAL, IEP_REVIEW, IMPACT, PARENT_VIEWS, PUPIL_VIEWS)}


def form_def(kind: str) -> FormDef:
    """The form called ``kind``; raises ValueError naming the kinds."""
    if kind not in FORMS:
        raise ValueError(f"'{kind}' is not a form formkit knows; use one of {', '.join(FORMS)}")
    return FORMS[kind]


def scale_for(choices: str | None, config: FormsConfig) -> Scale | None:
    if choices == "impact_scale":
        return config.impact_scale
    if choices == "progress_scale":
        return config.progress_scale
    if choices == "decision":
        return DECISIONS
    if choices == "views_how":
        return VIEWS_HOW
    return None


def choice_items(choices: str | None, config: FormsConfig) -> tuple[tuple[str, str], ...]:
    """(value, text shown) of a drop-down's list items."""
    if choices == "entry_measure":
        return tuple((m, m) for m in ENTRY_MEASURES)
    scale = scale_for(choices, config)
    return scale.items if scale else ()
