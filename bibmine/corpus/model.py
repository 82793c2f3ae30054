"""The record model, for code that imports it from here: it lives in :mod:`bibmine.record`, a leaf module
that the file readers and the corpus both import (``from bibmine.corpus import Record`` works too)."""

from bibmine.placeholders import is_placeholder  # noqa: F401  (the old module offered it through its import)
from bibmine.record import *  # noqa: F403
from bibmine.record import __all__  # noqa: F401
