"""Issue 14: bad bytes are refused at every door with the field named; no message prints a
full ID number or phone."""

from __future__ import annotations

import json
from pathlib import Path

import pydantic
import pytest
import sqlalchemy as sa

from policeroom.cli import main
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.fixtures.load import parse
from policeroom.fixtures.problems import FixtureError
from policeroom.models.formats import check_mobile, check_phone
from policeroom.models.people import ResidentCreate
from policeroom.services.core.context import ServiceContext
from policeroom.services.core.errors import ValidationError
from policeroom.services.disputes import ledger
from policeroom.services.people import residents
from tests.unit.people_world import build_world

PEOPLE = Path(__file__).parents[2] / "fixtures" / "training" / "20-people.json"
HIDDEN = ["\x00", "\u202e", "\u200b", "\x1b", "\x7f"]


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


@pytest.mark.parametrize("character", HIDDEN)
def test_a_form_refuses_hidden_characters_naming_the_field(character: str) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        ResidentCreate.model_validate({"name": f"张{character}三"})
    assert [e["loc"] for e in caught.value.errors()] == [("name",)]
    assert "hidden control character" in str(caught.value)


def test_layout_characters_stay_allowed() -> None:
    schema = ResidentCreate.model_validate({"name": "张三", "notes": "第一行\n第二行\t备注"})
    assert schema.notes == "第一行\n第二行\t备注"


@pytest.mark.parametrize("check", [check_mobile, check_phone])
def test_letters_in_a_phone_are_refused_not_read_as_a_keypad(check: object) -> None:
    with pytest.raises(ValueError, match="digits only"):
        check("139abcd1234")  # type: ignore[operator]
    assert check("139 2223-1234") == "13922231234"  # type: ignore[operator]


def _people_with(**changes: str) -> str:
    data = json.loads(PEOPLE.read_text(encoding="utf-8"))
    data["residents"][0].update(changes)
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("character", ["\x00", "\u202e"])
def test_a_fixture_refuses_hidden_characters_naming_the_field(character: str) -> None:
    with pytest.raises(FixtureError) as caught:
        parse("people.json", _people_with(name=f"张{character}建军"))
    assert "residents[0]" in str(caught.value) and "name" in str(caught.value)
    assert "410402198403126693" not in str(caught.value)


def test_a_fixture_refuses_letters_in_a_phone() -> None:
    with pytest.raises(FixtureError) as caught:
        parse("people.json", _people_with(phone="139abcd1234"))
    assert "phone" in str(caught.value) and "digits only" in str(caught.value)


def test_absurd_nesting_in_a_fixture_is_one_line(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"residents": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert main(["fixtures", "load", str(path), "--db", url_of(sqlite_db)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "nested too deeply" in err[0]


@pytest.mark.parametrize("search", [ledger.search, residents.search])
def test_a_nul_in_a_search_is_refused_not_a_match_for_everything(
    db: Database, search: object
) -> None:
    ctx = ServiceContext(db)
    with pytest.raises(ValidationError) as caught:
        search(ctx, "\x00")  # type: ignore[operator]
    assert caught.value.for_field("text")


def test_a_validation_message_never_holds_a_full_id_or_phone() -> None:
    error = ValidationError.single("id_number", "110101199003071234 is already registered")
    assert "110101199003071234" not in str(error) and "1234" in str(error)


def test_the_last_resort_handler_redacts_a_postgresql_nul_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What PostgreSQL says about a NUL, quoting the whole record, reaches stderr masked."""
    import psycopg
    from sqlalchemy.exc import DataError

    from policeroom import cli

    record = "Failing row contains (7, 张三, 410402198403126693, 18933994207)"
    orig = psycopg.DataError(f'invalid byte sequence for encoding "UTF8": 0x00\nDETAIL: {record}')

    def explode(_args: object) -> int:
        raise DataError("INSERT INTO resident …", {"phone": "18933994207"}, orig)

    monkeypatch.setattr(cli, "_dispatch", explode)
    assert cli.main(["report", "summary"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "410402198403126693" not in err and "18933994207" not in err
    assert "0x00" in err and "6693" in err


@pytest.mark.parametrize("character", ["\x00", "\u202e"])
def test_fixtures_load_of_a_hidden_character_is_one_masked_line_on_each_database(
    character: str, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case: on PostgreSQL the NUL reached the server, whose refusal came back
    as a traceback quoting the whole record."""
    path = tmp_path / "people.json"
    path.write_text(_people_with(name=f"张{character}建军"), encoding="utf-8")
    assert main(["fixtures", "load", str(path), "--db", url_of(db)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert "name" in err and "410402198403126693" not in err


def test_a_real_database_refusal_quoting_a_record_is_masked(
    db: Database, clock: Clock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A constraint the server itself enforces: PostgreSQL's DETAIL line names the ID number
    (``Key (id_number)=(…) already exists``); it reaches stderr masked, in one line."""
    from policeroom import cli

    id_number = "410402198403126693"
    world = build_world(db, clock)
    world.resident("张建军", id_number=id_number, phone="18933994207")
    other = world.resident("刘芳")

    def clash(_args: object) -> int:
        with db.engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE resident SET id_number = :id WHERE id = :other"),
                {"id": id_number, "other": other},
            )
        return 0

    monkeypatch.setattr(cli, "_dispatch", clash)
    assert cli.main(["report", "summary"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert id_number not in err and "18933994207" not in err
    assert "database error" in err
    if db.engine.dialect.name == "postgresql":  # its refusal names the value, masked
        assert "Key (id_number)=(**************6693)" in err
