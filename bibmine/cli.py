"""The ``bibmine`` command line.

Exit codes (also in the README):
  0  success
  1  an unexpected error (a bug: please report it with the traceback)
  2  usage error (unknown option, missing argument, a file that does not exist)
  3  finished, but some records were rejected and are in quarantine
  4  finished, but at least one file could not be read at all (missing, unknown format, not a
     regular file), or the import stopped early (disk full); what was stored is kept
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bibmine import __version__
from bibmine.cli_lazy import LazyGroup, lazy_command, lazy_typer
from bibmine.cli_support import open_corpus, progress
from bibmine.corpus.dedup_config import DedupConfig
from bibmine.corpus.store import ENV_VAR, Corpus, default_corpus_path

EXIT_REJECTS = 3
EXIT_UNREADABLE = 4

app = typer.Typer(
    name="bibmine",
    cls=LazyGroup,
    help="Text mining and bibliometrics for regional smart specialization.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
console = Console()
err = Console(stderr=True, soft_wrap=True)

CorpusOpt = Annotated[
    Path,
    typer.Option("--corpus", envvar=ENV_VAR, help="Corpus SQLite file.", default_factory=default_corpus_path,
                 show_default="corpus/bibmine.sqlite"),
]
TitleThresholdOpt = Annotated[float, typer.Option("--title-threshold", min=0, max=100,
                                                  help="Fuzzy title similarity to merge (0-100).")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bibmine {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """bibmine: sources -> corpus -> regions -> rubrics -> specialization -> maps -> report."""


@app.command("import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="Export files (format detected from content), or "
                                                "folders of bibmine's Parquet exchange. A missing or unreadable "
                                                "one is reported (exit 4) and the others are imported.")],
    corpus: CorpusOpt,
    format: Annotated[str | None, typer.Option("--format", help="Force a reader, e.g. ris, wos_plaintext.")] = None,
    no_fuzzy: Annotated[bool, typer.Option("--no-fuzzy", help="Exact identifier dedup only.")] = False,
    title_threshold: TitleThresholdOpt = DedupConfig.title_threshold,
) -> None:
    """Import export files into the corpus, deduplicating as records arrive."""
    from bibmine.corpus.importer import DiskFullError, import_files

    with (open_corpus(corpus, create=True) as c,
          progress("{task.fields[records]}", "{task.fields[rate]}", eta=True, percent=True) as bar):
        tasks: dict[Path, int] = {}

        def on_progress(path: Path, n: int, done: int | None, size: int | None) -> None:
            # the bar follows the bytes read where the reader tells them (share of the file, time left)
            if path not in tasks:
                tasks[path] = bar.add_task(escape(path.name), total=size or None, records="", rate="")
            elapsed = bar.tasks[tasks[path]].elapsed or 1e-9
            where = {"total": size, "completed": done} if size else {"completed": n}
            bar.update(tasks[path], **where, records=f"{n:,} records", rate=f"{n / elapsed:,.0f} rec/s")

        def on_wait(message: str) -> None:
            err.print(escape(message), highlight=False)

        try:
            reports = import_files(c, files, format=format, fuzzy=not no_fuzzy, on_wait=on_wait,
                                   config=DedupConfig(title_threshold=title_threshold), on_progress=on_progress)
        except DiskFullError as exc:
            bar.stop()
            err.print(f"[red]error[/red]: {escape(str(exc))}", highlight=False)
            err.print("The corpus is valid and holds what was stored before; `bibmine stats` shows the batches.")
            raise typer.Exit(EXIT_UNREADABLE) from None
    table = Table(title=f"Import into {escape(str(corpus))}")
    for col in ("file", "format", "encoding", "read", "new", "merged", "duplicate", "rejected"):
        table.add_column(col, justify="right" if col in ("read", "new", "merged", "duplicate", "rejected") else "left")
    for r in reports:
        table.add_row(escape(r.path.name), r.format or "-", r.encoding or "-", str(r.read), str(r.new), str(r.merged),
                      str(r.duplicate), str(r.rejected))
    console.print(table)
    code = 0
    for r in reports:
        if r.error:
            err.print(f"[red]error[/red]: {escape(str(r.error))}", markup=True, highlight=False)
            code = max(code, EXIT_UNREADABLE)
        if r.rejected:
            err.print(f"[yellow]{escape(str(r.path))}[/yellow]: {r.rejected} record(s) quarantined; first: "
                      + escape("; ".join(r.rejects[:3])), highlight=False)
            code = max(code, EXIT_REJECTS)
    if code == EXIT_REJECTS:
        err.print("Good records were imported; see rejects with: bibmine quarantine")
    raise typer.Exit(code)


@app.command()
def stats(corpus: CorpusOpt, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Records by kind, year, source and language; completeness of each field per source."""
    from bibmine.corpus.stats import COMPLETENESS_FIELDS, corpus_stats

    with open_corpus(corpus) as c:
        st = corpus_stats(c)
    if as_json:
        typer.echo(json.dumps(st.as_dict(), ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{escape(str(corpus))}[/bold]: {st.works} works from {st.source_records} source records; "
                  f"{st.quarantined} quarantined")
    for b in st.unfinished:
        err.print(f"[yellow]batch {b['batch']} {b['status']}[/yellow]: {escape(b['source'])}: {b['stored']} record(s) "
                  f"stored; {escape(b['error'] or '')}", highlight=False)
    for title, counter in (("kind", st.by_kind), ("language", st.by_language), ("source", st.by_source)):
        t = Table(title=f"Works by {title}" if title != "source" else "Source records by format")
        t.add_column(title)
        t.add_column("n", justify="right")
        for key, n in counter.most_common():
            t.add_row(str(key), str(n))
        console.print(t)
    years = Table(title="Works by year")
    years.add_column("year")
    years.add_column("n", justify="right")
    for y, n in sorted(st.by_year.items(), key=lambda kv: str(kv[0])):
        years.add_row(str(y), str(n))
    console.print(years)
    comp = Table(title="Completeness per source (% of source records with the field)")
    comp.add_column("field")
    formats = sorted(st.completeness)
    for fmt in formats:
        comp.add_column(fmt, justify="right")
    for name in COMPLETENESS_FIELDS:
        comp.add_row(name, *(f"{100 * st.completeness[f][name]:.0f}" for f in formats))
    console.print(comp)


@app.command()
def export(
    corpus: CorpusOpt,
    format: Annotated[str, typer.Option("--format", help="csv, jsonl, ris or parquet.")] = "jsonl",
    out: Annotated[Path, typer.Option("--out", help="Output file (a new folder for parquet).")
                   ] = Path("bibmine-export.jsonl"),
    part_size: Annotated[int, typer.Option("--part-size", min=1, help="Works per Parquet part.")] = 50_000,
) -> None:
    """Write the merged works as CSV, JSON Lines, RIS, or a partitioned Parquet dataset (docs/parquet.md)."""
    from bibmine.corpus.export import WRITERS
    from bibmine.corpus.export import export as do_export

    if format not in (*WRITERS, "parquet"):
        raise typer.BadParameter(f"choose one of {', '.join(WRITERS)}, parquet", param_hint="--format")
    with open_corpus(corpus) as c:
        if format == "parquet":
            from bibmine.corpus.parquet import write_parquet

            try:
                with progress("{task.fields[rate]}") as bar:
                    task = bar.add_task("writing Parquet parts", total=c.count(), rate="")
                    manifest = write_parquet(c.iter_works(), out, part_size=part_size,
                                             progress=lambda n: bar.advance(task, n))
            except FileExistsError as exc:
                err.print(f"error: {escape(str(exc))}", highlight=False)
                raise typer.Exit(2) from None
            n = manifest["records"]
        else:
            n = do_export(c.iter_works(), out, format)
    console.print(f"wrote {n} works to {escape(str(out))}", highlight=False)


@app.command()
def dedup(
    corpus: CorpusOpt,
    report: Annotated[bool, typer.Option("--report", help="List merged pairs with rule and score.")] = False,
    undo: Annotated[int | None, typer.Option("--undo", help="Reverse the merge with this id.")] = None,
    candidates: Annotated[bool, typer.Option("--candidates", help="List pairs a rule kept apart, with the "
                                             "reason, for review.")] = False,
    merge: Annotated[tuple[str, str] | None, typer.Option("--merge", help="Merge two works by hand: "
                                                         "--merge KEEP_ID DROP_ID.")] = None,
    title_threshold: TitleThresholdOpt = DedupConfig.title_threshold,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON lines.")] = False,
) -> None:
    """Find duplicates across the stored works; --report explains every merge; --undo reverses one;
    --candidates lists look-alike pairs kept apart by a rule; --merge A B joins two by hand."""
    from bibmine.corpus.dedup_run import merge_report, run_dedup, undo_merge
    from bibmine.record import from_json

    with open_corpus(corpus) as c:
        if candidates or merge:
            _dedup_review(c, merge, as_json)
            return
        if undo is not None:
            try:
                left, restored = undo_merge(c, undo)
            except (KeyError, ValueError) as exc:
                err.print(f"error: {escape(str(exc).strip(chr(39)))}")
                raise typer.Exit(2) from None
            console.print(f"merge {undo} undone: {restored} split from {left}")
            return
        if not report:
            n = run_dedup(c, DedupConfig(title_threshold=title_threshold))
            console.print(f"{n} works merged into others; {c.count()} works remain")
            return
        rows = merge_report(c)
    if as_json:
        for r in rows:
            typer.echo(json.dumps({"merge": r["id"], "work": r["uid"], "title": r["work_title"],
                                   "source_format": r["format"], "source_file": r["batch_source"],
                                   "source_title": from_json(r["source_data"]).title, "rule": r["rule"],
                                   "score": r["score"]}, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} merges")
    for col in ("merge", "work", "merged source", "rule", "score", "work title", "source title"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r["id"]), r["uid"], escape(f"{r['format']} ({Path(r['batch_source']).name})"), r["rule"],
                      f"{r['score']:.3f}", escape(r["work_title"] or ""),
                      escape(from_json(r["source_data"]).title or ""))
    console.print(table)
    console.print("A rule named after an identifier (doi, wos, scopus, ...) means both records carry it; "
                  "fuzzy_title means title, year and first author agree. Undo with: bibmine dedup --undo ID")


@app.command()
def quarantine(corpus: CorpusOpt, limit: Annotated[int, typer.Option(help="Rows to show.")] = 50) -> None:
    """Rejected records: file, location and reason."""
    with open_corpus(corpus) as c:
        rows = c.quarantined()
    table = Table(title=f"{len(rows)} quarantined records")
    for col in ("file", "where", "reason"):
        table.add_column(col, overflow="fold")
    for r in rows[:limit]:
        table.add_row(escape(r["path"] or ""), escape(r["location"] or ""), escape(r["reason"]))
    console.print(table)


def _check_lang(lang: str | None) -> None:
    from bibmine.study.checks import choice_problem

    if lang is not None and (problem := choice_problem(lang, ("en", "ru"))):
        raise typer.BadParameter(problem, param_hint="--lang")


def _run_or_exit(config, *, force: bool, fresh_corpus: bool = False) -> None:
    from bibmine.study.config import ConfigError
    from bibmine.study.runner import run_study

    try:
        run_study(config, console, force=force, fresh_corpus=fresh_corpus)
    except ConfigError as exc:
        err.print(f"error: {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None


@app.command("run")
def run_cmd(
    study: Annotated[Path, typer.Argument(help="Study file (TOML).", exists=True, dir_okay=False)],
    force: Annotated[bool, typer.Option("--force", help="Rerun every stage, changed or not.")] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="Report language: en or ru.")] = None,
    fresh_corpus: Annotated[bool, typer.Option(
        "--fresh-corpus", help="Rebuild the existing bibmine corpus named in [study] corpus from the study's files "
        "(by default an existing corpus is opened and the files are added to it).")] = False,
) -> None:
    """Run a whole study: sources -> corpus -> regions -> rubrics -> specialization -> maps -> report."""
    from bibmine.study.config import ConfigError, load_study

    _check_lang(lang)
    try:
        config = load_study(study)
    except ConfigError as exc:
        err.print(f"error: {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    if lang:
        config.lang = lang
    _run_or_exit(config, force=force, fresh_corpus=fresh_corpus)
    console.print(f"report: {escape(str(config.out / 'report.html'))}", highlight=False)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the demo study.")] = Path("bibmine-demo"),
    lang: Annotated[str, typer.Option("--lang", help="Report language: en or ru.")] = "en",
    force: Annotated[bool, typer.Option("--force", help="Rerun every stage.")] = False,
) -> None:
    """Run the bundled demo study (invented CBE records + the published Central Black Earth case)."""
    from bibmine.demo import demo_study

    _check_lang(lang)
    config = demo_study(out)
    config.lang = lang
    _run_or_exit(config, force=force)
    console.print(f"[bold]Demo report:[/bold] {escape(str((config.out / 'report.html').resolve()))}",
                  highlight=False)


