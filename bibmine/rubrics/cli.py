"""``bibmine rubrics ...``: train, evaluate and apply GRNTI rubric classifiers."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bibmine.cli_support import open_corpus, progress
from bibmine.scale.options import LOCAL, EngineChoice, engine_options

DEFAULT_BACKENDS = "tfidf-svm,tfidf-cnb,tfidf-zeroshot"  # the shipped default's members (train.DEFAULT_RECIPE)

app = typer.Typer(help="Assign GRNTI rubrics to records: train, evaluate, classify, explain.", no_args_is_help=True)
console = Console(stderr=True)

ModelOpt = Annotated[str, typer.Option("--model", "-m", help="Shipped model name or a model folder.")]
CorpusOpt = Annotated[Path | None, typer.Option("--corpus", help="Corpus file (default $BIBMINE_CORPUS).")]


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _load_model(name: str):
    from bibmine.rubrics.model import RubricModel

    try:
        return RubricModel.load(name)
    except (FileNotFoundError, ValueError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


def _progress() -> Progress:
    return progress("{task.fields[rate]}", console=console)


def _metrics_table(title: str, rows: dict[str, dict]) -> Table:
    t = Table(title=title)
    for col in ("", "n", "accuracy", "macro-F1", "kappa", "in-set acc."):
        t.add_column(col)
    for name, m in rows.items():
        t.add_row(name, str(m.get("n")), *[("—" if m.get(k) is None else f"{m[k]:.3f}")
                                           for k in ("accuracy", "macro_f1", "kappa", "in_set_accuracy")])
    return t


def _per_rubric_table(details: dict) -> Table:
    t = Table(title="per rubric (level 1); most frequent confusions below")
    for col in ("rubric", "support", "predicted", "precision", "recall", "F1"):
        t.add_column(col)
    for r in details["per_rubric"]:
        t.add_row(r["rubric"], str(r["support"]), str(r["predicted"]),
                  *[("—" if r[k] is None else f"{r[k]:.3f}") for k in ("precision", "recall", "f1")])
    for c in details["confusions"]:
        t.add_row(f"{c['true']} -> {c['predicted']}", str(c["count"]), "", "", f"{c['share_of_true']:.3f} of true", "")
    return t


@app.command()
def train(
    labels: Annotated[list[Path], typer.Option("--labels", "-l", help="Label file(s); the first is the main set.")],
    name: Annotated[str, typer.Option("--name", help="Model name.")] = "grnti-custom",
    out: Annotated[Path | None, typer.Option("--out", help="Model folder (default: package models).")] = None,
    backends: Annotated[str, typer.Option(help="Ensemble members, comma-separated.")] = DEFAULT_BACKENDS,
    extra_weight: Annotated[float, typer.Option(help="Sample weight of rows from the 2nd.. label files.")] = 0.1,
    vocabulary_weight: Annotated[float, typer.Option(help="Weight of rubric names as training rows (0: none).")] = 1.0,
    st_model: Annotated[str | None, typer.Option(help="sentence-transformers model folder or package.")] = None,
) -> None:
    """Train a model on label files (no corpus needed) and save it with its model card."""
    from bibmine.rubrics.model import MODELS_DIR
    from bibmine.rubrics.train import DEFAULT_RECIPE, fit_model, read_training_files

    for p in labels:
        if not p.exists():
            console.print(f"[red]{p}: no such label file[/red]")
            raise typer.Exit(2)
    main, extras = read_training_files(labels, extra_weight)
    for data in [main] + [d for d, _ in extras]:
        for where, reason in data.rejects[:5]:
            console.print(f"[yellow]{data.source} {where}: skipped, {reason}[/yellow]")
    with console.status(f"training on {len(main)} + {sum(len(d) for d, _ in extras)} labelled texts"):
        model = fit_model(name, main, extras, **(DEFAULT_RECIPE | {"backends": tuple(_split(backends))}),
                          st_model=st_model, vocabulary_weight=vocabulary_weight)
    path = model.save(out or MODELS_DIR / name)
    typer.echo(f"saved {model.model_id} to {path}")


@app.command()
def evaluate(
    labels: Annotated[Path, typer.Option("--labels", "-l", help="Label file to cross-validate on.")],
    extra: Annotated[list[Path] | None,
                     typer.Option("--extra", help="More label files joining each training fold.")] = None,
    backends: Annotated[str, typer.Option(help="Ensemble members to cross-validate.")] = DEFAULT_BACKENDS,
    folds: Annotated[int, typer.Option(help="Number of folds.")] = 5,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Instead of CV: score this trained model.")] = None,
    vocabulary_weight: Annotated[float, typer.Option(help="Weight of rubric names as training rows.")] = 1.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print metrics as JSON.")] = False,
) -> None:
    """Cross-validated level-1 accuracy, macro-F1, kappa and in-set accuracy on a label file."""
    from bibmine.rubrics.evaluate import cross_validate
    from bibmine.rubrics.labels import read_labels
    from bibmine.rubrics.train import DEFAULT_RECIPE, fit_model

    if not labels.exists():
        console.print(f"[red]{labels}: no such label file[/red]")
        raise typer.Exit(2)
    data = read_labels(labels)
    details = None
    if model:
        from bibmine.rubrics.quality import quality

        scored = _load_model(model)
        details = quality(data.labels, scored.predict(data.texts), data.label_sets, data.kinds)
        result = {f"{model} on {labels.name}": details["overall"]}
    else:
        extras = [(read_labels(p), 0.1) for p in (extra or [])]
        chosen = tuple(_split(backends))

        def fit(main, ex):
            return fit_model("cv", main, ex, **(DEFAULT_RECIPE | {"backends": chosen}), level2=False,
                             vocabulary_weight=vocabulary_weight)

        with _progress() as bar:
            task = bar.add_task(f"{folds}-fold CV", total=folds, rate="")
            m, pred, _ = cross_validate(fit, data, extras, k=folds,
                                        progress=lambda i, k: bar.update(task, completed=i))
        from bibmine.rubrics.quality import quality

        details = quality(data.labels, pred, data.label_sets, data.kinds)
        result = {f"{'+'.join(chosen)} ({folds}-fold CV)": m}
    if as_json:
        typer.echo(json.dumps({"metrics": result, **{k: v for k, v in details.items() if k != "overall"}},
                              ensure_ascii=False, indent=1))
    else:
        out = Console()
        out.print(_metrics_table(f"{labels.name}: {len(data)} labelled texts", result))
        out.print(_metrics_table("per record kind", details["by_kind"]))
        out.print(_per_rubric_table(details))
    if data.rejects:
        console.print(f"[yellow]{len(data.rejects)} rows skipped (first: {data.rejects[0][0]}: {data.rejects[0][1]})")


@app.command("classify-file")
def classify_file(
    src: Annotated[Path, typer.Argument(help="CSV with the texts.")],
    text_columns: Annotated[str, typer.Option(help="Columns joined into the text, comma-separated.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="CSV to write.")],
    model: ModelOpt = "grnti-default",
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=20, help="Rubrics per row.")] = 3,
    level: Annotated[int, typer.Option("--level", min=1, max=2, help="1: two-digit codes; 2: NN.NN.")] = 1,
    threshold: Annotated[float, typer.Option(help="Leave rubrics after the first empty below this score.")] = 0.0,
    group_column: Annotated[str | None, typer.Option(
        "--group-column", help="Collective mode (level 1): rows with the same non-empty value in this column (e.g. "
        "the performing organization) have their rubric prior adapted together; empty values are left as "
        "classified.")] = None,
) -> None:
    """Classify texts outside any corpus: OUT keeps IN's rows in order and adds rubric_i, score_i."""
    from bibmine.rubrics.files import classify_csv

    if not src.exists():
        console.print(f"[red]{src}: no such file[/red]")
        raise typer.Exit(2)
    m = _load_model(model)
    with _progress() as bar:
        task = bar.add_task("classifying", total=None, rate="")

        started = time.perf_counter()

        def tick(done, total):
            rate = done / max(time.perf_counter() - started, 1e-9)
            bar.update(task, completed=done, total=total, rate=f"{rate:,.0f} records/s")

        try:
            info = classify_csv(m, src, out, _split(text_columns), top_k=top_k, level=level, threshold=threshold,
                                progress=tick, group_column=group_column)
        except ValueError as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
    rate = info["classified"] / info["seconds"] if info["seconds"] else 0.0
    typer.echo(f"{info['classified']} of {info['rows']} rows classified with {m.model_id} "
               f"({rate:,.0f} records/s) -> {out}")
    if group_column is not None:
        typer.echo(f"collective mode: rubric priors adapted per value of {group_column}, {info['groups']} groups")
    for row, what in list(info.get("bad_rows", {}).items())[:10]:
        console.print(f"[yellow]{src} row {row}: {what}; left unclassified (its rubric cells are empty)[/yellow]",
                      markup=True, highlight=False)
    if len(info.get("bad_rows", {})) > 10:
        console.print(f"[yellow]{src}: {len(info['bad_rows'])} rows hold undecodable bytes in all[/yellow]")
    if info["empty_rows"]:
        shown = ", ".join(map(str, info["empty_rows"][:10]))
        console.print(f"[yellow]{src}: {len(info['empty_rows'])} rows have no text in {text_columns} "
                      f"(rows {shown}{'...' if len(info['empty_rows']) > 10 else ''}); their rubric cells are empty")


