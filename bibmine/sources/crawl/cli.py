"""``bibmine crawl ...``: polite, resumable crawls into the corpus.

Run the same command again to resume a crawl stopped by Ctrl-C, kill -9, a captcha
page or an outage: it goes on from the first page whose records are not stored.

Exit codes: 0 done; 2 usage or configuration error (a missing token names the
variable to set); 3 done, some records quarantined; 5 stopped (captcha, block,
robots.txt, long Retry-After, outage) with the job saved; 130 Ctrl-C.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bibmine.cli_support import open_corpus, progress
from bibmine.corpus.store import ENV_VAR, default_corpus_path
from bibmine.sources.crawl.config import DEFAULT_CACHE, ConfigError, CrawlConfig, load_config
from bibmine.sources.crawl.engine import Crawler, CrawlStopped, Page, run_crawl
from bibmine.sources.crawl.regions import Region, region
from bibmine.sources.crawl.state import Job, JobStore
from bibmine.sources.http import PoliteClient
from bibmine.sources.redact import install_log_redaction, redact_text

EXIT_USAGE, EXIT_REJECTS, EXIT_STOPPED = 2, 3, 5

app = typer.Typer(name="crawl", help="Crawl OpenAlex, Crossref, eLIBRARY and patent registers into the corpus "
                  "(polite, resumable: run the same command again to resume).", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_show_locals=False)
console = Console()
err = Console(stderr=True, soft_wrap=True)

CorpusOpt = Annotated[Path, typer.Option("--corpus", envvar=ENV_VAR, help="Corpus SQLite file.",
                                         default_factory=default_corpus_path, show_default="corpus/bibmine.sqlite")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Crawl config TOML (default: $BIBMINE_CRAWL_CONFIG "
                                                "or ./bibmine-crawl.toml).")]
BaseUrlOpt = Annotated[str | None, typer.Option("--base-url", help="API root (a mirror or proxy).")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Print the requests it would make, fetch nothing.")]
RestartOpt = Annotated[bool, typer.Option("--restart", help="Start over instead of resuming an unfinished job.")]
MaxPagesOpt = Annotated[int | None, typer.Option("--max-pages", help="Stop after N pages (resumable).")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not use the on-disk HTTP cache.")]
RegionOpt = Annotated[str | None, typer.Option("--region", help="Federal subject, ISO 3166-2 (RU-LIP).")]
FromOpt = Annotated[int | None, typer.Option("--from", help="First publication year.")]
ToOpt = Annotated[int | None, typer.Option("--to", help="Last publication year.")]


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    err.print(f"[red]error[/red]: {escape(redact_text(message))}", highlight=False)
    return typer.Exit(code)


def _config(path: Path | None, base_url: str | None, source: str, corpus: Path, no_cache: bool) -> CrawlConfig:
    try:
        config = load_config(path)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    if base_url:
        config.source(source).base_url = base_url
    if no_cache:
        config.http.cache_path = None
    elif config.http.cache_path == DEFAULT_CACHE:
        config.http.cache_path = corpus.parent / "http_cache.sqlite"
    return config


def _region(code: str | None) -> Region | None:
    if code is None:
        return None
    try:
        return region(code)
    except KeyError as exc:
        raise _fail(str(exc).strip("'\"")) from None


def _execute(make: Callable[[PoliteClient], Crawler], config: CrawlConfig, corpus: Path, *, dry_run: bool,
             restart: bool, max_pages: int | None, needs_contact: bool = True) -> None:
    """Build the crawler, then print its plan (dry run) or run it with a progress bar."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    install_log_redaction()  # whatever a library logs (urllib3 logs URLs) loses its secrets
    if not dry_run and needs_contact:
        try:
            config.require_contact()
        except ConfigError as exc:
            raise _fail(str(exc)) from None
    if dry_run:
        config.http.cache_path = None  # a dry run creates no file at all
    client = PoliteClient(config.http)
    try:
        try:
            crawler = make(client)
        except (ConfigError, ValueError, OSError) as exc:
            raise _fail(str(exc)) from None
        if dry_run:
            for line in crawler.plan():
                typer.echo(line)
            return
        job = _run(crawler, corpus, restart, max_pages)
    finally:
        client.close()
    _report(job)


