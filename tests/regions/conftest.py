import pytest

from bibmine.regions.matcher import Matcher


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return Matcher()
