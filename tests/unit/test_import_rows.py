"""bot.import_rows: column mapping, row cleansing and folding rows about one person."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.import_rows import (
    Folder,
    ImportProblem,
    Person,
    Row,
    RowNote,
    cleanse,
    consent_time,
    name_case,
    resolve_mapping,
)

NOW = datetime(2024, 5, 1, tzinfo=timezone.utc)


def test_resolve_mapping_recognises_common_headers() -> None:
    header = ["Full Name", "E-mail Address", "Mobile", "Organisation", "Job Title", "Notes"]
    assert resolve_mapping(header) == {0: "name", 1: "email", 2: "phone", 3: "company", 4: "role"}


def test_resolve_mapping_overrides_win_over_detection() -> None:
    header = ["email", "Work mail", "Tel"]
    assert resolve_mapping(header, {"email": "Work mail"}) == {1: "email", 2: "phone"}


@pytest.mark.parametrize(
    ("header", "overrides", "message"),
    [
        (["Name", "Notes"], {}, "no column for email or phone"),
        (["email"], {"shoe_size": "email"}, "unknown field 'shoe_size'"),
        (["email"], {"phone": "Phone"}, "no column 'Phone'"),
    ],
)
def test_resolve_mapping_names_the_problem(
    header: list[str], overrides: dict[str, str], message: str
) -> None:
    with pytest.raises(ImportProblem, match=message):
        resolve_mapping(header, overrides)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  DANA   REYES ", "Dana Reyes"),
        ("dana o'neil", "Dana O'Neil"),
        ("Ada de la Cruz", "Ada de la Cruz"),
    ],
)
def test_name_case_fixes_shouting_and_lower_case_only(raw: str, clean: str) -> None:
    assert name_case(raw) == clean


def test_consent_time_reads_iso_8601_and_takes_naive_as_utc() -> None:
    assert consent_time("2024-03-01T10:00:00Z") == datetime(2024, 3, 1, 10, tzinfo=timezone.utc)
    assert consent_time("2024-03-01 12:00+02:00") == datetime(2024, 3, 1, 10, tzinfo=timezone.utc)
    assert consent_time("2024-03-01") == datetime(2024, 3, 1, tzinfo=timezone.utc)
    assert consent_time("last Tuesday") is None


def test_cleanse_joins_first_and_last_name_and_reads_national_numbers() -> None:
    row = Row(4, {"first_name": "ada", "last_name": "lovelace", "phone": "(212) 555-0100"})
    person = cleanse(row, "US", NOW, [])
    assert isinstance(person, Person)
    assert person.fields == {"name": "Ada Lovelace", "phone": "+12125550100"}
    assert person.place == ("US", "America/New_York")  # read with the number, for enrichment


def test_cleanse_refuses_consent_in_the_future() -> None:
    values = {
        "email": "a@b.io",
        "purpose": "email",
        "consent_source": "form",
        "consent_time": "2030-01-01T00:00:00Z",
        "consent_wording": "Yes",
    }
    warnings: list[RowNote] = []
    person = cleanse(Row(2, values), "US", NOW, warnings)  # type: ignore[arg-type]
    assert isinstance(person, Person)
    assert (person.claims, person.refused) == ([], 1)
    assert warnings == [RowNote(2, "consent not recorded: consent_time is in the future")]


def test_folder_fills_blanks_from_later_rows_and_links_by_either_key() -> None:
    folder, warnings = Folder(), list[RowNote]()
    folder.add(Person([2], {"email": "a@b.io"}), warnings)
    folder.add(Person([3], {"phone": "+12125550100", "name": "Ann"}), warnings)
    folder.add(Person([4], {"email": "a@b.io", "phone": "+12125550100", "company": "B"}), warnings)
    [person] = folder.people
    assert person.lines == [2, 3, 4]
    assert person.fields == {
        "email": "a@b.io",
        "phone": "+12125550100",
        "name": "Ann",
        "company": "B",
    }
    assert (folder.folded, warnings) == (2, [])


def test_folder_keeps_the_first_phone_on_a_conflict_and_warns() -> None:
    folder, warnings = Folder(), list[RowNote]()
    folder.add(Person([2], {"email": "a@b.io", "phone": "+12125550100"}), warnings)
    folder.add(Person([5], {"email": "a@b.io", "phone": "+12125550199"}), warnings)
    [person] = folder.people
    assert person.fields["phone"] == "+12125550100"
    assert warnings == [RowNote(5, "phone differs from line 2's; kept that one")]


def test_folder_keeps_the_place_of_the_phone_it_keeps() -> None:
    folder, warnings = Folder(), list[RowNote]()
    folder.add(Person([2], {"email": "a@b.io"}), warnings)
    folder.add(
        Person([3], {"email": "a@b.io", "phone": "+33612345678"}, place=("FR", "Europe/Paris")),
        warnings,
    )
    folder.add(
        Person([4], {"email": "a@b.io", "phone": "+12125550100"}, place=("US", "America/New_York")),
        warnings,
    )
    [person] = folder.people
    assert (person.fields["phone"], person.place) == ("+33612345678", ("FR", "Europe/Paris"))