def _run(crawler: Crawler, corpus: Path, restart: bool, max_pages: int | None) -> Job:
    bar = progress("{task.fields[pages]} pages", "{task.fields[rate]}", eta=True, transient=False)
    with open_corpus(corpus, create=True) as c, bar:
        task = bar.add_task(crawler.source, total=None, pages=0, rate="")

        def on_page(job: Job, page: Page) -> None:
            n = job.counts["n_read"]
            elapsed = bar.tasks[task].elapsed or 1e-9
            desc = f"{crawler.source}: {page.note}" if page.note else crawler.source
            bar.update(task, completed=n, total=job.total, description=desc, pages=job.n_pages,
                       rate=f"{n / elapsed:,.1f} rec/s")

        try:
            return run_crawl(c, crawler, restart=restart, max_pages=max_pages, on_page=on_page)
        except CrawlStopped as exc:
            bar.stop()
            err.print(f"[yellow]stopped[/yellow]: {escape(redact_text(exc))}", highlight=False)
            raise typer.Exit(EXIT_STOPPED) from None
        except KeyboardInterrupt:
            bar.stop()
            err.print("interrupted: the job is saved; run the same command to resume")
            raise typer.Exit(130) from None


def _report(job: Job) -> None:
    c = job.counts
    state = "done" if job.cursor.get("done") else f"paused after {job.n_pages} pages (run again to go on)"
    console.print(f"{job.source} job {job.id}: {state}; read {c['n_read']}, new {c['n_new']}, merged {c['n_merged']}, "
                  f"duplicate {c['n_duplicate']}, quarantined {c['n_rejected']}", highlight=False)
    if c["n_rejected"]:
        err.print("some records were quarantined; see them with: bibmine quarantine")
        raise typer.Exit(EXIT_REJECTS)




@app.command()
def openalex(
    corpus: CorpusOpt,
    region_code: RegionOpt = None,
    institution: Annotated[list[str] | None, typer.Option("--institution", help="OpenAlex institution id.")] = None,
    ror: Annotated[list[str] | None, typer.Option("--ror", help="ROR id of an institution.")] = None,
    raw_filter: Annotated[str | None, typer.Option("--filter", help="Raw OpenAlex works filter.")] = None,
    year_from: FromOpt = None, year_to: ToOpt = None,
    work_type: Annotated[list[str] | None, typer.Option("--type", help="Work type (article, review, ...).")] = None,
    base_url: BaseUrlOpt = None, config: ConfigOpt = None, dry_run: DryRunOpt = False, restart: RestartOpt = False,
    max_pages: MaxPagesOpt = None, no_cache: NoCacheOpt = False,
) -> None:
    """Works of a region's institutions (or given institutions / a raw filter) from OpenAlex."""
    from bibmine.sources.crawl.openalex import OpenAlexCrawler

    cfg = _config(config, base_url, "openalex", corpus, no_cache)
    reg = _region(region_code)
    _execute(lambda client: OpenAlexCrawler(
        client, cfg.source("openalex"), region=reg, institutions=institution or (), rors=ror or (),
        raw_filter=raw_filter, year_from=year_from, year_to=year_to, types=work_type or (),
        mailto=cfg.http.contact_email), cfg, corpus, dry_run=dry_run, restart=restart, max_pages=max_pages)


@app.command()
def crossref(
    corpus: CorpusOpt,
    dois: Annotated[Path | None, typer.Option("--dois", help="Text file, one DOI per line.", exists=True,
                                              dir_okay=False)] = None,
    query: Annotated[str | None, typer.Option("--query", help="Bibliographic query.")] = None,
    affiliation: Annotated[str | None, typer.Option("--affiliation", help="Affiliation text query.")] = None,
    raw_filter: Annotated[str | None, typer.Option("--filter", help="Raw Crossref filter.")] = None,
    year_from: FromOpt = None, year_to: ToOpt = None,
    base_url: BaseUrlOpt = None, config: ConfigOpt = None, dry_run: DryRunOpt = False, restart: RestartOpt = False,
    max_pages: MaxPagesOpt = None, no_cache: NoCacheOpt = False,
) -> None:
    """Crossref works by a DOI list, or by query / affiliation / filter with cursor paging."""
    from bibmine.sources.crawl.crossref import CrossrefCrawler

    cfg = _config(config, base_url, "crossref", corpus, no_cache)
    _execute(lambda client: CrossrefCrawler(
        client, cfg.source("crossref"), doi_file=dois, query=query, affiliation=affiliation, raw_filter=raw_filter,
        year_from=year_from, year_to=year_to, mailto=cfg.http.contact_email), cfg, corpus, dry_run=dry_run,
        restart=restart, max_pages=max_pages)


