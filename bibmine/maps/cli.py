"""``bibmine map ...``: VOSviewer maps of a corpus, one command per kind of network.

Every map command writes ``map.txt``, ``network.txt``, ``map.json``, ``preview.png`` and
``clusters.csv`` to ``--out`` and checks the three VOSviewer files against VOSviewer's file
rules.  Exit codes: 0 done; 2 usage error (no corpus, bad option, nothing left to map);
1 a written file broke a file rule (a bug: please report it).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from bibmine.cli_support import open_corpus
from bibmine.corpus.store import ENV_VAR, default_corpus_path

app = typer.Typer(
    help="VOSviewer maps: co-occurrence, co-authorship, bibliographic coupling and co-citation networks.",
    no_args_is_help=True,
)
console = Console()
err = Console(stderr=True)

CorpusOpt = Annotated[Path, typer.Option("--corpus", envvar=ENV_VAR, help="Corpus SQLite file.",
                                         default_factory=default_corpus_path, show_default="corpus/bibmine.sqlite")]
OutOpt = Annotated[Path, typer.Option("--out", help="Folder for map.txt, network.txt, map.json, preview.png.")]
CountingOpt = Annotated[str, typer.Option("--counting", help="full, fractional or binary.")]
MinOpt = Annotated[float, typer.Option("--min-occurrences", help="Minimum occurrences (documents) of an item.")]
TopOpt = Annotated[int | None, typer.Option("--top", help="Keep the N items with the greatest total link "
                                                           "strength (terms: the N most relevant).")]
NormOpt = Annotated[str, typer.Option("--normalization", help="association, fractionalization, linlog or none.")]
YearFromOpt = Annotated[int | None, typer.Option("--year-from", help="First publication year.")]
YearToOpt = Annotated[int | None, typer.Option("--year-to", help="Last publication year.")]
RegionOpt = Annotated[list[str] | None, typer.Option("--region", help="Only documents with an affiliation "
                                                                      "in this region (ISO 3166-2; repeat).")]
SourceOpt = Annotated[list[str] | None, typer.Option("--source", help="Only documents from this source: a "
                                                                      "reader (wos_plaintext), venue or ISSN.")]
ThesaurusOpt = Annotated[Path | None, typer.Option("--thesaurus", envvar="BIBMINE_THESAURUS", exists=True,
                                                   dir_okay=False, help="VOSviewer thesaurus or reviewed "
                                                                        "candidates CSV, applied to every map.")]
ResolutionOpt = Annotated[float, typer.Option("--resolution", help="Clustering resolution.")]
MinClusterOpt = Annotated[int, typer.Option("--min-cluster-size", help="Minimum cluster size.")]
MergeOpt = Annotated[bool, typer.Option("--merge-small-clusters/--drop-small-clusters",
                                        help="Merge small clusters into others, or leave their items unclustered.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed of clustering and layout.")]
AttractionOpt = Annotated[int | None, typer.Option("--attraction", help="Layout attraction (default 2).")]
RepulsionOpt = Annotated[int | None, typer.Option("--repulsion", help="Layout repulsion (default: VOSviewer's "
                                                                      "for the kind).")]
OverlayOpt = Annotated[list[str] | None, typer.Option("--overlay-region", help="Region for a share score "
                                                                               "(repeat; default: the 5 largest).")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of region and rubric labels: ru or en.")]
MaxPerDocOpt = Annotated[int, typer.Option("--max-per-document", min=0, help="Co-authorship maps (authors, orgs, "
                                           "regions): leave out documents with more items (VOSviewer's default "
                                           "25; 0: no limit).")]


def _run(kind: str, corpus: Path, out: Path, counting: str, min_occurrences: float, top: int | None,
         normalization: str, year_from: int | None, year_to: int | None, region: list[str] | None,
         source: list[str] | None, thesaurus: Path | None, resolution: float, min_cluster_size: int,
         merge_small_clusters: bool, seed: int, attraction: int | None, repulsion: int | None,
         overlay_region: list[str] | None, lang: str, max_per_document: int = 25, **kind_options) -> None:
    from bibmine.maps.build import MapOptions, default_layout
    from bibmine.maps.cluster import ClusterParams
    from bibmine.maps.counting import COUNTING_METHODS
    from bibmine.maps.items import RecordFilter
    from bibmine.maps.layout import LayoutParams
    from bibmine.maps.make import MIN_ITEMS, make_map
    from bibmine.maps.normalize import NORMALIZATIONS
    from bibmine.maps.thesaurus import ThesaurusError, read_thesaurus
    from bibmine.maps.validate import errors
    from bibmine.study.checks import option_regions

    if counting not in COUNTING_METHODS:
        raise typer.BadParameter(f"choose one of {', '.join(COUNTING_METHODS)}", param_hint="--counting")
    if normalization not in NORMALIZATIONS:
        raise typer.BadParameter(f"choose one of {', '.join(NORMALIZATIONS)}", param_hint="--normalization")
    if lang not in ("ru", "en"):
        raise typer.BadParameter("choose ru or en", param_hint="--lang")
    region = option_regions(region, "--region", foreign_ok=True)
    overlay_region = option_regions(overlay_region, "--overlay-region", foreign_ok=True)
    try:
        base = default_layout(kind)
        layout = LayoutParams(attraction=base.attraction if attraction is None else attraction,
                              repulsion=base.repulsion if repulsion is None else repulsion, seed=seed)
        cluster = ClusterParams(resolution=resolution, min_cluster_size=min_cluster_size,
                                merge_small_clusters=merge_small_clusters, seed=seed)
        the = read_thesaurus(thesaurus) if thesaurus is not None else None
    except (ValueError, ThesaurusError) as exc:
        err.print(f"error: {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    relevance_share = kind_options.pop("relevance_share", 0.6)
    options = MapOptions(counting=counting, min_occurrences=min_occurrences, top_n=top, relevance_share=relevance_share,
                         max_per_document=max_per_document or None,
                         normalization=normalization, cluster=cluster, layout=layout, lang=lang,
                         overlay_regions=[r.upper() for r in overlay_region] if overlay_region else None)
    record_filter = RecordFilter(year_from=year_from, year_to=year_to, regions=frozenset(region or ()),
                                 sources=frozenset(source or ()))
    with open_corpus(corpus) as db:
        made = make_map(db.iter_works(), kind, out, options, source=corpus.name, record_filter=record_filter,
                        thesaurus=the, **kind_options)
    graph, paths, violations = made.graph, made.paths, made.violations
    stats = graph.graph["stats"]
    if graph.number_of_nodes() == 0:
        reach = f", and no item reaches --min-occurrences {min_occurrences:g}" if min_occurrences > 1 else ""
        err.print(f"error: nothing to map: {stats['used']} of {stats['records']} records have {kind} items and "
                  f"pass the filters{reach}", highlight=False)
        _print_skips(stats)
        raise typer.Exit(2)
    if not made.written:
        n = graph.number_of_nodes()
        hint = "lower --min-occurrences or widen the filters" if min_occurrences > 1 else "widen the filters"
        err.print(f"error: only {n} {'item' if n == 1 else 'items'} to map; VOSviewer Online needs at least "
                  f"{MIN_ITEMS} - {hint}", highlight=False)
        raise typer.Exit(2)
    n_clusters = len({graph.nodes[n]["cluster"] for n in graph if graph.nodes[n].get("cluster")})
    console.print(f"{stats['used']} of {stats['records']} records used; {graph.number_of_nodes()} items, "
                  f"{graph.number_of_edges()} links, {n_clusters} clusters")
    _print_skips(stats)
    for name, path in paths.items():
        console.print(f"  {name}: {escape(str(path))}", highlight=False)
    if "rubric_level" in stats:
        console.print(f"  GRNTI level {stats['rubric_level']} (the level the corpus holds; --level sets another)")
    for note in graph.graph.get("notes", []):
        console.print(f"  note: {escape(note)}", highlight=False)
    for v in violations:
        (err if v.severity == "error" else console).print(escape(str(v)), highlight=False)
    if errors(violations):
        raise typer.Exit(1)
    console.print(f"{', '.join(p.name for k, p in paths.items() if k in ('map', 'network', 'json'))} pass "
                  "VOSviewer's file rules")


def _print_skips(stats: dict) -> None:
    for reason, n in sorted(stats.items()):
        if reason.startswith("skipped") or (reason == "ignored_by_thesaurus" and n):
            console.print(f"  {escape(str(reason))}: {n}", highlight=False)


def _param(name: str, annotation, default=inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


COMMON = [_param("corpus", CorpusOpt), _param("out", OutOpt), _param("counting", CountingOpt, "full"),
          _param("min_occurrences", MinOpt, 1), _param("top", TopOpt, None),
          _param("normalization", NormOpt, "association"), _param("year_from", YearFromOpt, None),
          _param("year_to", YearToOpt, None), _param("region", RegionOpt, None), _param("source", SourceOpt, None),
          _param("thesaurus", ThesaurusOpt, None), _param("resolution", ResolutionOpt, 1.0),
          _param("min_cluster_size", MinClusterOpt, 1), _param("merge_small_clusters", MergeOpt, True),
          _param("seed", SeedOpt, 0), _param("attraction", AttractionOpt, None),
          _param("repulsion", RepulsionOpt, None), _param("overlay_region", OverlayOpt, None),
          _param("lang", LangOpt, "ru"), _param("max_per_document", MaxPerDocOpt, 25)]


def _keywords_kind(field: str) -> tuple[str, dict]:
    if field not in ("author", "indexed", "all"):
        raise typer.BadParameter("choose author, indexed or all", param_hint="--field")
    return "keywords", {"keyword_field": field}


def _regions_kind(level: str) -> tuple[str, dict]:
    if level not in ("region", "country"):
        raise typer.BadParameter("choose region or country", param_hint="--level")
    return ("regions" if level == "region" else "countries"), {}


MAP_COMMANDS = {
    "keywords": ("Co-occurrence of keywords.",
                 [_param("field", Annotated[str, typer.Option("--field", help="author, indexed or all keywords.")],
                         "author")], _keywords_kind),
    "terms": ("Co-occurrence of noun phrases from titles and abstracts (ru, en).",
              [_param("relevance", Annotated[float, typer.Option(
                  "--relevance", min=0.01, max=1.0, help="Share of the terms with --min-occurrences kept, most "
                                                          "relevant first (VOSviewer's default 0.6).")], 0.6)],
              lambda relevance: ("terms", {"relevance_share": relevance})),
    "rubrics": ("Co-occurrence of GRNTI rubrics.",
                [_param("level", Annotated[int | None, typer.Option(
                    "--level", min=1, max=3, help="GRNTI level: 1-3 (default: the level the corpus holds).")], None),
                 _param("rubric_source", Annotated[str | None, typer.Option(
                     "--rubric-source", help="Only manual, automatic or foreign assignments.")], None)],
                lambda level, rubric_source: ("rubrics", {"rubric_level": level, "rubric_source": rubric_source})),
    "authors": ("Co-authorship of authors.", [], None),
    "orgs": ("Co-authorship of organizations.", [], None),
    "regions": ("Co-authorship of regions (or, with --level country, countries).",
                [_param("level", Annotated[str, typer.Option("--level", help="region (ISO 3166-2) or country.")],
                        "region")], _regions_kind),
    "coupling": ("Bibliographic coupling of documents (shared cited references).", [], None),
    "cocitation": ("Co-citation of cited references.", [], None),
}


def _map_command(name: str, doc: str, extra: list[inspect.Parameter], to_kind):
    extra_names = [p.name for p in extra]

    def command(**params) -> None:
        own = {k: params.pop(k) for k in extra_names}
        kind, kind_options = to_kind(**own) if to_kind else (name, {})
        _run(kind, **params, **kind_options)

    command.__signature__ = inspect.Signature(COMMON + extra)
    command.__doc__ = doc
    command.__name__ = name
    return command


for _name, (_doc, _extra, _to_kind) in MAP_COMMANDS.items():
    app.command(_name)(_map_command(_name, _doc, _extra, _to_kind))


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Map, network, JSON or thesaurus files.", exists=True,
                                                dir_okay=False)],
    network: Annotated[Path | None, typer.Option("--network", exists=True, dir_okay=False,
                                                 help="Network file to check with the (single) map file.")] = None,
) -> None:
    """Check files against VOSviewer's file rules; list every violation (exit 1 if any is an error)."""
    from bibmine.maps.validate import errors, validate_files, validate_path

    if network is not None and len(files) != 1:
        raise typer.BadParameter("give exactly one map file with --network", param_hint="--network")
    found = validate_files(files[0], network) if network is not None else [v for f in files
                                                                          for v in validate_path(f)]
    for v in found:
        console.print(str(v), highlight=False, markup=False)
    console.print(f"{len(errors(found))} errors, {len(found) - len(errors(found))} warnings")
    if errors(found):
        raise typer.Exit(1)


