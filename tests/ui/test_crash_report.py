"""Issue 14: the report Textual prints when the desk program crashes (a traceback with the
values of local variables) never holds a full ID number or phone."""

from __future__ import annotations

import pytest

from policeroom.ui.app import PoliceRoomApp
from tests.ui.conftest import make_app, settle
from tests.unit.people_world import World

ID_NUMBER = "410402198403126693"
PHONE = "18933994207"


def crash_on_help(self: PoliceRoomApp) -> None:
    resident = {"id_number": ID_NUMBER, "phone": PHONE}
    raise RuntimeError(f"could not show {resident['id_number']} ({resident['phone']})")


async def test_a_crash_report_is_masked(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(PoliceRoomApp, "action_help", crash_on_help)
    app = make_app(world.ctx)
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f1")
            await settle(pilot)
    report = capsys.readouterr().err
    assert "RuntimeError" in report and "6693" in report, report
    assert ID_NUMBER not in report and PHONE not in report, report