def _open_corpus(path: Path | None):
    from bibmine.corpus.store import default_corpus_path

    return open_corpus(path or default_corpus_path())


@app.command()
@engine_options
def classify(
    corpus: CorpusOpt = None,
    model: ModelOpt = "grnti-default",
    top_k: Annotated[int, typer.Option("--top-k", min=1, max=20)] = 3,
    level: Annotated[int, typer.Option("--level", min=1, max=2)] = 1,
    unlabelled_only: Annotated[bool, typer.Option(help="Skip works that have a manual GRNTI rubric.")] = False,
    engine: EngineChoice = LOCAL,
) -> None:
    """Write automatic GRNTI assignments (model id, scores) for the corpus; manual ones are never touched."""
    m = _load_model(model)
    with _open_corpus(corpus) as c, _progress() as bar:
        task = bar.add_task("classifying", total=c.count(), rate="")

        def tick(done, secs):
            bar.update(task, completed=done, rate=f"{done / max(secs, 1e-9):,.0f} records/s")

        if engine.local:
            from bibmine.rubrics.corpus_ops import classify_corpus

            info = classify_corpus(c, m, top_k=top_k, level=level, only_unlabelled=unlabelled_only, progress=tick)
        else:
            from bibmine.rubrics.partitions import classify_dataset

            with engine.distributed(c) as (ds, e):
                info = classify_dataset(c, e, ds, m, top_k=top_k, level=level, only_unlabelled=unlabelled_only,
                                        progress=tick)
    rate = info["records"] / info["seconds"] if info["seconds"] else 0.0
    typer.echo(f"{info['records']} works classified with {info['model']} ({rate:,.0f} records/s), "
               f"{info['assignments']} automatic assignments; {info['without_text']} works have no text")


