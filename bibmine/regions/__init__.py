"""regions stage of bibmine: place each affiliation in an organization, city, federal subject
(ISO 3166-2, e.g. ``RU-VOR``), country and macroregion, and count records by place.

    from bibmine.regions import Matcher, assign, count_records
    matcher = Matcher()                                   # the bundled gazetteer
    matcher.locate("ВГУ, 394018, г. Воронеж").region      # 'RU-VOR'
    assign(corpus, matcher)                               # place every work of a corpus
    count_records(corpus.iter_works(), mode="fractional") # records per subject

>>> Matcher().locate("Lipetsk State Technical University, Lipetsk, Russia").region
'RU-LIP'
"""

from bibmine.regions.counting import CountTable, RecordCount, count_records, record_shares, unit_of
from bibmine.regions.gazetteer import Gazetteer, GazetteerError, read_gazetteer, read_user_gazetteer
from bibmine.regions.matcher import Matcher, Placement
from bibmine.regions.store import assign, placed_records, placements, unresolved

__all__ = ["CountTable", "Gazetteer", "GazetteerError", "Matcher", "Placement", "RecordCount", "assign",
           "count_records", "placed_records", "placements", "read_gazetteer", "read_user_gazetteer",
           "record_shares", "unit_of", "unresolved"]
