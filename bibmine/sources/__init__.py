"""sources stage of bibmine: read vendor exports (and, in ``bibmine.sources.crawl``, crawl open
sources through one polite transport, ``bibmine.sources.http``).

    from bibmine.sources import read_records
    for item in read_records("savedrecs.txt"):      # WoS, Scopus, OpenAlex, RIS, BibTeX, ...
        ...                                         # a Record, or a Reject with location and reason

Format and encoding are detected from the content, never the extension.  The crawlers and the
HTTP transport are imported from their modules (``bibmine.sources.crawl``, ``bibmine.sources.http``)
so that reading files does not load the network stack.
"""

from bibmine.sources.encoding import detect_encoding
from bibmine.sources.files import NotRegularFileError, OpenedFile, UnknownFormatError, open_export, read_records
from bibmine.sources.readers import all_readers, reader_by_name
from bibmine.sources.readers._csv_rows import guess_delimiter

__all__ = ["NotRegularFileError", "OpenedFile", "UnknownFormatError", "all_readers", "detect_encoding",
           "guess_delimiter", "open_export", "read_records", "reader_by_name"]