@app.command("thesaurus-candidates")
def thesaurus_candidates(
    corpus: CorpusOpt,
    out: Annotated[Path, typer.Option("--out", help="Review CSV to write.")] = Path("thesaurus_candidates.csv"),
    field: Annotated[str, typer.Option("--field", help="author, indexed or all keywords.")] = "author",
    fuzzy_threshold: Annotated[float, typer.Option(help="rapidfuzz ratio for fuzzy candidates (0-100).")] = 92.0,
    min_support: Annotated[int, typer.Option(help="Records that must pair a ru/en keyword.")] = 2,
) -> None:
    """Propose keyword merges (plurals, inflections, acronyms, fuzzy, ru/en) in a CSV to review."""
    from collections import Counter

    from bibmine.maps.candidates import find_candidates, parallel_keywords, write_candidates
    from bibmine.maps.collect import kind_functions

    mentions, resolve = kind_functions("keywords", keyword_field=field)
    occ: Counter = Counter()
    with open_corpus(corpus) as db:
        for record in db.iter_works():
            occ.update({resolved[1] for raw in mentions(record) if (resolved := resolve(raw))})
        parallel = parallel_keywords(db.iter_works())
    found = find_candidates(occ, fuzzy_threshold=fuzzy_threshold, parallel=parallel, min_support=min_support)
    write_candidates(found, out)
    console.print(f"{len(found)} candidates among {len(occ)} keywords written to {escape(str(out))}; mark accepted "
                  f"rows 'yes' in the accept column, then pass the file as --thesaurus", highlight=False)


@app.command("thesaurus-export")
def thesaurus_export(
    reviewed: Annotated[Path, typer.Argument(help="Reviewed candidates CSV (or a thesaurus file).", exists=True,
                                             dir_okay=False)],
    out: Annotated[Path, typer.Option("--out", help="VOSviewer thesaurus file to write.")] = Path("thesaurus.txt"),
) -> None:
    """Export the accepted merges as a VOSviewer thesaurus file (label / replace by)."""
    from bibmine.maps.thesaurus import ThesaurusError, read_thesaurus, write_thesaurus

    try:
        the = read_thesaurus(reviewed)
    except ThesaurusError as exc:
        err.print(f"error: {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    write_thesaurus(the, out)
    console.print(f"{len(the)} entries written to {escape(str(out))}", highlight=False)
