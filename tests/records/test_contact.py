"""A kiosk lead's contact: added once after the call was stored, shown in full only by `records show`,
masked in lists, and removed with the call's words by retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.contact import BadPhoneNumber, indian_mobile, lead, mask_phone, masked, reference
from core.record import CallRecord
from core.records import RecordStore


def _eligible(started: datetime | None = None) -> CallRecord:
    """A finished eligible call (a lead is asked for only after the call ended and was stored)."""
    started = started or datetime.now(UTC)
    record = CallRecord(channel="kiosk", engine="offline", policy_version="2026.11.1", outcome="eligible")
    record.started_at = started.isoformat()
    record.ended_at = (started + timedelta(minutes=1)).isoformat()
    return record


def test_contact_is_set_once_after_the_call_was_saved(store: RecordStore) -> None:
    record = _eligible()
    store.save(record)
    assert store.get(record.call_id)["contact"] is None
    given = lead(record.call_id, indian_mobile("98765 43210"))
    assert store.set_contact(record.call_id, given) is True
    assert store.get(record.call_id)["contact"] == given
    assert store.set_contact(record.call_id, lead(record.call_id, None)) is False, "a second contact is refused"
    assert store.get(record.call_id)["contact"]["phone"] == "+919876543210"
    assert store.set_contact("no-such-call", given) is False


def test_a_skip_is_recorded(store: RecordStore) -> None:
    record = _eligible()
    store.save(record)
    assert store.set_contact(record.call_id, lead(record.call_id, None))
    contact = store.get(record.call_id)["contact"]
    assert contact["skipped"] is True and contact["phone"] is None and contact["consent"] is False
    assert masked(contact) == "skipped"


def test_dropping_transcripts_also_drops_the_contact(store: RecordStore) -> None:
    old = _eligible(datetime.now(UTC) - timedelta(days=40))
    store.save(old)
    store.set_contact(old.call_id, lead(old.call_id, "+919876543210"))
    store.purge(30, transcripts_only=True)
    assert store.get(old.call_id)["contact"] is None


@pytest.mark.parametrize("text", ["9876543210", "+91 98765 43210", "098765-43210"])
def test_indian_mobile_numbers_are_accepted(text: str) -> None:
    assert indian_mobile(text) == "+919876543210"


@pytest.mark.parametrize("text", ["", "12345", "1234567890", "022 2222 3333", "+1 650 253 0000", "phone"])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(BadPhoneNumber):
        indian_mobile(text)


def test_masking_and_reference() -> None:
    assert mask_phone("+919876543210") == "+91 98••• ••210"
    assert "43210" not in masked(lead("abc", "+919876543210"))
    assert reference("7f3a2c1b9e0d") == "7f3a2c1b"


def test_records_show_has_the_number_and_list_masks_it(
    db_url: str, spool_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.records.cli import main

    monkeypatch.setenv("QUICKRUPEE_DB_URL", db_url)
    monkeypatch.setenv("XDG_DATA_HOME", str(spool_dir))
    monkeypatch.setenv("COLUMNS", "200")
    record = _eligible()
    with RecordStore.open(db_url, spool_dir=spool_dir) as store:
        store.save(record)
        store.set_contact(record.call_id, lead(record.call_id, "+919876543210"))
    assert main(["show", reference(record.call_id)]) == 0
    shown = capsys.readouterr().out
    assert "+919876543210" in shown and f"reference {reference(record.call_id)}" in shown
    assert main(["list"]) == 0
    listed = capsys.readouterr().out
    assert "+91 98••• ••210" in listed and "9876543210" not in listed
