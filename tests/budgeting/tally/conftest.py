from __future__ import annotations

import pytest

from gorod.budgeting import pabulib
from gorod.budgeting.tally import election_from_pabulib
from tests.pabulib_files import PABULIB_DIR

SHARED = PABULIB_DIR
FILES = sorted(SHARED.glob("*.pb"))


@pytest.fixture(scope="session")
def elections():
    return {path.stem: election_from_pabulib(pabulib.load(path)) for path in FILES}
