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
prints English and Russian scores of those rows (rubric names as training rows in Russian only,
as before, and in both languages); with ``--model`` it scores a trained model on the
English and on the Russian text of the translated rows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bibmine.rubrics.evaluate import metrics  # noqa: E402
from bibmine.rubrics.labels import LabeledSet, read_labels, read_translated  # noqa: E402
from bibmine.rubrics.model import RubricModel  # noqa: E402
from bibmine.rubrics.train import fit_model  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "grnti"
EXTRAS = ["gisnauka_segments_train_filtered.csv", "jellywilliam_abstracts_ru_grnti.csv",
          "rusci_bench_grnti_sample20.jsonl"]


def score(predict, english: LabeledSet, russian: LabeledSet) -> dict:
    return {"en": metrics(english.labels, predict(english.texts), english.label_sets),
            "ru": metrics(russian.labels, predict(russian.texts), russian.label_sets)}


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
    source = DATA / args.source
    english = read_translated(source, [args.translations / f for f in args.files.split(",")])
    for where, why in english.rejects:
        print(f"skipped {where}: {why}")
    full = read_labels(source)
    groups = set(english.groups)
    russian = full.subset([i for i, g in enumerate(full.groups) if g in groups])
    if args.model:
        model = RubricModel.load(args.model)
        show(args.model, score(model.predict, english, russian))
    if args.dev:
        main_set = full.subset([i for i, g in enumerate(full.groups) if g not in groups])
        extras = [(read_labels(DATA / "labeled" / f), 0.1) for f in EXTRAS]
        for name, langs in {"ru names (before)": ("ru",), "ru+en names": ("ru", "en")}.items():
            model = fit_model("dev", main_set, extras, level2=False, langs=langs)
            show(name, score(model.predict, english, russian))

if __name__ == "__main__":
    main()