@app.command()
def explain(
    record: Annotated[str, typer.Argument(help="Work id in the corpus.")],
    corpus: CorpusOpt = None,
    model: ModelOpt = "grnti-default",
    top_k: Annotated[int, typer.Option("--top-k")] = 5,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Top rubrics of a work with scores, and the nearest manually labelled works."""
    from bibmine.rubrics import corpus_ops

    m = _load_model(model)
    with _open_corpus(corpus) as c:
        try:
            info = corpus_ops.explain(c, m, record, top_k=top_k)
        except KeyError as exc:
            console.print(f"[red]{exc.args[0]}[/red]")
            raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(info, ensure_ascii=False, indent=1))
        return
    out = Console()
    out.print(f"{info['id']}: {info['title'] or '(no title)'}", markup=False)
    t = Table("rubric", "name", "score")
    for r in info["rubrics"]:
        t.add_row(r["code"], r["name"] or "", f"{r['score']:.3f}")
    out.print(t)
    if info["manual"]:
        out.print("manual rubrics: " + ", ".join(info["manual"]), markup=False)
    n = Table("nearest labelled work", "title", "rubric", "similarity")
    for r in info["neighbours"]:
        n.add_row(r["id"], (r["title"] or "")[:80], r["rubric"], f"{r['similarity']:.3f}")
    out.print(n)


@app.command("suggest-labels")
def suggest_labels_cmd(
    n: Annotated[int, typer.Argument(help="How many works to suggest.")],
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("labels_to_fill.csv"),
    corpus: CorpusOpt = None,
    model: ModelOpt = "grnti-default",
) -> None:
    """The N unlabelled works that would help the model most (uncertainty + diversity), as a CSV to fill."""
    from bibmine.rubrics.corpus_ops import suggest_labels

    m = _load_model(model)
    with _open_corpus(corpus) as c:
        k = suggest_labels(c, m, n, out)
    typer.echo(f"{k} works to label -> {out} (fill the rubric column, then `bibmine import-labels {out}`)")