def _register_stages() -> None:
    """Each stage's sub-command, imported only when it runs (bibmine.cli_lazy); one line per stage."""
    lazy_command("compare", "bibmine.report.compare_cli:compare_cmd",
                 "Agreement of manual and automatic GRNTI rubrics, and what it does to the competences.")
    lazy_command("import-labels", "bibmine.report.compare_cli:import_labels_cmd",
                 "Store manual GRNTI labels (or an analyst's review decisions) in the corpus, with provenance.")
    lazy_typer("crawl", "bibmine.sources.crawl.cli:app",
               "Crawl OpenAlex, Crossref, eLIBRARY and patent registers into the corpus (polite, resumable: "
               "run the same command again to resume).")
    lazy_typer("indicators", "bibmine.indicators.cli:app", "Descriptive bibliometric indicators of the corpus.")
    lazy_typer("map", "bibmine.maps.cli:app",
               "VOSviewer maps: co-occurrence, co-authorship, bibliographic coupling and co-citation networks.")
    lazy_typer("regions", "bibmine.regions.cli:app",
               "Place affiliations in an organization, city, Russian federal subject and macroregion, with evidence.")
    lazy_typer("report", "bibmine.report.cli:app", "Reports of a study folder (docs/study-layout.md).")
    lazy_typer("rubrics", "bibmine.rubrics.cli:app",
               "Assign GRNTI rubrics to records: train, evaluate, classify, explain.")
    lazy_typer("specialization", "bibmine.specialization.cli:app",
               "Specialization coefficients, managerial matrices and scenario models of regions.")
    lazy_typer("baseline", "bibmine.specialization.baseline_cli:app", "National reference of the S&T ratio.")


