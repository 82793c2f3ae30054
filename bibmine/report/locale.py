"""Numbers and dates in the report language's format.

English: ``12,345.6`` and ``7 December 2026``; Russian: ``12 345,6`` (a no-break space between
thousands) and ``07.12.2026``.

>>> fmt(12345.678, "en", 1), fmt(12345.678, "ru", 1), fmt(3, "ru"), fmt(0.25, "ru", 2)
('12,345.7', '12\\xa0345,7', '3', '0,25')
>>> fmt(None, "en"), percent(0.256, "ru"), percent(0.256, "en")
('—', '25,6\\xa0%', '25.6%')
"""

from __future__ import annotations

import math
from datetime import datetime

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


def fmt(value: float | int | None, lang: str, digits: int | None = None) -> str:
    """A number; whole numbers without decimals unless ``digits`` asks for them."""
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return "—"
    if digits is None:
        digits = 0 if float(value).is_integer() else 2
    text = f"{value:,.{digits}f}"
    if lang == "ru":
        text = text.replace(",", "\xa0").replace(".", ",")
    return text


def percent(share: float | None, lang: str, digits: int = 1) -> str:
    if share is None:
        return "—"
    return fmt(100 * share, lang, digits) + ("\xa0%" if lang == "ru" else "%")


def when(moment: datetime, lang: str) -> str:
    """Examples:

    >>> when(datetime(2026, 12, 7, 3, 5), "ru"), when(datetime(2026, 12, 7, 3, 5), "en")
    ('07.12.2026 03:05', '7 December 2026 03:05')
    """
    if lang == "ru":
        return moment.strftime("%d.%m.%Y %H:%M")
    return f"{moment.day} {MONTHS_EN[moment.month - 1]} {moment.year} {moment:%H:%M}"