@app.command()
def elibrary(
    corpus: CorpusOpt,
    org: Annotated[str | None, typer.Option("--org", help="eLIBRARY organization id (orgsid).")] = None,
    author: Annotated[str | None, typer.Option("--author", help="eLIBRARY author id (authorid).")] = None,
    saved: Annotated[list[Path] | None, typer.Option("--saved", help="Saved pages (files or folders).",
                                                     exists=True)] = None,
    list_only: Annotated[bool, typer.Option("--list-only", help="Keep list rows, skip item pages.")] = False,
    base_url: BaseUrlOpt = None, config: ConfigOpt = None, dry_run: DryRunOpt = False, restart: RestartOpt = False,
    max_pages: MaxPagesOpt = None, no_cache: NoCacheOpt = False,
) -> None:
    """eLIBRARY publications of an organization or an author, or pages saved by hand (--saved)."""
    from bibmine.sources.crawl.elibrary import ElibraryCrawler, ElibrarySavedCrawler

    cfg = _config(config, base_url, "elibrary", corpus, no_cache)
    if saved:
        _execute(lambda client: ElibrarySavedCrawler(saved), cfg, corpus, dry_run=dry_run, restart=restart,
                 max_pages=max_pages, needs_contact=False)
        return
    _execute(lambda client: ElibraryCrawler(client, cfg.source("elibrary"), org=org, author=author,
                                            list_only=list_only), cfg, corpus, dry_run=dry_run, restart=restart,
             max_pages=max_pages)


@app.command()
def patents(
    corpus: CorpusOpt,
    source: Annotated[str, typer.Option("--source", help="rospatent, lens or fips.")] = "rospatent",
    region_code: RegionOpt = None,
    query: Annotated[str | None, typer.Option("--query", help="Raw query (Rospatent q / Lens query string).")] = None,
    year_from: FromOpt = None, year_to: ToOpt = None,
    register: Annotated[str, typer.Option("--register", help="FIPS register: evm (software) or db.")] = "evm",
    numbers: Annotated[Path | None, typer.Option("--numbers", help="FIPS registration numbers, one a line.",
                                                 exists=True, dir_okay=False)] = None,
    number_range: Annotated[str | None, typer.Option("--range", help="FIPS numbers A-B.")] = None,
    base_url: BaseUrlOpt = None, config: ConfigOpt = None, dry_run: DryRunOpt = False, restart: RestartOpt = False,
    max_pages: MaxPagesOpt = None, no_cache: NoCacheOpt = False,
) -> None:
    """Patents and registrations: Rospatent (RU inventions, utility models), Lens (any office), FIPS registers."""
    from bibmine.sources.crawl.fips import FipsRegisterCrawler
    from bibmine.sources.crawl.lens import LensCrawler
    from bibmine.sources.crawl.rospatent import RospatentCrawler

    if source not in ("rospatent", "lens", "fips"):
        raise _fail("--source must be rospatent, lens or fips")
    cfg = _config(config, base_url, source, corpus, no_cache)
    reg = _region(region_code)
    if source == "rospatent":
        def make(client: PoliteClient) -> Crawler:
            return RospatentCrawler(client, cfg, region=reg, query=query, year_from=year_from, year_to=year_to,
                                    dry_run=dry_run)
    elif source == "lens":
        def make(client: PoliteClient) -> Crawler:
            return LensCrawler(client, cfg, region=reg, query=query, year_from=year_from, year_to=year_to,
                               dry_run=dry_run)
    else:
        def make(client: PoliteClient) -> Crawler:
            return FipsRegisterCrawler(client, cfg.source("fips"), register=register, numbers_file=numbers,
                                       span=number_range)
    if dry_run and source in ("rospatent", "lens") and not cfg.source(source).token:
        err.print(f"note: no {source} token is set; a real run would stop here (see docs/sources.md)")
    _execute(make, cfg, corpus, dry_run=dry_run, restart=restart, max_pages=max_pages)


@app.command()
def status(corpus: CorpusOpt, as_json: Annotated[bool, typer.Option("--json", help="JSON lines.")] = False) -> None:
    """Crawl jobs in the corpus: where each stands, its counts, and why it stopped."""
    with open_corpus(corpus) as c:
        jobs = JobStore(c).all()
    if as_json:
        for j in jobs:
            typer.echo(json.dumps({"id": j.id, "source": j.source, "query": j.params, "status": j.status,
                                   "cursor": j.cursor, "pages": j.n_pages, "total": j.total, **j.counts,
                                   "started": j.started, "updated": j.updated, "finished": j.finished,
                                   "error": redact_text(j.error) if j.error else None}, ensure_ascii=False))
        return
    table = Table(title=f"{len(jobs)} crawl jobs in {corpus}")
    for col in ("id", "source", "query", "status", "pages", "read", "new", "merged", "dup", "rejected", "total",
                "updated", "error"):
        table.add_column(col, overflow="fold")
    for j in jobs:
        c = j.counts
        table.add_row(str(j.id), j.source, escape(redact_text(j.query)), j.status, str(j.n_pages),
                      str(c["n_read"]), str(c["n_new"]), str(c["n_merged"]), str(c["n_duplicate"]),
                      str(c["n_rejected"]),
                      "" if j.total is None else str(j.total), j.updated, escape(redact_text(j.error or "")))
    console.print(table)


if __name__ == "__main__":
    app()