_register_stages()


def _dedup_review(c: Corpus, merge: tuple[str, str] | None, as_json: bool) -> None:
    from bibmine.corpus.dedup_run import merge_by_hand, review_candidates

    if merge:
        try:
            kept = merge_by_hand(c, *merge)
        except (KeyError, ValueError) as exc:
            err.print(f"error: {escape(str(exc).strip(chr(39)))}", highlight=False)
            raise typer.Exit(2) from None
        console.print(f"merged {escape(merge[1])} into {escape(kept)} (undo with bibmine dedup --report / --undo)",
                      highlight=False)
        return
    rows = review_candidates(c)
    if as_json:
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} pairs kept apart by a rule (merge one with: bibmine dedup --merge A B)")
    for col in ("A", "B", "score", "reason", "title A", "title B"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["a"], r["b"], "-" if r["score"] is None else f"{r['score']:.2f}", escape(r["reason"]),
                      escape(r["title_a"] or ""), escape(r["title_b"] or ""))
    console.print(table)


def run() -> None:  # console-script entry point
    from bibmine.corpus.store import NotACorpusError, SchemaTooNewError

    try:
        app()
    except (NotACorpusError, SchemaTooNewError) as exc:
        err.print(f"error: {escape(str(exc))}", highlight=False)
        raise SystemExit(2) from None


if __name__ == "__main__":
    run()
