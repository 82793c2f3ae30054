"""``bibmine demo``: run bibmine on the bundled, invented Central Black Earth files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bibmine.corpus.dedup_run import merge_report
from bibmine.corpus.importer import import_files
from bibmine.corpus.stats import corpus_stats
from bibmine.corpus.store import Corpus


def demo_files() -> list[Path]:
    """The bundled demo export files (see ``bibmine/demo/data/README.md``: all invented)."""
    folder = resources.files("bibmine.demo") / "data"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.startswith("cbe_"))


def run_demo(corpus_path: Path, out_dir: Path, console: Console) -> int:
    """Run every stage that exists on the demo data; print what came out; return an exit code."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{corpus_path}{suffix}").unlink(missing_ok=True)
    files = demo_files()
    console.print(f"[bold]bibmine demo[/bold]: importing {len(files)} bundled files into {corpus_path}")
    with Corpus(corpus_path) as corpus:
        reports = import_files(corpus, files)
        table = Table(title="Import")
        for col in ("file", "format", "read", "new", "merged", "rejected"):
            table.add_column(col)
        for r in reports:
            table.add_row(r.path.name, r.format or "-", str(r.read), str(r.new), str(r.merged), str(r.rejected))
        console.print(table)
        st = corpus_stats(corpus)
        merges = merge_report(corpus)
    console.print(f"{st.works} works from {st.source_records} source records "
                  f"({', '.join(f'{k}: {v}' for k, v in st.by_source.most_common())}); "
                  f"languages: {dict(st.by_language)}")
    for m in merges:
        console.print(f"  merged {m['format']:<14} into {m['uid']} by {m['rule']} ({m['score']:.2f}): "
                      f"{m['work_title']}", highlight=False)
    console.print(f"Explore it: bibmine stats --corpus {corpus_path}")
    _specialization(out_dir / "specialization", console)
    failed = [r for r in reports if r.error or r.rejected]
    for r in failed:
        console.print(f"[red]{r.path.name}: {r.error or f'{r.rejected} rejected'}[/red]")
    return 1 if failed else 0


def _specialization(out_dir: Path, console: Console) -> None:
    from bibmine.specialization.case import run_bundled_case

    console.print("[bold]Specialization[/bold]: the Central Black Earth case (Lyshchikova et al., 2023)")
    for lang in ("en", "ru"):
        result = run_bundled_case(out_dir, lang)
        for reason in result["skipped"]:
            console.print(f"  skipped: {reason}")
    lipetsk = out_dir / "scenarios" / "RU-LIP.en.txt"
    console.print(f"  managerial matrices and scenario models of five regions in {out_dir}")
    console.print(lipetsk.read_text(encoding="utf-8"), highlight=False, markup=False)
