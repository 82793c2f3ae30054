"""The stages of a study, each writing its part of the study folder (docs/study-layout.md).

Every stage takes the :class:`~bibmine.study.config.Study` and returns a short note for
the summary; all of them read the corpus or the files earlier stages wrote, never each
other's Python objects, so any stage can be rerun alone.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd

from bibmine.corpus.store import Corpus
from bibmine.safe_csv import safe_writer
from bibmine.study.config import Study


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


def stage_corpus(study: Study) -> str:
    """Import the study's files into a fresh study corpus; corpus/stats.json and imports.csv."""
    from bibmine.corpus.importer import import_files
    from bibmine.corpus.stats import corpus_stats

    if study.rebuild_corpus:  # a corpus this study created (or --fresh-corpus): rebuilt from the study's files
        for suffix in ("", "-wal", "-shm"):
            Path(f"{study.corpus}{suffix}").unlink(missing_ok=True)
    with Corpus(study.corpus) as corpus:
        reports = import_files(corpus, study.files)
        stats = corpus_stats(corpus)
    folder = study.out / "corpus"
    _write_json(folder / "stats.json", stats.as_dict())
    with open(folder / "imports.csv", "w", encoding="utf-8", newline="") as fh:
        w = safe_writer(fh)
        w.writerow(["file", "format", "encoding", "read", "new", "merged", "duplicate", "rejected", "error"])
        for r in reports:
            w.writerow([r.path.name, r.format, r.encoding, r.read, r.new, r.merged, r.duplicate, r.rejected,
                        r.error or ""])
    rejected = sum(r.rejected for r in reports)
    return f"{stats.works} works from {len(reports)} files ({rejected} records quarantined)"


def stage_regions(study: Study) -> str:
    """Place every affiliation; regions/stats.json."""
    from bibmine.regions.counting import count_records
    from bibmine.regions.matcher import Matcher
    from bibmine.regions.store import assign, placed_records, unresolved

    matcher = Matcher(user_file=study.gazetteer)
    with Corpus(study.corpus) as corpus:
        statuses = assign(corpus, matcher)
        mode = "whole" if study.share == "whole" else study.share
        table = count_records(placed_records(corpus), mode, "subject")
        top = unresolved(corpus, 20)
    gaz = matcher.gazetteer
    by_region = []
    for unit, value in sorted(table.totals.items(), key=lambda kv: (-kv[1], kv[0])):
        subject = gaz.subjects.get(unit)
        by_region.append({"region": unit, "name": getattr(subject, "name_en", None) or unit,
                          "name_ru": getattr(subject, "name_ru", None),
                          "macroregion": gaz.macroregion_of(unit) if unit.startswith("RU-") else None,
                          "records": value, "share": value / table.records if table.records else None})
    data = {"placements": dict(statuses), "by_region": by_region, "records": table.records,
            "unplaced_records": len(table.unplaced_records), "unresolved_share": table.share_unplaced_records,
            "counting": mode, "top_unresolved": [{"text": t, "n": n} for t, n, *_ in top]}
    _write_json(study.out / "regions" / "stats.json", data)
    share = table.share_unplaced_records
    return f"{sum(statuses.values())} affiliations; {'n/a' if share is None else f'{share:.0%}'} of records unplaced"


def stage_specialization(study: Study) -> str:
    """Coefficients (files, bundled case, S&T from the corpus), matrices, scenarios, heat maps."""
    from bibmine.specialization.case import bundled_case, run_case
    from bibmine.specialization.coefficients import location_quotients
    from bibmine.specialization.concordance import read_concordance
    from bibmine.specialization.corpus_counts import st_records
    from bibmine.specialization.inputs import read_coefficients, read_values, write_table
    from bibmine.specialization.study_st import study_st
    from bibmine.specialization.vocab import MATRIX_LEVELS

    folder = study.out / "specialization"
    tables: list[pd.DataFrame] = []
    regions_table = None
    notes = []
    for source in study.coefficients:
        if source.startswith("bundled:"):
            coefficients, regions_table = bundled_case()
        else:
            coefficients, problems = read_coefficients(Path(source))
            notes += [f"{source}: {p}" for p in problems]
        tables.append(coefficients)
    if study.values:
        values, problems = read_values(study.values)
        notes += [str(p) for p in problems]
        tables.append(location_quotients(values))
    with Corpus(study.corpus) as corpus:
        table, excluded = st_records(corpus, share="affiliation" if study.share == "whole" else study.share)
    if table.empty:
        notes.append("no record has both a placed region and a rubric: no S&T counts from the corpus")
    if study.st == "corpus":  # else the S&T ratios of the coefficient files stand
        st, st_notes, _summary = study_st(study, folder, table)  # against the [specialization] baseline, or none
        notes += st_notes
        tables = [t[t.level != "st"] for t in tables] + ([st] if st is not None else [])
        tables = [t for t in tables if not t.empty]
    else:
        (folder / "reference.json").unlink(missing_ok=True)  # the coefficient files' S&T ratios: no reference of ours
    if not tables:
        _write_json(folder / "notes.json", notes)
        return "no coefficients: no economic statistics and no S&T counts; matrices and scenarios skipped"
    coefficients = pd.concat(tables, ignore_index=True)
    write_table(coefficients, folder / "coefficients.csv")
    if regions_table is None:
        regions = study.regions or sorted(r for r in coefficients.region.unique() if str(r).startswith("RU-"))
        regions_table = pd.DataFrame({"region": regions})
    elif study.regions:
        regions_table = regions_table[regions_table.region.isin(study.regions)]
    missing = [level for level in MATRIX_LEVELS if level not in set(coefficients.level)]
    if missing:  # no economic statistics: the S&T coefficients stand, matrices and scenarios cannot be built
        notes.append(f"matrices, scenarios and heat maps skipped: no {', '.join(missing)} coefficients "
                     "(economic statistics: [specialization] coefficients or values)")
        _write_json(folder / "notes.json", notes)
        return f"S&T coefficients only; {notes[-1]}"
    concordance = read_concordance(study.concordance) if study.concordance else read_concordance()
    for lang in sorted({study.lang, "en", "ru"}):
        run_case(coefficients, regions_table, folder, lang, concordance=concordance, threshold=study.threshold,
                 name=study.name)
    _write_json(folder / "notes.json", notes)
    competences = Counter(coefficients[(coefficients.level == "st") & (coefficients.value > study.threshold)].region)
    return _competences_line(list(regions_table.region), competences, coefficients.region.nunique(), study.threshold)


