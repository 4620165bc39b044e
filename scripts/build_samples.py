"""Build the sample SEN register shipped in samples/.

Writes samples/register.xlsx (sheets "SEN Register", "Targets", "Contacts",
"Profiles", "Professionals", "EHCP outcomes") and
samples/register.csv (the "SEN Register" sheet alone, as an MIS CSV export).

Every pupil, parent, address and e-mail here is invented: the school is the
fictional Hollybrook Primary School in the fictional town of Exampleton. No real
data may ever be added. The script uses no randomness and pins the workbook's
timestamps, so running it twice gives byte-identical files:

    python scripts/build_samples.py            # writes into samples/
    python scripts/build_samples.py OUT_DIR    # writes somewhere else
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from stdnum.gb import upn as stdnum_upn

SCHOOL = "Hollybrook Primary School"
EXPORT_DAY = date(2026, 9, 2)
TITLE = f"SEN register export \u2013 {EXPORT_DAY:%d/%m/%Y}"
LA_CODE = "801"
ESTAB = "2000"
DATE_FORMAT = "dd/mm/yyyy"
FIXED_STAMP = datetime(2026, 9, 2, 8, 15, 0)

REGISTER_HEADERS = [
    "UPN", "Legal Surname", "Legal Forename", "Preferred Forename", "DOB", "Year",
    "Reg Group", "SEN Status", "Primary Need", "Secondary Need", "Pronouns",
    "Date Added", "Class Teacher", "Strengths", "Concerns", "Parents Can Support By",
]
TARGET_HEADERS = [
    "UPN", "Pupil", "Area", "Target", "Achievement Criteria", "Resources",
    "Strategies", "Baseline %",
]
CONTACT_HEADERS = [
    "UPN", "Contact Name", "Relationship", "Parental Responsibility", "Salutation",
    "Address Line 1", "Address Line 2", "Town", "Postcode", "Email",
    "Home Language", "Receives Mail",
]

STATUS_TEXT = {"K": "K - SEN Support", "E": "E - EHC Plan", "N": "N - No SEN"}

# Census SEN type -> broad area of need (as formkit.codes.Area spells them).
C_I = "Communication and interaction"
C_L = "Cognition and learning"
SEMH = "Social, emotional and mental health"
S_P = "Sensory and/or physical needs"
AREA = {"SLCN": C_I, "ASD": C_I, "SPLD": C_L, "MLD": C_L, "SEMH": SEMH, "HI": S_P, "VI": S_P, "PD": S_P}

# One class per year group, two in Year 3. Reg group -> class teacher.
CLASSES = {
    "RB": "Miss Bennett",
    "1P": "Mr Patel",
    "2K": "Mrs Kaur",
    "3H": "Mrs Hughes",
    "3S": "Mr Sutherland",
    "4W": "Miss Williams",
    "5D": "Mr Dunmore",
    "6L": "Ms Lawrence",
}


@dataclass
class Contact:
    name: str
    relationship: str
    salutation: str
    address: tuple[str, str, str]  # line 1, line 2, postcode ("" when none)
    email: str = ""
    language: str = "English"
    pr: bool = True
    mail: bool = True


@dataclass
class Pupil:
    forename: str
    surname: str
    dob: date
    reg: str
    status: str  # K, E, N
    pronouns: str
    preferred: str = ""
    primary: str = ""
    secondary: str = ""
    added: date | None = None
    strengths: str = ""
    concerns: str = ""
    parents: str = ""
    # (need code giving the area, target, achievement criteria, resources, strategies, baseline %)
    targets: list[tuple[str, str, str, str, str, int]] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    upn: str = ""

    @property
    def year(self) -> int:
        return 0 if self.reg.startswith("R") else int(self.reg[0])

    @property
    def year_text(self) -> str:
        return "R" if self.year == 0 else f"Y{self.year}"

    @property
    def name(self) -> str:
        return f"{self.preferred or self.forename} {self.surname}"


# Addresses: (line 1, line 2, postcode). All in the invented town of Exampleton.
NO_ADDRESS = ("", "", "")

PUPILS: list[Pupil] = [
    # ---------------------------------------------------------------- Reception
    Pupil(
        "Zoë", "Whitmore", date(2022, 3, 14), "RB", "K", "she", primary="SLCN",
        added=date(2026, 7, 8),
        strengths="Loves role play & the home corner; kind to younger children.",
        concerns="Speaks in one or two words; nursery report shows language delay.",
        parents="Sharing a picture book each evening and naming what Zoë points to.",
        targets=[
            ("SLCN", "To use a three-word sentence to ask an adult for something she needs",
             "Uses a three-word sentence without a model 8 out of 10 times across one week",
             "Colourful Semantics (who, what doing); Talk Boost Early Years",
             "Adults model three-word phrases; wait 10 seconds for a reply; Now & Next board", 20),
            ("SLCN", "To answer simple 'who' and 'what' questions about a picture book",
             "Answers 4 out of 5 who/what questions correctly in a 1:1 story session",
             "Picture books, question-word cards, puppets",
             "Visual prompts for question words; reduce adult talk; repeat and expand her answers", 30),
            ("SLCN", "To listen to a small-group story for 5 minutes",
             "Attends for 5 minutes in 4 out of 5 group sessions",
             "Attention Autism 'bucket time', sand timer",
             "Seat next to an adult; say her name before an instruction", 25),
        ],
        contacts=[
            Contact("Joanne Whitmore", "Mother", "Mrs Whitmore", ("14 Linden Road", "", "EX4 7QT"),
                    "jo.whitmore@example.com"),
            Contact("Daniel Whitmore", "Father", "Mr Whitmore", ("14 Linden Road", "", "EX4 7QT"),
                    "dan.whitmore@example.com"),
        ],
    ),
    Pupil(
        "Tobiah", "Mensah", date(2021, 11, 2), "RB", "N", "he",
        contacts=[
            Contact("Abena Mensah", "Mother", "Ms Mensah", ("Flat 6, Harbour View", "Quay Street", "EX2 3LP"),
                    "abena.mensah@example.com"),
        ],
    ),
    Pupil(
        "Aarav", "Chaudhry", date(2022, 7, 29), "RB", "K", "he", primary="SLCN",
        added=date(2026, 6, 24),
        strengths="Builds detailed models; counts confidently to 20.",
        concerns="Speech is hard for unfamiliar adults to understand; gets upset when not understood.",
        parents="Playing the speech-sound games from the therapy pack for 5 minutes a day.",
        targets=[
            ("SLCN", "To say the 'k' and 'g' sounds at the start of words",
             "Says k/g correctly in 8 out of 10 picture words in a 1:1 session",
             "NHS speech therapy programme; picture cards; mirror",
             "Model the correct word back without asking him to repeat it; praise attempts", 10),
            ("SLCN", "To join in with a familiar nursery rhyme in a group",
             "Joins in with at least 3 key words in 4 out of 5 sessions",
             "Nursery rhyme bag with props",
             "Talk & sing daily; pause for him to fill in the missing word", 40),
            ("SLCN", "To take turns in a simple game with one friend and an adult",
             "Waits for his turn in a 5-minute game on 4 out of 5 occasions",
             "Turn-taking games (Pop-up Pirate, Shopping List); 'my turn, your turn' card",
             "Use the 'my turn, your turn' visual; praise waiting", 35),
        ],
        contacts=[
            Contact("Priya Chaudhry", "Mother", "Mrs Chaudhry", ("9 Orchard Way", "", "EX3 5NB"),
                    "priya.chaudhry@example.com"),
            Contact("Vikram Chaudhry", "Father", "Mr Chaudhry", ("9 Orchard Way", "", "EX3 5NB"),
                    "vikram.chaudhry@example.com"),
        ],
    ),
    # ---------------------------------------------------------------- Year 1
    Pupil(
        "Łukasz", "Nowak", date(2020, 10, 19), "1P", "K", "he", primary="SLCN",
        added=date(2026, 1, 19),
        strengths="Enthusiastic in PE; good at puzzles and sorting.",
        concerns="Speech therapist found delayed understanding in Polish and English; misses instructions.",
        parents="Reading and talking about stories in Polish at home; using the word list sent home.",
        targets=[
            ("SLCN", "To follow a two-part instruction in class without a visual prompt",
             "Follows two-part instructions 8 out of 10 times across one week",
             "Barrier games; Language for Thinking",
             "Say his name first; instructions chunked; check understanding by asking him to repeat", 30),
            ("SLCN", "To learn and use 5 new topic words each half term",
             "Uses 4 of the 5 topic words correctly in talk or writing by the review",
             "Word Aware; topic word mats with pictures; Polish-English word list shared with home",
             "Pre-teach topic words; picture word wall; Talk & draw before writing", 20),
            ("SLCN", "To retell a simple story in three parts using 'first, next, last'",
             "Retells in three parts with picture prompts in 3 out of 4 sessions",
             "Story sequencing cards; Colourful Semantics",
             "Story map on his table; talk partner; accept first answers in Polish", 15),
        ],
        contacts=[
            Contact("Katarzyna Nowak", "Mother", "Mrs Nowak", ("27 Beech Grove", "", "EX6 2RD"),
                    "kasia.nowak@example.com", "Polish"),
            Contact("Piotr Nowak", "Father", "Mr Nowak", ("27 Beech Grove", "", "EX6 2RD"),
                    "piotr.nowak@example.com", "Polish"),
        ],
    ),
    Pupil(
        "Amelia-Rose", "Turner", date(2021, 1, 8), "1P", "N", "she",
        contacts=[
            Contact("Kelly Turner", "Mother", "Miss Turner", ("52 Church Street", "", "EX2 9FA"),
                    "kelly.turner@example.com"),
        ],
    ),
    Pupil(
        "Ruby", "Clarke", date(2021, 5, 23), "1P", "E", "she", primary="ASD", secondary="SLCN",
        added=date(2025, 9, 3),
        strengths="Excellent memory for facts about trains and animals; enjoys music.",
        concerns="Distressed by changes to routine and noisy spaces; few words to ask for help.",
        parents="Using the same Now & Next board at home and warning Ruby of changes the night before.",
        targets=[
            ("ASD", "To use her visual timetable to move between activities calmly",
             "Moves to the next activity with one verbal prompt in 8 out of 10 transitions across one week",
             "Visual timetable; Now & Next board; 2-minute warning timer",
             "Warn before transitions; keep routines the same; quiet route to her workstation", 40),
            ("SLCN", "To ask for help using her help card or the words 'help please'",
             "Asks for help without a prompt 4 times a day across one week",
             "Help card; PECS book; Intensive Interaction",
             "Adults wait rather than step in; model 'help please'; praise every request", 20),
            ("ASD", "To play a structured game with one friend for 5 minutes",
             "Plays for 5 minutes with adult support to start in 3 out of 4 sessions",
             "Lego-based therapy; sand timer; turn card",
             "Structured play at lunchtime; games built on her interests (trains, animals)", 25),
            ("ASD", "To show her break card to ask for a movement break",
             "Uses the card before becoming upset on 3 out of 5 days",
             "Sensory circuit; ear defenders; break card",
             "Timetabled sensory breaks; reduce classroom noise; quiet corner", 10),
        ],
        contacts=[
            Contact("Helen Clarke", "Mother", "Mrs Clarke", ("7 Kingfisher Drive", "", "EX5 4HS"),
                    "helen.clarke@example.com"),
            Contact("Simon Clarke", "Father", "Mr Clarke", ("7 Kingfisher Drive", "", "EX5 4HS"),
                    "simon.clarke@example.com"),
        ],
    ),
    # ---------------------------------------------------------------- Year 2
    Pupil(
        "Declan", "O'Connor", date(2020, 2, 11), "2K", "K", "he", primary="SPLD",
        added=date(2026, 2, 9),
        strengths="Full of ideas when talking; great sense of humour; keen footballer.",
        concerns="Reading and spelling well below age-related expectations despite phonics catch-up.",
        parents="Practising the word cards for 5 minutes each day; reading his phonics book aloud.",
        targets=[
            ("SPLD", "To read and spell the 20 Year 2 common exception words from the class list",
             "Reads 20 out of 20 and spells 15 out of 20 in the weekly check over three weeks",
             "Precision teaching, word cards, Nessy",
             "Word mat on his table; spellings taught in small steps; overlearning", 35),
            ("SPLD", "To read words with the sounds 'ai', 'ee', 'igh' and 'oa'",
             "Reads 9 out of 10 decodable words with these sounds in a 1:1 check",
             "Phonics catch-up 3 x 10 minutes a week; sound mats; decodable books",
             "Sound mat on the table; pre-teach key words", 45),
            ("SPLD", "To write a sentence with a capital letter, finger spaces and a full stop",
             "Writes 3 correct sentences in 4 out of 5 independent writing tasks",
             "Sentence checklist card; Clicker",
             "Talk & draw before writing; say the sentence aloud first; checklist on desk", 40),
        ],
        contacts=[
            Contact("Karen O'Connor", "Mother", "Ms O'Connor", ("3 Rowan Close", "", "EX3 8HJ"),
                    "karen.oconnor@example.com"),
            Contact("Liam O'Connor", "Father", "Mr O'Connor", ("Flat 2", "41 Station Road", "EX5 1DW"),
                    "liam.oconnor@example.com"),
        ],
    ),
    Pupil(
        "Hafsa", "Ahmed", date(2019, 9, 30), "2K", "K", "she", primary="HI",
        added=date(2024, 9, 4),
        strengths="Neat, careful work; a caring friend; loves drawing.",
        concerns="Moderate hearing loss in both ears; misses instructions in noisy lessons.",
        parents="Checking hearing aid batteries each morning; talking about the week's new words.",
        targets=[
            ("HI", "To wear her hearing aids all day and tell an adult if they stop working",
             "Tells an adult about a flat battery or whistling on 4 out of 5 occasions across two weeks",
             "Radio aid; hearing aid care kit; Teacher of the Deaf visits",
             "Teacher wears the radio aid microphone; daily listening check at registration", 50),
            ("SLCN", "To ask for an instruction to be repeated when she has not heard it",
             "Asks 'Can you say that again please?' 3 times a week without a prompt",
             "Prompt card; role play with TA",
             "Seat near the front, away from the door; face the class when speaking; check understanding", 15),
            ("HI", "To learn 5 new topic words each week",
             "Uses 4 of the 5 words in a spoken sentence by Friday",
             "Pre-teaching with TA; topic word mat; subtitles on videos",
             "Pre-teach vocabulary; pictures alongside speech; subtitles always on", 30),
        ],
        contacts=[
            Contact("Nadia Ahmed", "Mother", "Mrs Ahmed", ("118 Marlborough Street", "", "EX1 6GT"),
                    "nadia.ahmed@example.com", "Urdu"),
            Contact("Tariq Ahmed", "Father", "Mr Ahmed", ("118 Marlborough Street", "", "EX1 6GT"),
                    "tariq.ahmed@example.com", "Urdu"),
        ],
    ),
    Pupil(
        "Jayden", "Smith-Nwosu", date(2020, 6, 17), "2K", "K", "he", primary="SEMH",
        added=date(2025, 11, 17),
        strengths="Energetic and sporty; loves being given a job; good at maths games.",
        concerns="Leaves his seat and the classroom when frustrated; falls out with friends at lunchtime.",
        parents="Using the same feelings words at home and praising him when he calms himself.",
        targets=[
            ("SEMH", "To use the calm corner and a 5-point scale to name a feeling before returning to learning",
             "Names the feeling and returns within 10 minutes on 4 out of 5 occasions across one week",
             "Zones of Regulation; 5-point scale; calm corner; sand timer",
             "Pre-agreed signal; adult names the feeling calmly; praise the return to learning", 20),
            ("SEMH", "To stay on the carpet for the 15-minute class input",
             "Stays for 15 minutes with fewer than 3 reminders in 8 out of 10 sessions",
             "Wobble cushion; fidget; movement break card",
             "Movement break before carpet time; seat at the end of a row; specific praise", 30),
            ("SEMH", "To play a team game at lunchtime and accept losing",
             "Finishes the game without leaving or arguing in 3 out of 4 sessions",
             "Lunchtime social group; social story about winning & losing",
             "Rehearse what to say when you lose; adult nearby at lunchtime", 25),
        ],
        contacts=[
            Contact("Tanya Smith", "Mother", "Ms Smith", ("21 Saxon Road", "", "EX7 3PL"),
                    "tanya.smith@example.com"),
            Contact("Patricia Smith", "Grandmother", "Mrs Smith", ("4 Tannery Lane", "", "EX7 5JW"),
                    "", pr=False, mail=False),
        ],
    ),
    Pupil(
        "Isla", "Fraser", date(2019, 12, 4), "2K", "N", "she",
        contacts=[
            Contact("Fiona Fraser", "Mother", "Mrs Fraser", ("16 Meadow Rise", "", "EX4 2UZ"),
                    "fiona.fraser@example.com"),
        ],
    ),
    # ---------------------------------------------------------------- Year 3
    Pupil(
        "Alexander", "Pembridge", date(2019, 4, 2), "3H", "K", "he", preferred="Alex", primary="SPLD",
        added=date(2025, 6, 16),
        strengths="Articulate, with a wide vocabulary; loves science and building things.",
        concerns="Dyslexic profile: slow word reading; spelling much weaker than his spoken language.",
        parents="Reading to Alex and taking turns to read pages; playing spelling games from Nessy.",
        targets=[
            ("SPLD", "To read 30 of the Year 3/4 statutory spelling words on sight",
             "Reads 30 words in under 2 minutes on a precision teaching probe on 3 days running",
             "Precision teaching, word cards, Nessy",
             "Words on a ring in his tray; daily 5-minute practice; multi-sensory spelling", 25),
            ("SPLD", "To use a word mat and phoneme frame to spell unknown words",
             "Uses the frame without a prompt in 4 out of 5 writing lessons",
             "Phoneme frames; Toe by Toe; Wordshark",
             "Spelling not marked in first drafts; accept phonetic spellings; word bank", 30),
            ("SPLD", "To record his ideas on a voice recorder or Clicker before writing",
             "Records, then writes 4 sentences, in 3 out of 4 writing tasks",
             "Clicker 8; talking tin; laptop",
             "Alternative ways of recording; extra time; writing frame", 20),
        ],
        contacts=[
            Contact("Rachel Pembridge", "Mother", "Mrs Pembridge", ("33 Elm Avenue", "", "EX2 7BN"),
                    "rachel.pembridge@example.com"),
            Contact("James Pembridge", "Father", "Mr Pembridge", ("33 Elm Avenue", "", "EX2 7BN"),
                    "james.pembridge@example.com"),
        ],
    ),
    Pupil(
        "Chloé", "Martin", date(2018, 10, 27), "3H", "K", "she", primary="SEMH",
        added=date(2026, 3, 2),
        strengths="Creative writer; thoughtful and kind; works hard when settled.",
        concerns="Anxious at drop-off and before tests; stops talking in whole-class discussions.",
        parents="Keeping a calm morning routine and using the worry box at bedtime.",
        targets=[
            ("SEMH", "To come into class and start the morning task within 5 minutes",
             "Settles within 5 minutes on 8 out of 10 mornings across two weeks",
             "Meet & greet with TA at the gate; morning job; transition object",
             "Same adult at arrival; quiet entrance; praise privately", 30),
            ("SEMH", "To tell an adult when she feels worried using her worry monster or a feelings card",
             "Uses the card or worry monster 3 times a week without a prompt",
             "Worry monster; feelings cards; weekly ELSA sessions",
             "Lunchtime check-in; name feelings; keep changes predictable", 20),
            ("SEMH", "To answer a question in a group of four",
             "Answers once in each of 4 out of 5 group sessions",
             "Talk partners; small-group work; 'think time' card",
             "Tell her before she is asked; let her answer to a partner first; never put her on the spot", 10),
        ],
        contacts=[
            Contact("Sophie Martin", "Mother", "Ms Martin", ("2 Willow Court", "Brook Street", "EX6 8DX"),
                    "sophie.martin@example.com"),
        ],
    ),
    Pupil(
        "Bartosz", "Wiśniewski", date(2019, 8, 21), "3S", "K", "he", primary="MLD",
        added=date(2024, 1, 15),
        strengths="Cheerful and helpful; loves Lego and football; tries hard.",
        concerns="Working well below his year group in reading and maths; forgets new learning quickly.",
        parents="Practising number bonds with the cards sent home; reading his school book each day.",
        targets=[
            ("MLD", "To add two 2-digit numbers without crossing ten using a place value chart",
             "8 out of 10 sums correct in the weekly check",
             "Numicon; Dienes; place value chart",
             "Concrete resources always available; worked example on his desk; short tasks", 40),
            ("MLD", "To read a green band book with 90% accuracy",
             "90% accuracy on a running record by the review",
             "1:1 reading 3 times a week; Rapid Phonics",
             "Pre-read the text with TA; buddy reading", 50),
            ("MLD", "To recall number bonds to 10 within 3 seconds",
             "Recalls 9 out of 10 bonds in a timed check across one week",
             "Number bond cards; Numicon; Times Tables Rock Stars",
             "Daily 5-minute fluency practice; number line on his desk", 45),
            ("MLD", "To tell the time to o'clock and half past",
             "Reads 8 out of 10 clock times correctly",
             "Teaching clock; clock bingo",
             "Link to the times on the visual timetable; practise at home", 20),
        ],
        contacts=[
            Contact("Agnieszka Wiśniewska", "Mother", "Mrs Wiśniewska", ("45 Hawthorn Avenue", "", "EX8 1QR"),
                    "agnieszka.wisniewska@example.com", "Polish"),
            Contact("Marek Wiśniewski", "Father", "Mr Wiśniewski", ("45 Hawthorn Avenue", "", "EX8 1QR"),
                    "marek.wisniewski@example.com", "Polish"),
        ],
    ),
    Pupil(
        "Riley", "Parker-Evans", date(2018, 12, 15), "3S", "K", "they", primary="ASD",
        added=date(2024, 2, 5),
        strengths="Knows a huge amount about space and maps; honest; strong at maths.",
        concerns="Overwhelmed by noise and change; finds group work and starting tasks hard.",
        parents="Talking through the next day's timetable each evening.",
        targets=[
            ("ASD", "To use their Now & Next board to start an adult-directed task",
             "Starts the task with one prompt on 8 out of 10 occasions across one week",
             "Now & Next board; visual timetable; task boxes",
             "Use Riley's name and a short instruction; first/then language; processing time", 30),
            ("ASD", "To ask for a movement break with their break card before they become overwhelmed",
             "Uses the card without a prompt on 3 out of 5 days",
             "Break card; ear defenders; sensory circuit",
             "Timetabled movement breaks; quiet workspace; lower lighting near their desk", 15),
            ("ASD", "To talk with a classmate about a shared interest for 3 turns",
             "Takes 3 turns in 3 out of 4 social group sessions",
             "Lego-based therapy; Comic Strip Conversations; social stories",
             "Structured paired work; topics from their interests (space, maps)", 20),
        ],
        contacts=[
            Contact("Dana Parker-Evans", "Parent", "Ms Parker-Evans", NO_ADDRESS,
                    "dana.parker-evans@example.com"),
        ],
    ),
    Pupil(
        "Maryam", "Hussain", date(2019, 3, 9), "3H", "N", "she",
        contacts=[
            Contact("Shazia Hussain", "Mother", "Mrs Hussain", ("80 Greenfield Road", "", "EX1 4HE"),
                    "shazia.hussain@example.com", "Urdu"),
            Contact("Imran Hussain", "Father", "Mr Hussain", ("80 Greenfield Road", "", "EX1 4HE"),
                    "imran.hussain@example.com", "Urdu"),
        ],
    ),
    # ---------------------------------------------------------------- Year 4
    Pupil(
        "Anne-Marie", "D'Souza", date(2018, 1, 31), "4W", "K", "she", primary="SPLD", secondary="SLCN",
        added=date(2025, 1, 20),
        strengths="Confident performer in drama & music; good listener to others.",
        concerns="Slow, effortful reading and weak spelling; struggles to learn subject vocabulary.",
        parents="Paired reading for 10 minutes a day; playing the suffix card game.",
        targets=[
            ("SPLD", "To spell words with the suffixes '-ing' and '-ed' correctly",
             "Spells 8 out of 10 dictated words correctly in the weekly check over three weeks",
             "Precision teaching; Nessy spelling; suffix cards",
             "Multi-sensory spelling; look, say, cover, write, check; spelling rules card", 30),
            ("SPLD", "To read a Year 4 text aloud at 70 words per minute",
             "Reads at 70 words per minute in a one-minute timed read by the review",
             "Paired reading; repeated reading; coloured overlay",
             "Only ask her to read aloud to the class when she has prepared; pre-read texts", 45),
            ("SLCN", "To explain the meaning of 5 new science words",
             "Explains 4 of the 5 words in her own words at the end of the unit",
             "Word Aware; vocabulary maps; Talk & draw",
             "Pre-teach key vocabulary; word maps; check understanding", 20),
            ("SLCN", "To follow a three-part instruction in class",
             "Follows three-part instructions 8 out of 10 times across one week",
             "Language for Thinking; barrier games",
             "Instructions chunked; steps written on the whiteboard", 40),
        ],
        contacts=[
            Contact("Lorraine D'Souza", "Mother", "Mrs D'Souza", ("11 Cherry Tree Close", "", "EX9 3TN"),
                    "lorraine.dsouza@example.com"),
            Contact("Clive D'Souza", "Father", "Mr D'Souza", ("11 Cherry Tree Close", "", "EX9 3TN"),
                    "clive.dsouza@example.com"),
        ],
    ),
    Pupil(
        "Ibrahim", "Abdirahman", date(2017, 9, 12), "4W", "K", "he", primary="SLCN",
        added=date(2024, 10, 14),
        strengths="Friendly and popular; strong at number work; loves football.",
        concerns="Short, simple sentences; finds it hard to explain his thinking or answer 'why' questions.",
        parents="Asking Ibrahim to tell you about his day using 'because'; sharing stories in Somali.",
        targets=[
            ("SLCN", "To use 'because' to explain an answer in a full sentence",
             "Uses 'because' in a full sentence 4 out of 5 times in guided reading",
             "Colourful Semantics (why); sentence stems",
             "Sentence stems on his desk; adult models; talk partner first", 25),
            ("SLCN", "To answer 'why' and 'how' questions about a text read aloud",
             "Answers 3 out of 5 inference questions correctly",
             "Language for Thinking; Visualising & Verbalising",
             "Visual cues; give time; rephrase rather than repeat", 20),
            ("SLCN", "To learn and use 5 topic words each half term",
             "Uses 4 of the 5 words correctly in talk and writing",
             "Word Aware; topic word mats; Somali-English picture dictionary",
             "Pre-teach topic words; picture word wall", 30),
        ],
        contacts=[
            Contact("Hodan Warsame", "Mother", "Mrs Warsame", ("Flat 14, Castle House", "Castle Street", "EX2 5WA"),
                    "hodan.warsame@example.com", "Somali"),
            Contact("Abdirahman Jama", "Father", "Mr Jama", ("Flat 14, Castle House", "Castle Street", "EX2 5WA"),
                    "", "Somali"),
        ],
    ),
    Pupil(
        "Oliver", "Thompson", date(2018, 6, 5), "4W", "E", "he", primary="PD",
        added=date(2022, 9, 5),
        strengths="Determined and cheerful; loves quizzes and computing.",
        concerns="Cerebral palsy affects his balance and fine motor control; tires quickly when writing.",
        parents="Doing the physiotherapy exercises together each evening.",
        targets=[
            ("PD", "To write for 10 minutes using his writing slope and pencil grip",
             "Writes for 10 minutes with < 5 prompts in 4 out of 5 writing lessons",
             "Writing slope; triangular pencil grip; Clicker 8 on laptop",
             "Alternate handwriting and typing; extra time; rest breaks", 30),
            ("PD", "To complete his daily physiotherapy programme with his TA",
             "Completes all exercises on 4 out of 5 days each week",
             "NHS physiotherapy programme; therapy mat; wobble board",
             "Timetabled before lunch; visual checklist; praise effort", 60),
            ("PD", "To move between the classroom and the hall on his own with his walking frame",
             "Independent with an adult nearby on 8 out of 10 occasions",
             "Walking frame; clear routes; personal evacuation plan",
             "Leave class 2 minutes early; keep aisles clear", 50),
            ("PD", "To cut along a straight line with spring-loaded scissors",
             "Cuts within 5 mm of a 10 cm line in 3 out of 4 tries",
             "Spring-loaded scissors; thick lines; OT fine motor programme",
             "Fine motor warm-up before craft; adapted equipment always available", 35),
        ],
        contacts=[
            Contact("Claire Thompson", "Mother", "Mrs Thompson", ("6 Foxglove Walk", "", "EX4 9LY"),
                    "claire.thompson@example.com"),
            Contact("Ben Thompson", "Father", "Mr Thompson", ("6 Foxglove Walk", "", "EX4 9LY"),
                    "ben.thompson@example.com"),
        ],
    ),
    Pupil(
        "Freya", "Lindqvist", date(2017, 11, 20), "4W", "N", "she",
        contacts=[
            Contact("Emma Lindqvist", "Mother", "Mrs Lindqvist", ("29 Heron Way", "", "EX5 6SF"),
                    "emma.lindqvist@example.com"),
        ],
    ),
    # ---------------------------------------------------------------- Year 5
    Pupil(
        "José", "Ferreira", date(2017, 2, 28), "5D", "K", "he", primary="MLD",
        added=date(2023, 11, 6),
        strengths="Polite and hard-working; good at art; a loyal friend.",
        concerns="Working at around Year 2 in maths and writing; needs a lot of repetition.",
        parents="Practising times tables on Times Tables Rock Stars for 10 minutes a day.",
        targets=[
            ("MLD", "To recall the 2, 5 and 10 times tables in any order",
             "Answers 18 out of 20 mixed facts in 2 minutes across one week",
             "Times Tables Rock Stars; Numicon; multiplication grid",
             "Multiplication grid in lessons; daily 5-minute practice", 40),
            ("MLD", "To write a paragraph of 4 sentences on one topic using a writing frame",
             "Writes a 4-sentence paragraph in 3 out of 4 writing tasks",
             "Writing frames; Colourful Semantics; sentence openers",
             "Talk & draw first; shared plan; word bank", 35),
            ("MLD", "To read and follow a 3-step written instruction in maths",
             "Completes the steps without help in 4 out of 5 tasks",
             "Step-by-step cards; highlighters",
             "Numbered steps; check in after the first step", 30),
        ],
        contacts=[
            Contact("Ana Ferreira", "Mother", "Mrs Ferreira", ("63 Victoria Terrace", "", "EX3 2YG"),
                    "ana.ferreira@example.com", "Portuguese"),
            Contact("Rui Ferreira", "Father", "Mr Ferreira", ("63 Victoria Terrace", "", "EX3 2YG"),
                    "rui.ferreira@example.com", "Portuguese"),
        ],
    ),
    Pupil(
        "Siobhán", "Gallagher", date(2016, 9, 3), "5D", "K", "she", primary="SEMH",
        added=date(2025, 4, 28),
        strengths="Quick-witted; a talented singer; caring towards younger pupils.",
        concerns="Angry outbursts when things feel unfair; friendship fall-outs affect her learning.",
        parents="Talking calmly about what happened after school and using her calming card at home.",
        targets=[
            ("SEMH", "To notice when she is becoming angry and choose a calming strategy from her card",
             "Uses a strategy before leaving the room on 4 out of 5 occasions across two weeks",
             "Zones of Regulation; calming strategy card; ELSA",
             "Agreed signal; calm, low-language response; restorative chat afterwards", 25),
            ("SEMH", "To sort out a disagreement with a friend using 'I feel ... when ...'",
             "Uses the phrase with one prompt in 3 out of 4 disagreements",
             "Social skills group; restorative conversations; Comic Strip Conversations",
             "Adults model the phrase; lunchtime check-in; praise repairs", 15),
            ("SEMH", "To work independently on a task for 20 minutes",
             "Stays on task for 20 minutes in 8 out of 10 lessons",
             "Task board; timer; choice of 2 tasks",
             "Work broken into chunks; tick list; specific praise", 35),
        ],
        contacts=[
            Contact("Niamh Gallagher", "Mother", "Ms Gallagher", ("17 Chapel Row", "", "EX6 4MB"),
                    "niamh.gallagher@example.com"),
        ],
    ),
    Pupil(
        "Elizabeth", "Okonkwo", date(2017, 7, 14), "5D", "K", "she", preferred="Libby", primary="VI",
        added=date(2021, 9, 6),
        strengths="Excellent listener and reader of audiobooks; confident speaker.",
        concerns="Visual impairment: needs enlarged print and cannot read the board without aids.",
        parents="Practising touch-typing at home; reminding Libby to ask when she cannot see.",
        targets=[
            ("VI", "To use her enlarged print materials and writing slope without a reminder",
             "Gets out and uses her equipment without a prompt in 8 out of 10 lessons",
             "Enlarged print (N24); writing slope; task lamp; QTVI advice",
             "Enlarge all handouts; seat near the board, away from glare; describe what is shown", 50),
            ("VI", "To touch-type at 15 words per minute",
             "15 words per minute on a two-minute typing test by the review",
             "Touch-typing programme; laptop with magnifier",
             "3 x 15 minutes practice a week; accept typed work", 30),
            ("VI", "To ask for help when she cannot see the board or a resource",
             "Asks without a prompt 3 times a week",
             "Prompt card; tablet camera to view the board",
             "Check in at the start of tasks; teach her to speak up for herself", 20),
        ],
        contacts=[
            Contact("Ngozi Okonkwo", "Mother", "Mrs Okonkwo", ("8 Park Crescent", "", "EX7 8RS"),
                    "ngozi.okonkwo@example.com"),
            Contact("Emeka Okonkwo", "Father", "Mr Okonkwo", ("8 Park Crescent", "", "EX7 8RS"),
                    "emeka.okonkwo@example.com"),
        ],
    ),
    Pupil(
        "Sam", "Kirkwood", date(2016, 12, 29), "5D", "E", "they", primary="SEMH", secondary="ASD",
        added=date(2023, 6, 12),
        strengths="Inventive problem-solver; loves drawing comics & coding.",
        concerns="Struggles to stay in class; high anxiety shows as refusal; finds unplanned change very hard.",
        parents="Telling Sam about changes ahead of time and using the Zones words at home.",
        targets=[
            ("SEMH", "To stay in class for the whole morning with planned breaks",
             "Stays in class with 2 planned breaks on 8 out of 10 mornings across two weeks",
             "Break card; safe space (the Nest); visual timetable",
             "Key adult; predictable routine; 2-minute warning before changes", 40),
            ("SEMH", "To name their zone and choose a strategy with an adult",
             "Names the zone and a strategy 4 times a week",
             "Zones of Regulation; 5-point scale; ELSA",
             "All adults use the same words; calm, low demands when dysregulated", 30),
            ("SEMH", "To work alongside a classmate on a shared task for 10 minutes",
             "Works alongside for 10 minutes in 3 out of 4 sessions",
             "Lego-based therapy; paired tasks built on their interests",
             "Choose the partner carefully; clear roles; adult nearby", 20),
            ("ASD", "To accept a change to the timetable when told in advance",
             "Accepts the change with a social story and one prompt on 3 out of 4 occasions",
             "Social stories; 'change' card on the timetable",
             "Tell Sam about changes at the morning check-in; keep the key adult the same", 25),
        ],
        contacts=[
            Contact("Lisa Kirkwood", "Mother", "Ms Kirkwood", ("25 Tannery Lane", "", "EX7 5JX"),
                    "lisa.kirkwood@example.com"),
        ],
    ),
    Pupil(
        "Harrison", "Doyle", date(2017, 5, 6), "5D", "N", "he",
        contacts=[
            Contact("Gemma Doyle", "Mother", "Mrs Doyle", ("91 Greenfield Road", "", "EX1 4HF"),
                    "gemma.doyle@example.com"),
        ],
    ),
    # ---------------------------------------------------------------- Year 6
    Pupil(
        "Aurélie", "Lambert", date(2016, 4, 18), "6L", "K", "she", primary="SPLD",
        added=date(2022, 10, 3),
        strengths="Strong reasoning in maths; imaginative storyteller out loud.",
        concerns="Dyslexia: spelling and written organisation lag far behind her ideas; slow reader.",
        parents="Using the mind-map app for homework and reading the spelling log together.",
        targets=[
            ("SPLD", "To plan a piece of writing with a mind map before starting",
             "Plans with a mind map without a prompt in 4 out of 5 extended writing tasks",
             "Mind-map templates; Clicker 8; graphic organisers",
             "Extra time; shared planning; writing frame", 40),
            ("SPLD", "To spell 15 of 30 chosen Year 5/6 words (e.g. 'necessary', 'environment')",
             "Spells 15 of the 30 words correctly in the weekly dictation over three weeks",
             "Precision teaching; Nessy; mnemonics",
             "Personal spelling log; no copying from the board", 30),
            ("SPLD", "To read a test question twice and underline the key words",
             "Underlines the key words in 8 out of 10 questions",
             "Reading ruler; highlighters; practice papers",
             "Trial access arrangements (reader, extra time) in class", 35),
        ],
        contacts=[
            Contact("Céline Lambert", "Mother", "Mme Lambert", ("10 The Green", "", "EX8 6AE"),
                    "celine.lambert@example.com", "French"),
        ],
    ),
    Pupil(
        "Ioana", "Popescu", date(2015, 10, 7), "6L", "K", "she", primary="MLD",
        added=date(2021, 5, 10),
        strengths="Gentle and hard-working; loves animals; good at PE.",
        concerns="Working well below Year 6 in reading and maths; finds it hard to organise herself.",
        parents="Checking the homework diary each evening and packing her bag together.",
        targets=[
            ("MLD", "To add and subtract 4-digit numbers with the column method",
             "Gets 8 out of 10 correct in the weekly check",
             "Place value counters; squared paper; worked examples",
             "Concrete & visual resources; step cards; short tasks", 35),
            ("MLD", "To find the main idea in a paragraph of a Year 4 text",
             "Finds the main idea in 4 out of 5 paragraphs",
             "Reciprocal reading; highlighters; inference training",
             "Pre-teach vocabulary; read the text aloud to her first", 25),
            ("MLD", "To bring her reading book and homework on the right day",
             "Brings them on 8 out of 10 days over two weeks",
             "Homework diary; visual checklist shared with home",
             "Reminder at the end of the day; home-school diary", 40),
        ],
        contacts=[
            Contact("Elena Popescu", "Mother", "Mrs Popescu", ("38 Brook Street", "", "EX6 8DZ"),
                    "elena.popescu@example.com", "Romanian"),
            Contact("Mihai Popescu", "Father", "Mr Popescu", ("38 Brook Street", "", "EX6 8DZ"),
                    "mihai.popescu@example.com", "Romanian"),
        ],
    ),
    Pupil(
        "Rahim", "Uddin", date(2016, 2, 29), "6L", "E", "he", primary="ASD",
        added=date(2020, 9, 7),
        strengths="Expert on trains and timetables; excellent at computing; honest.",
        concerns="Anxious about moving to secondary school; distressed by sudden noise; avoids writing.",
        parents="Looking at the photos of his new school together and talking about one thing each week.",
        targets=[
            ("ASD", "To take part in 3 transition visits to his secondary school",
             "Attends all 3 visits and names one adult he can go to there",
             "Transition booklet with photos; social story; extra visits",
             "Key adult goes with him; look at photos first; talk through worries", 10),
            ("ASD", "To cope with sudden noise using ear defenders or his calm space",
             "Uses ear defenders or the calm space without a prompt on 4 out of 5 occasions",
             "Ear defenders; calm space; OT sensory diet",
             "Warn him of fire drills where possible; quiet seat", 40),
            ("ASD", "To start and finish a piece of writing using a visual checklist",
             "Completes the checklist steps in 3 out of 4 tasks",
             "Visual checklist; writing frame; laptop",
             "Work broken into steps; first/then; timers", 30),
            ("ASD", "To join a lunchtime club with classmates twice a week",
             "Attends 2 sessions a week for 4 weeks",
             "Chess & Lego lunch club; buddy",
             "Adult introduces him; choose clubs that match his interests", 25),
        ],
        contacts=[
            Contact("Rokeya Begum", "Mother", "Mrs Begum", ("5 Chapel Row", "", "EX6 4MA"),
                    "rokeya.begum@example.com", "Bengali"),
            Contact("Jamal Uddin", "Father", "Mr Uddin", ("5 Chapel Row", "", "EX6 4MA"),
                    "jamal.uddin@example.com", "Bengali"),
        ],
    ),
    Pupil(
        "Maximilian", "Greenwood", date(2015, 9, 1), "6L", "K", "he", preferred="Max",
        primary="SEMH", secondary="SPLD",
        added=date(2024, 3, 11),
        strengths="Natural leader; great at sport and practical tasks.",
        concerns="Refuses adult instructions when work feels too hard; spelling difficulties knock his confidence.",
        parents="Agreeing a homework time and praising effort rather than marks.",
        targets=[
            ("SEMH", "To follow an adult instruction the first time it is given",
             "Follows first time on 8 out of 10 occasions across one week",
             "Positive behaviour chart; mentor check-in",
             "Calm, clear instructions; take-up time; praise", 35),
            ("SEMH", "To talk to his mentor about a problem before it becomes a conflict",
             "Seeks out his mentor twice a week",
             "Weekly mentoring; restorative conversations",
             "Agreed time-out; check-in each morning", 20),
            ("SPLD", "To check his writing with a spell-checker and word bank",
             "Corrects 5 spellings in each piece of extended writing in 4 out of 5 tasks",
             "Laptop with spell-checker; word bank; Nessy",
             "Extra time; no copying from the board", 30),
        ],
        contacts=[
            Contact("Sarah Greenwood", "Mother", "Mrs Greenwood", ("47 Kingfisher Drive", "", "EX5 4HT"),
                    "sarah.greenwood@example.com"),
        ],
    ),
    Pupil(
        "Jordan", "Ellery-Shaw", date(2016, 8, 31), "6L", "E", "they", primary="SLCN", secondary="SEMH",
        added=date(2021, 1, 25),
        strengths="Warm and funny; a keen gardener; great with younger children.",
        concerns="Finds it hard to understand and use language in class; worries a lot and goes quiet.",
        parents="Using the vocabulary maps sent home and asking Jordan about their worry book.",
        targets=[
            ("SLCN", "To tell a story with a beginning, middle and end using a visual planner",
             "Tells a 3-part story with the planner in 3 out of 4 sessions",
             "Narrative therapy; story planner",
             "Talk & draw; accept spoken answers; sentence stems", 30),
            ("SLCN", "To understand and use 10 words from the Year 6 maths vocabulary list",
             "Explains 8 of the 10 words with a picture or an example",
             "Word Aware; vocabulary maps; maths word mat",
             "Pre-teach before each unit; visuals", 25),
            ("SEMH", "To tell a trusted adult when they feel worried using their worry book",
             "Uses the worry book twice a week without a prompt",
             "Worry book; ELSA; check-ins",
             "Daily check-in; calm space", 20),
            ("SLCN", "To follow a three-part instruction with a visual prompt",
             "Follows 8 out of 10 times across one week",
             "Visual prompts; speech and language therapy programme from the EHC plan",
             "Instructions chunked; check understanding; say their name first", 45),
        ],
        contacts=[
            Contact("Michelle Shaw", "Mother", "Ms Shaw", ("19 Saxon Road", "", "EX7 3PN"),
                    "michelle.shaw@example.com"),
            Contact("Paul Ellery", "Father", "Mr Ellery", ("19 Saxon Road", "", "EX7 3PN"),
                    "paul.ellery@example.com"),
        ],
    ),
    Pupil(
        "Grace", "Adeyemi", date(2016, 1, 22), "6L", "N", "she",
        contacts=[
            Contact("Funmi Adeyemi", "Mother", "Mrs Adeyemi", ("12 Hawthorn Avenue", "", "EX8 1QS"),
                    "funmi.adeyemi@example.com"),
        ],
    ),
]


# ---------------------------------------------------------------- EHC paperwork and profiles
# Keyed by the pupil's name as the documents show it. Invented, like everything here.

PROFILE_HEADERS = ["UPN", "Pupil", "What people like and admire about me", "What is important to me",
                   "How best to support me", "Date"]
PROFILES: dict[str, tuple[str, str, str, date]] = {
    "Zoë Whitmore": (
        "Kind to younger children\nLoves role play and the home corner\nA big smile every morning",
        "Mum, Dad and my baby brother\nThe home corner and dressing up\nKnowing what happens next (my Now & Next"
        " board)",
        "Say my name before you tell me something\nGive me 10 seconds to answer\nShow me a picture as well as"
        " telling me",
        date(2026, 9, 10)),
    "Ruby Clarke": (
        "An amazing memory for trains and animals\nSings beautifully in music lessons\nWorks really hard at"
        " her workstation",
        "Trains, especially steam trains\nKnowing what is happening next\nMy ear defenders and my quiet"
        " corner\nMum, Dad and our cat, Pepper",
        "Warn me before something changes\nUse my Now & Next board and few words\nLet me have a movement break"
        " when I show my card\nGive me time to answer; don't ask me twice straight away",
        date(2026, 9, 14)),
    "Oliver Thompson": (
        "Determined and cheerful\nBrilliant at quizzes and computing\nAlways ready to help a friend",
        "My walking frame, kept where I can reach it\nDoing things for myself\nMinecraft and Formula 1",
        "Let me leave two minutes early for the hall\nLet me type longer pieces of writing\nGive me rest breaks"
        " when I am tired",
        date(2026, 9, 11)),
    "José Ferreira": (
        "Polite and hard-working\nA talented artist\nA loyal friend",
        "My family, and speaking Portuguese at home\nArt club on Thursdays\nNot being rushed",
        "Show me an example first\nBreak the work into small steps\nLet me use my multiplication grid",
        date(2026, 9, 15)),
}

PROFESSIONAL_HEADERS = ["UPN", "Pupil", "Name", "Service", "Email", "Involved Since"]
PROFESSIONALS: dict[str, list[tuple[str, str, str, date]]] = {
    "Ruby Clarke": [
        ("Dr Hannah Price", "Educational Psychology Service", "hannah.price@exampleton-eps.example.org",
         date(2024, 11, 12)),
        ("Mr Tom Ashby", "Speech and Language Therapy Service", "tom.ashby@exampleton-nhs.example.org",
         date(2024, 6, 3)),
        ("Ms Priya Nair", "Autism Outreach Team", "priya.nair@exampleton.example.gov.uk", date(2025, 10, 6)),
    ],
    "Oliver Thompson": [
        ("Mrs Julie Marsh", "Children's Physiotherapy Service", "julie.marsh@exampleton-nhs.example.org",
         date(2021, 4, 19)),
        ("Mr Gareth Lloyd", "Occupational Therapy Service", "gareth.lloyd@exampleton-nhs.example.org",
         date(2022, 1, 10)),
    ],
    "José Ferreira": [
        ("Dr Hannah Price", "Educational Psychology Service", "hannah.price@exampleton-eps.example.org",
         date(2026, 3, 2)),
    ],
}

OUTCOME_HEADERS = ["UPN", "Pupil", "Area", "Outcome", "By"]
EHCP_OUTCOMES: dict[str, list[tuple[str, str, str]]] = {
    "Ruby Clarke": [
        ("ASD", "Ruby will move between activities and places in school calmly, using her visual timetable",
         "End of Key Stage 1"),
        ("SLCN", "Ruby will let adults and friends know what she needs, using words, signs or her PECS book",
         "End of Key Stage 1"),
        ("ASD", "Ruby will play and take turns with a friend in structured and then free play",
         "End of Year 2"),
        ("ASD", "Ruby will recognise when she feels overwhelmed and ask for a break before she becomes"
         " distressed", "End of Key Stage 1"),
    ],
    "Oliver Thompson": [
        ("PD", "Oliver will record his ideas independently, choosing between handwriting and typing",
         "End of Key Stage 2"),
        ("PD", "Oliver will move around the school safely and independently with his walking frame",
         "End of Year 5"),
        ("PD", "Oliver will take part fully in PE and school trips, with adapted equipment",
         "End of Key Stage 2"),
    ],
}


def assign_upns(pupils: list[Pupil]) -> None:
    """Give each pupil a valid UPN: check letter + LA + establishment + year of
    issue (the year they joined Reception) + serial, numbered per intake."""
    counters: dict[int, int] = {}
    for pupil in pupils:
        issued = EXPORT_DAY.year - pupil.year  # September they started Reception
        n = counters.get(issued, 0)
        counters[issued] = n + 1
        twelve = f"{LA_CODE}{ESTAB}{issued % 100:02d}{4 + 9 * n:03d}"
        pupil.upn = stdnum_upn.calc_check_digit(twelve) + twelve
        assert stdnum_upn.is_valid(pupil.upn), pupil.upn


def check(pupils: list[Pupil]) -> None:
    """Fail loudly if the data breaks the rules the samples promise."""
    upns = [p.upn for p in pupils]
    assert len(set(upns)) == len(upns), "UPNs are not unique"
    for p in pupils:
        assert p.reg in CLASSES and int(p.reg[0] if p.reg[0].isdigit() else 0) == p.year
        first = date(EXPORT_DAY.year - p.year - 5, 9, 1)
        last = date(EXPORT_DAY.year - p.year - 4, 8, 31)
        assert first <= p.dob <= last, f"{p.name}: DOB {p.dob} does not fit {p.year_text}"
        assert 1 <= len(p.contacts) <= 2, p.name
        if p.status == "N":
            assert not (p.primary or p.secondary or p.added or p.targets or p.strengths), p.name
        else:
            assert p.primary and p.added and p.strengths and p.concerns and p.parents, p.name
            assert 3 <= len(p.targets) <= 4, f"{p.name} has {len(p.targets)} targets"
            assert p.added <= EXPORT_DAY and p.added.year >= EXPORT_DAY.year - p.year - 1, p.name
            for t in p.targets:
                assert t[0] in AREA and 0 <= t[5] <= 100, (p.name, t)
    names = {p.name: p for p in pupils}
    assert set(PROFILES) | set(PROFESSIONALS) | set(EHCP_OUTCOMES) <= set(names), "an EHC sample names no pupil"
    assert all(names[n].status == "E" for n in EHCP_OUTCOMES), "EHCP outcomes are for pupils with an EHC plan"


def register_row(p: Pupil) -> list[object]:
    return [
        p.upn, p.surname, p.forename, p.preferred, p.dob, p.year_text, p.reg,
        STATUS_TEXT[p.status], p.primary, p.secondary, p.pronouns, p.added,
        CLASSES[p.reg], p.strengths, p.concerns, p.parents,
    ]


def ordered(pupils: list[Pupil]) -> list[Pupil]:
    """As the MIS exports them: by year, registration group, then surname."""
    return sorted(pupils, key=lambda p: (p.year, p.reg, p.surname.casefold(), p.forename.casefold()))


def _style_header(ws, row: int, widths: list[int]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.cell(row=row, column=col).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = width


def build_workbook(pupils: list[Pupil]) -> Workbook:
    wb = Workbook()
    wb.properties.creator = "formkit sample builder"
    wb.properties.title = f"{SCHOOL} SEN register (invented sample data)"
    wb.properties.created = FIXED_STAMP
    wb.properties.modified = FIXED_STAMP

    # --- SEN Register: two title rows, a blank row, then the header (row 4).
    ws = wb.active
    ws.title = "SEN Register"
    ws.append([SCHOOL])
    ws.append([TITLE])
    ws.append([])
    ws.append(REGISTER_HEADERS)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"].font = Font(italic=True)
    _style_header(ws, 4, [16, 16, 15, 12, 12, 7, 10, 17, 13, 15, 10, 12, 15, 45, 55, 55])
    for p in ordered(pupils):
        ws.append(register_row(p))
        row = ws.max_row
        for col in (5, 12):  # DOB, Date Added
            ws.cell(row=row, column=col).number_format = DATE_FORMAT
    ws.freeze_panes = "A5"

    # --- Targets: the SENCo's own sheet, header on row 1.
    tt = wb.create_sheet("Targets")
    tt.append(TARGET_HEADERS)
    _style_header(tt, 1, [16, 20, 30, 55, 55, 45, 55, 11])
    for p in ordered(pupils):
        for need, target, criteria, resources, strategies, baseline in p.targets:
            tt.append([p.upn, p.name, AREA[need], target, criteria, resources, strategies, baseline])
    for row in tt.iter_rows(min_row=2):
        for cell in row[3:7]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    tt.freeze_panes = "A2"

    # --- Contacts: header on row 1, one row per contact.
    cs = wb.create_sheet("Contacts")
    cs.append(CONTACT_HEADERS)
    _style_header(cs, 1, [16, 24, 14, 12, 18, 26, 18, 13, 10, 34, 14, 8])
    for p in ordered(pupils):
        for c in p.contacts:
            line1, line2, postcode = c.address
            town = "Exampleton" if line1 else ""
            cs.append([
                p.upn, c.name, c.relationship, "Y" if c.pr else "N", c.salutation,
                line1, line2, town, postcode, c.email, c.language, "Y" if c.mail else "N",
            ])
    cs.freeze_panes = "A2"

    # --- Profiles, Professionals and EHCP outcomes: the SENCo's own sheets, header on row 1.
    by_name = {p.name: p for p in pupils}
    ps = wb.create_sheet("Profiles")
    ps.append(PROFILE_HEADERS)
    _style_header(ps, 1, [16, 20, 45, 45, 45, 12])
    for name, (admire, important, support, written) in PROFILES.items():
        ps.append([by_name[name].upn, name, admire, important, support, written])
        ps.cell(ps.max_row, 6).number_format = DATE_FORMAT
    for row in ps.iter_rows(min_row=2):
        for cell in row[2:5]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ps.freeze_panes = "A2"
    pr = wb.create_sheet("Professionals")
    pr.append(PROFESSIONAL_HEADERS)
    _style_header(pr, 1, [16, 20, 20, 36, 42, 14])
    for name, people in PROFESSIONALS.items():
        for person, service, email, since in people:
            pr.append([by_name[name].upn, name, person, service, email, since])
            pr.cell(pr.max_row, 6).number_format = DATE_FORMAT
    pr.freeze_panes = "A2"
    eo = wb.create_sheet("EHCP outcomes")
    eo.append(OUTCOME_HEADERS)
    _style_header(eo, 1, [16, 20, 30, 80, 20])
    for name, outcomes in EHCP_OUTCOMES.items():
        for need, outcome, by in outcomes:
            eo.append([by_name[name].upn, name, AREA[need], outcome, by])
    eo.freeze_panes = "A2"
    return wb


def save_deterministic(wb: Workbook, path: Path) -> None:
    """Save ``wb`` with fixed timestamps (zip entries and document properties) so
    that rebuilding the samples does not change the file."""
    raw = io.BytesIO()
    wb.save(raw)
    stamp = FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*", rf"\g<1>{stamp}", text)
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_STAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    path.write_bytes(out.getvalue())


def write_csv(pupils: list[Pupil], path: Path) -> None:
    """The SEN Register sheet as an MIS CSV: UTF-8 with BOM, CRLF, dd/mm/yyyy."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([SCHOOL])
    writer.writerow([TITLE])
    writer.writerow([])
    writer.writerow(REGISTER_HEADERS)
    for p in ordered(pupils):
        writer.writerow([
            v.strftime("%d/%m/%Y") if isinstance(v, date) else ("" if v is None else v)
            for v in register_row(p)
        ])
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "samples"
    out_dir.mkdir(parents=True, exist_ok=True)
    assign_upns(PUPILS)
    check(PUPILS)
    save_deterministic(build_workbook(PUPILS), out_dir / "register.xlsx")
    write_csv(PUPILS, out_dir / "register.csv")
    counts = {s: sum(p.status == s for p in PUPILS) for s in "KEN"}
    targets = sum(len(p.targets) for p in PUPILS)
    contacts = sum(len(p.contacts) for p in PUPILS)
    print(
        f"wrote {out_dir / 'register.xlsx'} and {out_dir / 'register.csv'}: "
        f"{len(PUPILS)} pupils (K {counts['K']}, E {counts['E']}, N {counts['N']}), "
        f"{targets} targets, {contacts} contacts"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
