"""The cycle's tables in the records store: plans kept with history, letters
sent, and last term's store (schema version 1) opening in this formkit."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from formkit.codes import Area
from formkit.model import Target
from formkit.records import LetterSent, Plan, RecordStore, StoreError, held_store

DATA = Path(__file__).resolve().parents[1] / "data" / "records"
T1 = datetime(2026, 9, 3, 9, 0, tzinfo=timezone.utc)
T2 = datetime(2026, 9, 10, 9, 0, tzinfo=timezone.utc)
TARGETS = (Target(target="To read 20 common exception words", baseline=35),
           Target(target="To write a sentence with a full stop", baseline=40))


def plan(term: str = "Autumn 2026", targets: tuple[Target, ...] = TARGETS, sha: str = "a" * 64) -> Plan:
    start = {"Autumn 2026": date(2026, 9, 3), "Spring 2027": date(2027, 1, 5)}[term]
    return Plan("C801200024004", "Declan O'Connor", term, start, date(2026, 12, 9), targets, "iep.docx",
                f"Year 2/O'Connor, Declan (C801200024004) - IEP - {term}.docx", sha)


def test_a_terms_plan_is_replaced_by_a_rerun_and_kept_as_history(tmp_path):
    with RecordStore.open(tmp_path / "s.sqlite", create=True) as store:
        first = store.record_plans([plan()], now=T1)
        assert (len(first.added), len(first.replaced), len(first.unchanged)) == (1, 0, 0)
        assert len(store.record_plans([plan()], now=T2).unchanged) == 1
        changed = (TARGETS[0], Target(target="To write two sentences with full stops", baseline=40))
        again = store.record_plans([plan(targets=changed, sha="b" * 64)], now=T2)
        assert (len(again.added), len(again.replaced)) == (0, 1)
        store.record_plans([plan("Spring 2027", sha="c" * 64)], now=T2)
        current = store.plans_for("c801200024004")
        assert [(p.term, p.document_sha256[0]) for p in current] == [("Autumn 2026", "b"), ("Spring 2027", "c")]
        history = store.plans_for("C801200024004", history=True)
        assert [(p.term, p.current) for p in history] == [("Autumn 2026", False), ("Autumn 2026", True),
                                                          ("Spring 2027", True)]
        assert history[0].superseded_by == history[1].id and history[0].targets == TARGETS
        assert store.plan_for("C801200024004", "autumn 2026").targets[1].target.startswith("To write two")
        assert store.plan_for("C801200024004", "Summer 2027") is None
        assert [p.term for p in store.plans_in("Spring 2027")] == ["Spring 2027"]
        assert history[1].targets[0].baseline == 35 and history[1].recorded_at == T2.replace(tzinfo=timezone.utc)


def test_letters_sent_are_noted_once(tmp_path):
    sent = LetterSent("C801200024004", "iep_cover", "IEP letter", "Autumn 2026", date(2026, 9, 3), "Mrs O'Connor",
                      "post", "Year 2/O'Connor, Declan - IEP letter.docx", "d" * 64)
    with RecordStore.open(tmp_path / "s.sqlite", create=True) as store:
        assert store.record_letters([sent], now=T1) == 1
        assert store.record_letters([sent], now=T2) == 0
        [kept] = store.letters_for("c801200024004")
        assert (kept.letter, kept.recipient, kept.letter_date) == ("iep_cover", "Mrs O'Connor", date(2026, 9, 3))


def test_last_terms_store_opens_keeps_its_records_and_gains_the_cycle_tables(tmp_path):
    old = tmp_path / "records.sqlite"
    shutil.copyfile(DATA / "autumn-2026-v1.sqlite", old)
    with sqlite3.connect(old) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
        before = raw.execute("SELECT * FROM records ORDER BY id").fetchall()
    with RecordStore.open(old) as store:
        assert len(store.records()) == 11
        assert [s.record.values["review_date"] for s in store.reviews_for("C801200024004")] == [date(2026, 12, 9)]
        assert store.plans_for("C801200024004") == [] and store.letters_for("C801200024004") == []
        store.record_plans([plan()], now=T1)
    with sqlite3.connect(old) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 2
        assert raw.execute("SELECT * FROM records ORDER BY id").fetchall() == before
    with RecordStore.open(old) as store:
        assert [p.term for p in store.plans_for("C801200024004")] == ["Autumn 2026"]


def test_a_held_store_keeps_other_writers_out_and_stores_the_run_whole_or_not_at_all(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite"
    monkeypatch.setattr("formkit.records.store.BUSY_SECONDS", 0.1)
    with held_store(path) as held:
        assert held is not None
        held.record_plans([plan()], now=T1)
        with RecordStore.open(path) as other:
            assert other.plans() == []  # readers see the store as it was; writers wait, then are told it is busy
            with pytest.raises(StoreError, match="the store is busy"):
                other.record_letters([], now=T1)
    with RecordStore.open(path) as store:
        assert [p.term for p in store.plans()] == ["Autumn 2026"]
    with pytest.raises(RuntimeError), held_store(path) as held:
        held.record_plans([plan("Spring 2027", sha="c" * 64)], now=T2)
        raise RuntimeError("the run failed after noting its plans")
    with RecordStore.open(path) as store:
        assert [p.term for p in store.plans()] == ["Autumn 2026"]
    with held_store(None) as nothing:
        assert nothing is None


# The targets column exactly as formkit wrote it while its records were pydantic models.
PYDANTIC_TARGETS = (
    '[{"target":"To read 20 common exception words","area":"Cognition and learning","achievement_criteria":"",'
    '"resources":"","strategies":"","baseline":35,"half_term":60,"achieved":null,"outcome":""},'
    '{"target":"To say how he feels","area":"Social, emotional and mental health","achievement_criteria":'
    '"4 times out of 5","resources":"Feelings fan","strategies":"Zones of regulation","baseline":null,'
    '"half_term":null,"achieved":null,"outcome":""}]')


def test_a_plan_written_before_the_records_left_pydantic_reads_back_and_is_unchanged(tmp_path):
    path = tmp_path / "s.sqlite"
    with RecordStore.open(path, create=True) as store:
        store.record_plans([plan()], now=T1)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE plans SET targets = ?", (PYDANTIC_TARGETS,))
    kept = (Target(target="To read 20 common exception words", area=Area.COGNITION, baseline=35, half_term=60),
            Target(target="To say how he feels", area=Area.SEMH, achievement_criteria="4 times out of 5",
                   resources="Feelings fan", strategies="Zones of regulation"))
    with RecordStore.open(path) as store:
        [back] = store.plans_for("C801200024004")
        assert back.targets == kept
        again = store.record_plans([plan(targets=(replace(kept[0], half_term_band="50-74%"), kept[1]))], now=T2)
        assert len(again.unchanged) == 1  # the same text is written, the documents' bands left out
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT targets FROM plans").fetchall() == [(PYDANTIC_TARGETS,)]
