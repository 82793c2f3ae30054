"""Shared fixtures: the bundled Central Black Earth case and its specializations read off by hand."""

import pytest

from bibmine.specialization.case import bundled_case
from bibmine.specialization.concordance import read_concordance

REGIONS = ["RU-BEL", "RU-VOR", "RU-KRS", "RU-LIP", "RU-TAM"]

# Specialized categories (coefficient strictly > 1) read off coefficients.csv by hand.
SPECIALIZED = {
    "export": {"RU-BEL": ["01-24", "72-83"], "RU-VOR": ["01-24", "28-40", "84-90"], "RU-KRS": ["01-24", "28-40"],
               "RU-LIP": ["01-24", "72-83"], "RU-TAM": ["01-24", "28-40"]},
    "national": {"RU-BEL": ["A", "B", "C"], "RU-VOR": ["A", "E", "F", "G", "M", "O", "P", "S"],
                 "RU-KRS": ["A", "C", "D", "E", "P", "Q", "S"], "RU-LIP": ["A", "C", "F", "L"],
                 "RU-TAM": ["A", "O", "P", "S"]},
    # Lipetsk H is exactly 1.00: not a competence
    "macroregional": {"RU-BEL": ["B", "G", "R"], "RU-VOR": ["G", "H", "I", "J", "K", "L", "N", "Q"],
                      "RU-KRS": ["B", "I", "Q", "R"], "RU-LIP": ["I", "J", "K", "L"],
                      "RU-TAM": ["H", "I", "Q", "R"]},
}


@pytest.fixture(scope="session")
def case():
    return bundled_case()[0]


@pytest.fixture(scope="session")
def default():
    return read_concordance()


@pytest.fixture(scope="session")
def regions():
    return list(REGIONS)


@pytest.fixture(scope="session")
def specialized():
    return SPECIALIZED
