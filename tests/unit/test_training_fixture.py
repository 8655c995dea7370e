"""The committed training set is exactly what its generator writes: the two cannot drift."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TRAINING = Path(__file__).resolve().parents[2] / "fixtures" / "training"
GENERATOR = TRAINING / "tools" / "make_training.py"


def test_the_committed_training_set_is_what_make_training_writes(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(GENERATOR), str(tmp_path)], check=True, capture_output=True)
    committed = sorted(path.name for path in TRAINING.glob("*.json"))
    assert committed, f"no training files in {TRAINING}"
    assert sorted(path.name for path in tmp_path.glob("*.json")) == committed
    differ = [
        name
        for name in committed
        if (tmp_path / name).read_bytes() != (TRAINING / name).read_bytes()
    ]
    assert not differ, (
        f"{', '.join(differ)} differ from what {GENERATOR.name} writes: change the generator and "
        f"run `.venv/bin/python {GENERATOR.relative_to(TRAINING.parents[1])}`, never the files"
    )
