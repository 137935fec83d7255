from __future__ import annotations

from pathlib import Path

import pytest

from gorod.budgeting import pabulib
from gorod.budgeting.tally import election_from_pabulib

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "pabulib"
FILES = sorted(SHARED.glob("*.pb"))


@pytest.fixture(scope="session")
def elections():
    return {path.stem: election_from_pabulib(pabulib.load(path)) for path in FILES}
