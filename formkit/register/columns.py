"""The register's columns: each field formkit reads, the headings schools and MIS
exports give it, the fields a row must have, and the limits a register's data is
held to. docs/register.md lists them for SENCos."""

from __future__ import annotations

_UPN = ("UPN", "Unique Pupil Number", "Pupil UPN")

REGISTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": _UPN,
    "legal_surname": ("Legal Surname", "Surname", "Last Name", "Family Name"),
    "legal_forename": ("Legal Forename", "Forename", "First Name", "Given Name", "Legal First Name"),
    "preferred_forename": ("Preferred Forename", "Preferred First Name", "Known As", "Preferred Name"),
    "preferred_surname": ("Preferred Surname", "Preferred Last Name"),
    "dob": ("DOB", "Date of Birth", "Birth Date"),
    "year": ("Year", "NC Year", "Year Group", "National Curriculum Year", "Curriculum Year"),
    "class_name": ("Reg Group", "Class", "Form", "Registration Group", "Reg"),
    "sen_status": ("SEN Status", "SEN Provision", "SEN", "SEN Stage"),
    "primary_need": ("Primary Need", "SEN Need 1", "Primary SEN Type", "SEN Type 1", "Need 1", "Primary Need Type"),
    "secondary_need": ("Secondary Need", "SEN Need 2", "Secondary SEN Type", "SEN Type 2", "Need 2"),
    "pronouns": ("Pronouns", "Gender", "Sex"),
    "date_added": ("Date Added", "Date Added to Register", "SEN Start Date"),
    "class_teacher": ("Class Teacher", "Teacher"),
    "strengths": ("Strengths", "Areas of Strength"),
    "concerns": ("Concerns", "Areas of Concern"),
    "parents_can_support": ("Parents Can Support By", "Home Support", "Support at Home"),
}
REGISTER_REQUIRED = {"upn", "legal_surname", "legal_forename", "dob", "year", "sen_status"}

TARGET_COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": _UPN,
    "target": ("Target", "SMART Target"),
    "area": ("Area", "Area of Need"),
    "achievement_criteria": ("Achievement Criteria", "Success Criteria"),
    "resources": ("Resources", "Resources and Techniques", "Possible Resources & Techniques", "Techniques"),
    "strategies": ("Strategies", "Class Strategies", "Class Strategies/Support", "Possible Class Strategies/Support"),
    "baseline": ("Baseline %", "Baseline"),
    "half_term": ("Half-term Achieved %", "Half Term %"),
    "achieved": ("Target Achieved %", "Achieved %"),
    "outcome": ("Outcome",),
}
TARGET_REQUIRED = {"upn", "target"}
DRAFT_FROM = "From"
"""The column ``formkit targets next`` writes beside each target, saying where it
came from; a row with only its UPN and this is a row left for a new target."""

CONTACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": _UPN,
    "name": ("Contact Name", "Name", "Carer Name", "Parent Name"),
    "relationship": ("Relationship",),
    "parental_responsibility": ("Parental Responsibility", "PR"),
    "salutation": ("Salutation", "Addressee"),
    "address": ("Address",),
    **{f"address_{n}": (f"Address Line {n}", f"Address {n}") for n in range(1, 5)},
    "town": ("Town",),
    "county": ("County",),
    "postcode": ("Postcode", "Post Code"),
    "email": ("Email", "Email Address"),
    "phone": ("Phone", "Telephone", "Phone Number", "Mobile"),
    "home_language": ("Home Language", "Language", "First Language"),
    "receives_mail": ("Receives Mail", "Correspondence", "Mail"),
}
CONTACT_REQUIRED = {"upn", "name"}

MAX_TARGETS = 4
MAX_AGE = 25
