"""Dump what the file readers yield, and compare it with a saved dump (guard for reader speed work).

    python scripts/check_reader_output.py save /tmp/readers_before     # before changing a reader
    python scripts/check_reader_output.py check /tmp/readers_before    # after: byte-identical or a diff

Every record a reader yields is written as one JSON line (:func:`bibmine.record.to_json`), every
reject as ``{"reject": {location, reason, raw}}``, and a file the reader refuses as
``{"error": ...}``; one ``.jsonl`` per input file.  The records go through ``open_export(...)
.records()``, the path ``bibmine import`` takes (placeholder guard included).

Inputs:

- every file under ``tests/fixtures`` and ``../shared/data/samples``, with the format sniffed
  (so every reader sharing ``_fieldnorm``/``_textio``/``base`` is covered), and the WoS
  plain-text and RIS ones again with the format forced;
- generated ones (in ``--inputs``, made once and reused; fixed seeds, so the same bytes each
  time): realistic WoS and RIS files of 10,000 records (``scripts/realistic_records.py``), and
  hostile variants of real records: undecodable bytes, files cut mid-record, CRLF, lone CR,
  UTF-16 with BOM, ``NA``/``[Anonymous]`` placeholders, markup in titles, missing ER lines,
  repeated and unknown tags, blank lines and tags alone on their line, loose RIS dashes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "data" / "samples"
FIXTURES = ROOT / "tests" / "fixtures"
FORCED = {"wos_plaintext": ("wos_plaintext",), "ris": ("ris", "scopus_ris", "ris_nonascii")}
REALISTIC = 10_000


def _forced_format(path: Path) -> str | None:
    """wos_plaintext / ris for files of those formats (by folder or extension), else None."""
    parts = set(path.parts)
    if parts & set(FORCED["wos_plaintext"]) or path.parent.name == "hostile" and "wos" in path.name:
        return "wos_plaintext"
    if parts & set(FORCED["ris"]) or path.suffix == ".ris":
        return "ris"
    return None


def _is_data(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() not in (".md", ".py", ".toml") and not path.name.startswith(".")


def input_files(generated: Path) -> list[tuple[Path, str | None]]:
    """(file, forced format or None to sniff) for every input."""
    out: list[tuple[Path, str | None]] = []
    for base in (FIXTURES, SAMPLES):
        for path in sorted(p for p in base.rglob("*") if _is_data(p)):
            out.append((path, None))
            if fmt := _forced_format(path):
                out.append((path, fmt))
    for path in sorted(generated.iterdir()):
        out.append((path, "wos_plaintext" if path.name.startswith("wos") else "ris"))
    return out


# ---------------------------------------------------------------- generated inputs


def _byte_variants(head: str, name: str, rnd: random.Random) -> dict[str, bytes]:
    """The file ``head`` with other line ends, UTF-16, a BOM, stray bytes, and cut short (``name``: "wos_{}.txt")."""
    data = head.encode()
    bad = bytearray(data)
    for _ in range(8):  # stray bytes: a lone continuation byte, 0xff, a cut 2-byte sequence
        at = rnd.randrange(len(bad))
        bad[at:at] = rnd.choice([b"\xff", b"\x80", b"\xc3", b"\xd0"])
    variants = {
        "crlf": head.replace("\n", "\r\n").encode(),
        "lone_cr": head.replace("\n", "\r").encode(),
        "utf16": b"\xff\xfe" + head.replace("\n", "\r\n").encode("utf-16-le"),
        "bom": b"\xef\xbb\xbf" + data,
        "bad_bytes": bytes(bad),
        "cut_mid_record": data[: len(data) // 2],
        "cut_mid_line": data[: len(data) // 3 + 7],
    }
    return {name.format(kind): value for kind, value in variants.items()}


def _hostile_wos(text: str, rnd: random.Random) -> dict[str, bytes]:
    """Variants of a WoS plain-text file (its first records) that readers must survive."""
    records = text.split("\nER\n")[:60]
    head = "\nER\n".join(records) + "\nER\n\nEF\n"
    out = _byte_variants(head, "wos_{}.txt", rnd)
    data = head.encode()
    lead = next((i for i in range(len(data) // 2, len(data)) if data[i] >= 0xC0), None)  # cut inside a character
    if lead is not None:
        out["wos_cut_in_char.txt"] = data[: lead + 1]
    edited = []
    for i, rec in enumerate(records):
        lines = rec.split("\n")
        k = i % 12
        if k == 0:
            lines = [re.sub(r"^(TI|AU|PM|SN|UT|DI) .*", r"\1 NA", ln) for ln in lines]
        elif k == 1:
            lines = [("TI <i>Soil</i> of <sub>2</sub> &amp; Voronezh" if ln.startswith("TI ") else ln) for ln in lines]
        elif k == 2:
            lines = [("AU [Anonymous]" if ln.startswith("AU ") else ln) for ln in lines]
        elif k == 3:
            lines.insert(len(lines) // 2, "")  # a blank line inside a record
        elif k == 4:
            lines.insert(len(lines) // 2, "XQ unknown tag value")
        elif k == 5:
            lines = [ln.replace("AU ", "AU\n   ", 1) if ln.startswith("AU ") else ln for ln in lines]
        elif k == 6:
            lines.append("DE repeated; keyword")
            lines.append("TI a repeated title")
        elif k == 7:
            lines.insert(len(lines) // 2, "this line has no tag")
        elif k == 8:
            lines.append("PT J")  # second record starting before ER
        elif k == 9:
            lines = [ln for ln in lines if not ln.startswith(("TI ", "UT "))]
        elif k == 10:
            lines = [ln + "   " if ln.startswith(("SO ", "PY ")) else ln for ln in lines]
            lines.insert(1, "ERRATUM line that starts with ER")
        elif k == 11:
            lines = [ln.replace("DOI 10.", "DOI [DOI 10.", 1) for ln in lines]
        edited.append("\n".join(lines))
    out["wos_edited.txt"] = ("\nER\n".join(edited) + "\nER\n\nEF\n").encode()
    out["wos_no_er.txt"] = ("\n".join(records[:3]) + "\n").encode()
    return out


def _hostile_ris(text: str, rnd: random.Random) -> dict[str, bytes]:
    """Variants of a RIS file (its first records) that readers must survive."""
    records = text.split("ER  - \n")[:60]
    head = "ER  - \n".join(records) + "ER  - \n"
    out = _byte_variants(head, "ris_{}.ris", rnd)
    edited = []
    for i, rec in enumerate(records):
        lines = rec.split("\n")
        k = i % 12
        if k == 0:
            lines = [re.sub(r"^(TI|AU|DO|SN|AN)  - .*", r"\1  - NA", ln) for ln in lines]
        elif k == 1:
            lines = [
                ("TI  - The <i>Voronezh</i> region &amp; <sup>14</sup>C" if ln.startswith("TI  -") else ln)
                for ln in lines
            ]
        elif k == 2:
            lines = [("AU  - [No author name available]" if ln.startswith("AU  -") else ln) for ln in lines]
        elif k == 3:
            lines.insert(3, "continued text without a tag")
            lines.insert(3, "")
        elif k == 4:
            lines = [ln.replace("  - ", " - ", 1) if ln[:2] in ("TI", "PY", "KW") else ln for ln in lines]
        elif k == 5:
            lines = [ln for ln in lines if not ln.startswith("ER")]  # no ER: cut by the next TY
        elif k == 6:
            lines = [ln for ln in lines if not ln.startswith("TY")]
        elif k == 7:
            lines = [ln for ln in lines if not ln.startswith(("TI", "DO", "T1", "ST"))]
        elif k == 8:
            lines += [
                "N1  - Cited By :8",
                "N1  - Export Date: 11 January 2020",
                "N1  - References: A, 2001; B, 2002;",
                "N1  - Funding details: X  Y",
                "A1  - Alias, A.",
                "Y1  - 2009/05/12/",
                "KW  - a; b; a",
            ]
        elif k == 9:
            lines += [
                "UR  - https://www.scopus.com/inward/record.uri?eid=2-s2.0-85079532227&doi=10.1/x",
                "UR  - https://elibrary.ru/item.asp?id=90000001",
                "AN  - WOS:000123",
                "AN  - 12345",
                "ZZ  - unknown tag",
                "M3  - Review",
                "SN  - 978-0-12-802749-3 (ISBN); 1751-1577",
            ]
        elif k == 10:
            lines = [ln + "  " if ln.startswith(("JO", "PB")) else ln for ln in lines]
            lines.insert(2, "TY  -")
        elif k == 11:
            lines = ["Provider: invented", ""] + lines
        edited.append("\n".join(lines))
    out["ris_edited.ris"] = ("ER  - \n".join(edited) + "ER  - \n\nER  - \n").encode()
    return out


def make_inputs(folder: Path) -> None:
    """Realistic and hostile files (fixed seeds: the same bytes every time)."""
    if folder.exists() and any(folder.iterdir()):
        return
    folder.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "scripts"))
    from realistic_records import WRITERS

    WRITERS["wos_plaintext"](folder / "wos_realistic.txt", REALISTIC, 7)
    WRITERS["ris"](folder / "ris_realistic.ris", REALISTIC, 7)
    rnd = random.Random(11)
    variants = _hostile_wos((folder / "wos_realistic.txt").read_text("utf-8"), rnd)
    variants |= _hostile_ris((folder / "ris_realistic.ris").read_text("utf-8"), rnd)
    for name, data in variants.items():
        (folder / name).write_bytes(data)


# ---------------------------------------------------------------- dump and compare


def _dump_name(path: Path, fmt: str | None) -> str:
    rel = path.relative_to(ROOT.parent) if path.is_relative_to(ROOT.parent) else Path(path.name)
    return re.sub(r"[^\w.-]+", "_", str(rel)) + (f".{fmt}" if fmt else "") + ".jsonl"


def dump(files: list[tuple[Path, str | None]], out: Path) -> None:
    from bibmine.record import Record, to_json
    from bibmine.sources.files import open_export

    out.mkdir(parents=True, exist_ok=True)
    for path, fmt in files:
        with open(out / _dump_name(path, fmt), "wb") as fh:
            try:
                opened = open_export(path, fmt)
                fh.write(json.dumps({"format": opened.reader.name, "encoding": opened.encoding}).encode() + b"\n")
                for item in opened.records():
                    if isinstance(item, Record):
                        fh.write(to_json(item) + b"\n")
                    else:
                        reject = {"location": item.location, "reason": item.reason, "raw": item.raw}
                        fh.write(json.dumps({"reject": reject}, ensure_ascii=False).encode() + b"\n")
            except Exception as exc:  # a file no reader takes is part of the output too
                fh.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode() + b"\n")


def compare(saved: Path, now: Path) -> int:
    """Number of dump files that differ (or are missing on either side); prints the first difference of each."""
    bad = 0
    for name in sorted({p.name for p in saved.iterdir()} | {p.name for p in now.iterdir()}):
        a, b = saved / name, now / name
        if not a.exists() or not b.exists():
            print(f"{name}: only in {'the new dump' if b.exists() else 'the saved dump'}")
            bad += 1
            continue
        if a.read_bytes() == b.read_bytes():
            continue
        bad += 1
        old, new = a.read_bytes().split(b"\n"), b.read_bytes().split(b"\n")
        i = next((k for k, (x, y) in enumerate(zip(old, new, strict=False)) if x != y), min(len(old), len(new)))
        print(f"{name}: line {i + 1} differs ({len(old)} vs {len(new)} lines)")
        print("  saved:", (old[i] if i < len(old) else b"<none>")[:600].decode(errors="replace"))
        print("  now:  ", (new[i] if i < len(new) else b"<none>")[:600].decode(errors="replace"))
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("action", choices=("save", "check"))
    ap.add_argument("dump", type=Path, help="folder of the saved dump")
    ap.add_argument(
        "--inputs",
        type=Path,
        default=Path(tempfile.gettempdir()) / "bibmine_reader_inputs",
        help="folder of the generated inputs (made when empty)",
    )
    args = ap.parse_args()
    make_inputs(args.inputs)
    files = input_files(args.inputs)
    if args.action == "save":
        dump(files, args.dump)
        print(f"saved {len(files)} dumps in {args.dump}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        dump(files, Path(tmp))
        bad = compare(args.dump, Path(tmp))
    print(f"{len(files)} inputs: {'identical' if not bad else f'{bad} differ'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
