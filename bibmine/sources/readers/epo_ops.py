"""EPO OPS published-data XML (``ops:world-patent-data``): biblio and search
responses, and plain ``exchange-documents`` files in the same namespace.

Parsed incrementally with :func:`xml.etree.ElementTree.iterparse`: each
``exchange-document`` is mapped (:mod:`bibmine.sources.epo_map`) and cleared, so
memory stays flat however many documents a file holds.  XML names its own
encoding, so the detected text encoding is not used.  ``Record.raw`` is the
element re-serialized (namespace prefixes may differ from the file's).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from bibmine.record import Reject
from bibmine.sources.epo_map import NS, exchange_document_to_record
from bibmine.sources.readers.base import ReaderSpec, ReadResult

_ROOT = re.compile(r"<(?:[\w-]+:)?(?:world-patent-data|exchange-documents)[\s>]")
_DOC = "{" + NS + "}exchange-document"
_NS0_DECL = f'xmlns:ns0="{NS}"'
_NS_DECL = f'xmlns="{NS}"'
_NS0 = f"<ns0:exchange-document {_NS0_DECL}"


def sniff_epo_ops(head: str, path: Path) -> bool:
    """An XML file whose root is ops:world-patent-data or exchange-documents (EPO namespaces)."""
    text = head.lstrip("\ufeff \t\r\n")
    if not text.startswith("<"):
        return False
    return bool(_ROOT.search(text)) and ("http://www.epo.org/exchange" in text or "http://ops.epo.org" in text)


def read_epo_ops(path: Path, encoding: str = "utf-8") -> ReadResult:
    """Records from an EPO OPS XML file; see the module docstring."""
    path = Path(path)
    n = 0
    fault = None
    try:
        for _, elem in ET.iterparse(path, events=("end",)):
            tag = elem.tag
            if tag == _DOC:
                n += 1
                yield _record(elem, n, path)
                elem.clear()  # the mapped document is not needed any more
            elif tag.endswith("}fault") or tag == "fault":
                fault = " ".join("".join(elem.itertext()).split())
    except ET.ParseError as e:
        line, column = e.position
        read = f"; {n} document(s) before it were read" if n else ""
        yield Reject(
            location=f"line {line}",
            reason=f"{path.name}: broken XML at line {line}, column {column}: {e}{read}; rest of file skipped",
        )
    if fault and not n:
        raise ValueError(f"{path}: EPO OPS returned a fault, not documents: {fault[:300]}")


def _record(elem: ET.Element, n: int, path: Path):
    elem.tail = None  # the whitespace after the element is not part of it
    raw = ET.tostring(elem, encoding="unicode")
    # ElementTree names the namespace ns0; give it back its default-namespace form
    # (default_namespace= refuses documents with unqualified attributes)
    if raw.startswith(_NS0):
        raw = raw.replace("<ns0:", "<").replace("</ns0:", "</").replace(_NS0_DECL, _NS_DECL, 1)
    try:
        return exchange_document_to_record(elem, source="epo_ops_xml", raw=raw)
    except (ValueError, TypeError, AttributeError) as e:
        return Reject(location=f"item {n}", reason=f"{path.name}: {e}", raw=raw)


READERS = [
    ReaderSpec(
        name="epo_ops_xml",
        label="EPO OPS biblio XML",
        sniff=sniff_epo_ops,
        read=read_epo_ops,
        priority=30,
    )
]
