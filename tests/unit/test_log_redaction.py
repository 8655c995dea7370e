"""Issue 14: no log line or traceback prints a full ID number or phone, whether the command
line writes it to stderr or an operator's logging writes it to a file."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path

from policeroom.services.core.redact import RedactingFilter

ID_NUMBER = "410402198403126693"
PHONE = "18933994207"

# The command line with its work replaced by an error that quotes a resident, logged on the
# way (with its traceback) as a service would, under an operator's file logging.
FAILING = f"""
import logging, sys
from policeroom import cli
logging.basicConfig(filename=sys.argv[1], level=logging.INFO)

def explode(_args):
    log = logging.getLogger("policeroom.services.people")
    resident = {{"id_number": "{ID_NUMBER}", "phone": "{PHONE}"}}
    try:
        raise ValueError(f"resident {{resident}} could not be saved")
    except ValueError:
        log.exception("saving %s failed", resident["id_number"])
    log.warning("phone %s refused", "{PHONE}")
    raise RuntimeError("resident {ID_NUMBER} phone {PHONE}")

cli._dispatch = explode
sys.exit(cli.main(["report", "summary"]))
"""


def test_log_lines_and_the_last_error_are_masked_on_stderr_and_in_a_log_file(
    tmp_path: Path,
) -> None:
    log_file = tmp_path / "policeroom.log"
    child = subprocess.run(
        [sys.executable, "-c", FAILING, str(log_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == 1, child.stderr
    logged = log_file.read_text()
    for text in (child.stderr, logged):
        assert ID_NUMBER not in text and PHONE not in text, text
        assert "saving **************6693 failed" in text
        assert "ValueError: resident" in text, "the traceback is there, masked"
        assert "phone *******4207 refused" in text
    last = child.stderr.splitlines()[-1]
    assert last == "policeroom: RuntimeError: resident **************6693 phone *******4207"


def test_the_filter_masks_arguments_exceptions_and_stacks() -> None:
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.addFilter(RedactingFilter())
    log = logging.getLogger("tests.redaction")
    log.propagate = False
    log.addHandler(handler)
    try:
        try:
            raise KeyError(ID_NUMBER)
        except KeyError:
            log.error("resident %s, phone %s", ID_NUMBER, PHONE, exc_info=True, stack_info=True)
    finally:
        log.removeHandler(handler)
        log.propagate = True
    text = written.getvalue()
    assert ID_NUMBER not in text and PHONE not in text
    assert "KeyError: '**************6693'" in text and "Stack (most recent call last)" in text
