"""How a rubric model does on English texts: label files translated into English, scored here.

The labelled data are Russian only, so English quality can only be measured on translations.
Translations are not shipped (the source texts' licences forbid copying them into the project);
this script reads them from a folder of CSV files ``row,title_en,abstract_en`` where ``row`` is the
0-based data row of the Russian file they translate:

    python scripts/eval_translated.py --translations DIR --source labeled/gisnauka_samples_valid.csv \\
        --files dev_valid.csv --dev            # train without the translated rows, compare settings
    python scripts/eval_translated.py --translations DIR --source eval/gisnauka_samples_test_docs.csv \\
        --files eval_a.csv,eval_b.csv --model grnti-default     # once, for the model card

With ``--dev`` the script trains each setting on the labelled data minus the translated rows and
prints English and Russian scores of those rows; with ``--model`` it scores a trained model on the
English and on the Russian text of the translated rows.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bibmine.rubrics.evaluate import metrics  # noqa: E402
from bibmine.rubrics.labels import read_labels  # noqa: E402
from bibmine.rubrics.model import RubricModel  # noqa: E402
from bibmine.rubrics.text import join_parts  # noqa: E402
from bibmine.rubrics.train import TFIDF_PARAMS, fit_model  # noqa: E402
from bibmine.rubrics.vocabulary import normalize_code  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "grnti"
EXTRAS = ["gisnauka_segments_train_filtered.csv", "jellywilliam_abstracts_ru_grnti.csv",
          "rusci_bench_grnti_sample20.jsonl"]


def translated_rows(source: Path, folder: Path, files: list[str]):
    """(russian text, english text, level-1 code, manual level-1 codes) per translated row."""
    with open(source, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for name in files:
        with open(folder / name, encoding="utf-8", newline="") as fh:
            for t in csv.DictReader(fh):
                r = rows[int(t["row"])]
                code = normalize_code(r["top_code"], 1)
                codes = {normalize_code(c, 1) for c in (r.get("grnti_codes") or "").split(";") if c.strip()}
                out.append((join_parts([r["title"], r["abstract"]]), join_parts([t["title_en"], t["abstract_en"]]),
                            code, frozenset({code, *codes} - {None})))
    return out


def score(predict, rows) -> dict:
    truth = [r[2] for r in rows]
    sets = [r[3] for r in rows]
    return {"en": metrics(truth, predict([r[1] for r in rows]), sets),
            "ru": metrics(truth, predict([r[0] for r in rows]), sets)}


def show(name: str, result: dict) -> None:
    for lang, m in result.items():
        print(f"{name:40s} {lang}: n={m['n']} acc {m['accuracy']:.3f} macro-F1 {m['macro_f1']:.3f} "
              f"kappa {m['kappa']:.3f} in-set {m['in_set_accuracy']:.3f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--translations", type=Path, required=True)
    ap.add_argument("--source", required=True, help="the Russian file, relative to shared/data/grnti/")
    ap.add_argument("--files", required=True, help="comma list of translation CSVs in --translations")
    ap.add_argument("--model", help="score this trained model")
    ap.add_argument("--dev", action="store_true", help="train settings without the translated rows")
    args = ap.parse_args()
    rows = translated_rows(DATA / args.source, args.translations, args.files.split(","))
    if args.model:
        model = RubricModel.load(args.model)
        show(args.model, score(model.predict, rows))
    if args.dev:
        held = {r[0][:120] for r in rows}
        main_set = read_labels(DATA / args.source)
        main_set = main_set.subset([i for i, t in enumerate(main_set.texts) if t[:120] not in held])
        extras = [(read_labels(DATA / "labeled" / f), 0.1) for f in EXTRAS]
        settings = {
            "ru names, no English stems": ({"stem_en": False}, ("ru",)),
            "ru names, English stems": ({"stem_en": True}, ("ru",)),
            "ru+en names, no English stems": ({"stem_en": False}, ("ru", "en")),
            "ru+en names, English stems": ({"stem_en": True}, ("ru", "en")),
        }
        saved = dict(TFIDF_PARAMS)
        for name, (params, langs) in settings.items():
            TFIDF_PARAMS.update(params)
            model = fit_model("dev", main_set, extras, level2=False, langs=langs)
            show(name, score(model.predict, rows))
        TFIDF_PARAMS.clear()
        TFIDF_PARAMS.update(saved)


if __name__ == "__main__":
    main()