def _competences_line(regions: list[str], competences: Counter, subjects: int, threshold: float) -> str:
    """The console's summary of the specialization stage: the study's regions by name with their number of
    S&T competences, and how many subjects the coefficients cover.

    >>> _competences_line(["RU-VOR", "RU-TAM"], Counter({"RU-VOR": 7, "RU-MOW": 9}), 13, 1.0)
    'S&T competences (ratio > 1.00): Voronezh Oblast 7, Tambov Oblast 0; coefficients for 13 subjects'
    """
    from bibmine.regions import read_gazetteer

    subjects_by_code = read_gazetteer().subjects
    shown = ", ".join(f"{subjects_by_code[r].name_en if r in subjects_by_code else r} {competences.get(r, 0)}"
                      for r in regions)
    return f"S&T competences (ratio > {threshold:.2f}): {shown}; coefficients for {subjects} subjects"


def stage_maps(study: Study) -> str:
    """VOSviewer map, network and JSON files per network kind."""
    from bibmine.maps.build import MapOptions
    from bibmine.maps.make import make_map

    made = []
    options = MapOptions(counting=study.map_counting, min_occurrences=study.min_occurrences, top_n=study.top,
                         lang=study.lang)
    with Corpus(study.corpus) as corpus:
        for kind in study.networks:
            result = make_map(corpus.iter_works(), kind, study.out / "maps" / kind, options, source=study.corpus.name)
            n = result.graph.number_of_nodes()
            problems = f", {len(result.violations)} file-rule problems" if result.violations else ""
            made.append(f"{kind}: {n} items{problems}" if result.written else f"{kind}: too few items ({n})")
    return "; ".join(made)


def stage_rubrics(study: Study) -> str:
    """Manual labels in, automatic rubrics out (never over manual ones), distribution, agreement."""
    from bibmine.report.compare import write_comparison
    from bibmine.rubrics.assignments import corpus_assignments, merge_annotators
    from bibmine.rubrics.comparison import compare
    from bibmine.rubrics.label_import import import_labels, import_note
    from bibmine.rubrics.vocabulary import load_vocabulary, normalize_code

    notes = []
    with Corpus(study.corpus) as corpus:
        for path in study.manual_labels:
            notes.append(f"{path.name}: {import_note(import_labels(corpus, path))}")
        if study.model:
            from bibmine.rubrics.predict import classify_with

            card = classify_with(corpus, study.model)
            _write_json(study.out / "rubrics" / "model.json", card)
            notes.append(f"classified with {card.get('name', study.model)}")
        manual = corpus_assignments(corpus, "manual")
        automatic = corpus_assignments(corpus, "automatic")
        titles = {w.id: w.title or "" for w in corpus.iter_works(enrich=False)}
        # the report's "effect on S&T competences" needs the labelled records' regions (placed by now)
        placed = corpus.work_regions()
        scores = {r["uid"]: r["score"] for r in reversed(corpus.rubrics(source="automatic")) if r["score"] is not None}
    vocab = load_vocabulary()
    counts: dict[str, Counter] = {"manual": Counter(), "automatic": Counter()}
    for side, by_who in (("manual", manual), ("automatic", automatic)):
        for codes in merge_annotators(by_who).values():
            counts[side].update({normalize_code(c, 1) for c in codes})
    folder = study.out / "rubrics"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "distribution.csv", "w", encoding="utf-8", newline="") as fh:
        w = safe_writer(fh)
        w.writerow(["rubric", "name", "manual", "automatic"])
        for code in sorted(set(counts["manual"]) | set(counts["automatic"])):
            w.writerow([code, vocab.name(code, study.lang), counts["manual"][code], counts["automatic"][code]])
    if manual and automatic:
        auto = merge_annotators(automatic)
        manual_merged = merge_annotators(manual)
        if any(r in auto for r in manual_merged):
            result = compare(manual, auto, bootstrap=500, regions=placed, counting=study.counting,
                             threshold=study.threshold)
            write_comparison(result, study.out / "compare", manual=manual_merged, automatic=auto, scores=scores,
                          titles=titles)
            notes.append(f"agreement on {result.agreement.n} records: accuracy {result.agreement.accuracy:.2f}")
    return "; ".join(notes) or "no manual labels and no model"


def stage_report(study: Study) -> str:
    """report.html and workbook.xlsx in the study language (and the other language's copies)."""
    import shutil

    from bibmine.report.build import build_report
    from bibmine.report.publications import write_indicators

    write_indicators(study.corpus, study.out, study.regions)
    written = {}
    for lang in ("en", "ru"):
        written[lang] = build_report(study.out, lang)
    for name in ("report", "workbook"):
        ext = "html" if name == "report" else "xlsx"
        shutil.copyfile(study.out / f"{name}.{study.lang}.{ext}", study.out / f"{name}.{ext}")
    return f"report: {study.out / 'report.html'}"
