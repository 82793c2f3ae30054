"""The ``bibmine compare`` and ``bibmine import-labels`` commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bibmine.cli_support import open_corpus
from bibmine.corpus.store import ENV_VAR, default_corpus_path
from bibmine.rubrics.assignments import by_annotator, merge_annotators, read_assignments, resolve_ids

console = Console()
err = Console(stderr=True, soft_wrap=True)


def compare_cmd(
    manual: Annotated[Path, typer.Option("--manual", help="Manual labels: record_id,rubric[,annotator][,score], "
                                         "or a labelled text set.", exists=True, dir_okay=False)],
    automatic: Annotated[Path | None, typer.Option("--automatic", help="Automatic labels, same layout.",
                                                   exists=True, dir_okay=False)] = None,
    model: Annotated[str | None, typer.Option("--model", help="Classify with this model instead.")] = None,
    corpus: Annotated[Path | None, typer.Option("--corpus", envvar=ENV_VAR,
                                                help="Corpus for regions, titles and texts.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("compare-out"),
    level: Annotated[int, typer.Option("--level", min=1, max=3, help="GRNTI level compared.")] = 1,
    counting: Annotated[str, typer.Option("--counting", help="whole or fractional.")] = "whole",
    threshold: Annotated[float, typer.Option("--threshold", help="Competence: ratio strictly above.")] = 1.0,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap rounds for the intervals.")] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
) -> None:
    """Agreement of manual and automatic GRNTI rubrics, and what it does to the competences."""
    from bibmine.report.compare import write_comparison
    from bibmine.rubrics.comparison import compare, predict_labels, text_set_labels
    from bibmine.rubrics.text import record_text

    if (automatic is None) == (model is None):
        raise typer.BadParameter("give exactly one of --automatic FILE or --model NAME")
    texts: dict[str, str] = {}
    try:
        rows, rejects = read_assignments(manual)
        manual_labels = by_annotator(rows, level)
    except ValueError:  # not an assignment file: a labelled text set
        manual_labels, texts = text_set_labels(manual, level)
        rejects = []
    for where, reason in rejects[:5]:
        err.print(f"skipped {escape(where)}: {escape(reason)}", highlight=False)
    merged = merge_annotators(manual_labels)
    scores: dict[str, float] = {}
    if automatic is not None:
        arows, arejects = read_assignments(automatic)
        auto = next(iter(by_annotator(arows, level).values()), {})
        scores = {r.record_id: r.score for r in arows if r.score is not None and r.record_id not in scores}
    regions: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    corpus_path = corpus or default_corpus_path()
    if corpus_path.exists():
        with open_corpus(corpus_path) as c:
            uids = resolve_ids(c, sorted(merged))
            works = {w.id: w for w in c.works_of(uids.values())}
            placed = c.work_regions(uids.values())
        for rid, uid in uids.items():
            titles[rid] = works[uid].title or ""
            texts.setdefault(rid, record_text(works[uid]))
            regions[rid] = placed[uid]
    if model is not None:
        if not texts:
            raise typer.BadParameter("--model needs the records' texts: a labelled text set, or a corpus holding "
                                     "the records", param_hint="--model")
        auto, scores = predict_labels(model, texts, level=level)
    result = compare(manual_labels, auto, regions=regions, counting=counting, threshold=threshold,
                     bootstrap=bootstrap)
    write_comparison(result, out, manual=merged, automatic=auto, scores=scores, titles=titles)
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False, default=str))
        return
    _print_summary(result, out)


def _print_summary(result, out: Path) -> None:
    ag = result.agreement
    t = Table(title=f"Manual vs automatic, GRNTI level 1 ({ag.n} records both labelled)")
    t.add_column("figure")
    t.add_column("value", justify="right")
    t.add_column("95% interval", justify="right")
    for key in ("accuracy", "macro_f1", "micro_f1", "kappa", "in_set", "jaccard"):
        low_high = ag.intervals.get(key)
        t.add_row(key, f"{getattr(ag, key):.3f}", f"{low_high[0]:.3f}-{low_high[1]:.3f}" if low_high else "")
    console.print(t)
    for (a, b), pair in sorted(result.annotators.items()):
        console.print(f"between annotators {a} and {b}: accuracy {pair.accuracy:.3f}, kappa {pair.kappa:.3f} "
                      f"(n={pair.n})")
    if result.effect is None:
        console.print(f"effect on competences: skipped: {result.effect_note}")
    else:
        for r in result.effect.regions:
            rho = "n/a" if r.spearman is None else f"{r.spearman:.2f}"
            jac = "n/a" if r.jaccard is None else f"{r.jaccard:.2f}"
            mine, theirs = ",".join(r.manual_competences) or "-", ",".join(r.automatic_competences) or "-"
            console.print(f"{r.region}: Spearman {rho}, Jaccard of competences {jac}; "
                          f"manual {mine} / automatic {theirs}")
        for f in result.effect.flips:
            console.print(f"  {f.region} {f.rubric} {f.change}: driven by {len(f.gained)} gained, {len(f.lost)} lost "
                          f"records {f.note}".rstrip())
    console.print(f"files in {out}")


def import_labels_cmd(
    files: Annotated[list[Path], typer.Argument(help="Label files or filled review lists.", exists=True,
                                                dir_okay=False)],
    corpus: Annotated[Path, typer.Option("--corpus", envvar=ENV_VAR, default_factory=default_corpus_path,
                                         show_default="corpus/bibmine.sqlite", help="Corpus SQLite file.")],
    annotator: Annotated[str | None, typer.Option("--annotator", help="Annotator for rows without one.")] = None,
) -> None:
    """Store manual GRNTI labels (or an analyst's review decisions) in the corpus, with provenance."""
    from bibmine.rubrics.label_import import import_labels, import_note

    code = 0
    with open_corpus(corpus) as c:
        for path in files:
            try:
                batch = import_labels(c, path, annotator=annotator)
            except ValueError as exc:
                err.print(f"error: {escape(str(exc))}", highlight=False)
                code = max(code, 2)
                continue
            console.print(f"{escape(path.name)}: {import_note(batch)}", highlight=False)
            code = max(code, 3 if batch.n_rejected else 0)
    raise typer.Exit(code)
