"""Model card: card.json (the facts) rendered as card.md (for people)."""

from __future__ import annotations


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _table(rows: list[dict], columns: list[tuple[str, str]]) -> list[str]:
    out = ["| " + " | ".join(title for _, title in columns) + " |", "|" + "---|" * len(columns)]
    for r in rows:
        out.append("| " + " | ".join(_fmt(r.get(key)) for key, _ in columns) + " |")
    return out


METRIC_COLUMNS = [("accuracy", "accuracy"), ("macro_f1", "macro-F1"), ("kappa", "kappa"),
                  ("in_set_accuracy", "in-set acc."), ("n", "n")]


def render_card(card: dict) -> str:
    lines = [f"# Model card: {card.get('name', '?')}", ""]
    if card.get("summary"):
        lines += [card["summary"], ""]
    lines += [
        f"- trained: {card.get('trained', '?')}",
        f"- backends (level-1 ensemble members): {', '.join(card.get('backends', []))}; "
        f"weights {', '.join(f'{w:.2f}' for w in card.get('weights', []))}",
        f"- embedders: {', '.join(f'{k} = {v}' for k, v in card.get('embedders', {}).items())}",
        f"- output: top-{card.get('top_k')} level-1 rubrics with calibrated scores; rubrics after the "
        f"first only when score >= {card.get('threshold')}; level 2 within the predicted level 1",
        "",
        "## Training data",
        "",
    ]
    lines += _table(card.get("training_data", []), [("source", "source"), ("rows", "rows"), ("weight", "weight"),
                                                     ("sha256", "sha256")])
    lines += _quality_sections(card)
    if card.get("cv"):
        lines += ["", "## Quality: 5-fold cross-validation on gisnauka_samples_valid.csv", "",
                  "Level-1 rubric. In-set accuracy: the prediction is one of the record's manual level-1 "
                  "rubrics (its top_code and the sections of its grnti_codes). The other label files and "
                  "the vocabulary join every training fold; the tested fold never does.", ""]
        rows = [{"backend": k, **v} for k, v in card["cv"].items()]
        lines += _table(rows, [("backend", "backend / ensemble"), *METRIC_COLUMNS])
    if card.get("cv_level2"):
        m = card["cv_level2"]
        lines += ["", f"Level 2 within the predicted level 1 (default ensemble, same folds): the top level-2 rubric is "
                      f"one of the record's manual level-2 rubrics for {m['in_set_accuracy']:.3f} of {m['n']} records "
                      "(an error at level 1 counts as a miss)."]
    if card.get("other_files"):
        lines += ["", "## Accuracy on the other label files (trained without that file)", ""]
        rows = [{"backend": b, "file": f, **m} for b, files in card["other_files"].items() for f, m in files.items()]
        lines += _table(rows, [("backend", "backend / ensemble"), ("file", "file"), ("accuracy", "accuracy"),
                               ("macro_f1", "macro-F1"), ("in_set_accuracy", "in-set acc."), ("n", "n")])
    if card.get("eval"):
        lines += ["", "## Held-out evaluation set (grnti/eval, used once per model, never for training or tuning)",
                  ""]
        rows = [{"model": m, "file": f, **v} for m, files in card["eval"].items() for f, v in files.items()]
        lines += _table(rows, [("model", "model"), ("file", "file"), *METRIC_COLUMNS])
    if card.get("cv_english") or card.get("eval_english"):
        lines += ["", "## English texts", "",
                  "The labelled texts are Russian; English quality is measured on English translations of some "
                  "of their rows (made for bibmine, not shipped: see scripts/eval_translated.py). Cross-validation: "
                  "the translations of each test fold's rows, scored by that fold's model. Held-out: translations "
                  "of rows of gisnauka_samples_test_docs.csv, scored once per model.", ""]
        rows = [{"backend": k, "set": "5-fold CV, translated rows of gisnauka_samples_valid", **v}
                for k, v in card.get("cv_english", {}).items()]
        rows += [{"backend": k, "set": "held-out, translated rows of gisnauka_samples_test_docs", **v}
                 for k, v in card.get("eval_english", {}).items()]
        lines += _table(rows, [("backend", "backend / model"), ("set", "set"), *METRIC_COLUMNS])
    if card.get("previous_default"):
        lines += _previous_section(card["previous_default"])
    if card.get("speed"):
        lines += ["", "## Speed (scripts/bench_classify.py, CPU)", ""]
        if card.get("speed_note"):
            lines += [card["speed_note"], ""]
        lines += _table(card["speed"], [("backend", "backend / pipeline"), ("records_per_s", "records/s"),
                                        ("peak_mb", "peak memory MB"), ("note", "note")])
    if card.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {n}" for n in card["notes"]]
    return "\n".join(lines) + "\n"


def _previous_section(prev: dict) -> list[str]:
    """The default this model replaced: its overall figures as its own card gave them."""
    cv = (prev.get("grouped_cv") or {}).get("new default")
    ev = (prev.get("eval") or {}).get("new default") or {}
    if not cv and not ev:
        return []
    recipe = f", recipe {prev['recipe']}" if prev.get("recipe") else ""
    out = ["", "## The previous default", "",
           f"As its own card gave them (trained {prev.get('trained', '?')}{recipe}; members "
           f"{', '.join(prev.get('backends') or [])}).", ""]
    rows = ([{"set": "grouped CV", **cv}] if cv else []) + [{"set": f"held-out {f}", **m} for f, m in ev.items()]
    return out + _table(rows, [("set", "set"), *METRIC_COLUMNS])


KIND_COLUMNS = [("accuracy", "accuracy"), ("macro_f1", "macro-F1"), ("in_set_accuracy", "in-set acc."), ("n", "n")]


def _quality_block(q: dict, what: str) -> list[str]:
    """Per kind, per rubric and confusion tables of one :func:`bibmine.rubrics.quality.quality` result."""
    out = []
    if q.get("by_kind"):
        out += ["", f"Per record kind ({what}):", ""]
        out += _table([{"kind": k, **m} for k, m in q["by_kind"].items()], [("kind", "kind"), *KIND_COLUMNS])
    if q.get("by_source"):
        out += ["", f"Per training file ({what}):", ""]
        out += _table([{"file": k, **m} for k, m in q["by_source"].items()], [("file", "file"), *KIND_COLUMNS])
    if q.get("per_rubric"):
        out += ["", f"Per rubric ({what}):", ""]
        out += _table(q["per_rubric"], [("rubric", "rubric"), ("support", "true"), ("predicted", "predicted"),
                                         ("precision", "precision"), ("recall", "recall"), ("f1", "F1")])
    if q.get("confusions"):
        out += ["", f"Most frequent confusions ({what}):", ""]
        out += _table(q["confusions"], [("true", "true"), ("predicted", "predicted"), ("count", "count"),
                                         ("share_of_true", "share of true")])
    return out


def _quality_sections(card: dict) -> list[str]:
    lines: list[str] = []
    cv = card.get("grouped_cv")
    if cv:
        models = {k: v for k, v in cv.items() if isinstance(v, dict) and "overall" in v}
        lines += ["", f"## Quality: {cv.get('folds')}-fold cross-validation grouped by {cv.get('groups')}", "",
                  "Level-1 rubric over every labelled file. In-set accuracy: the prediction is one of the "
                  "record's manual level-1 rubrics. Each model is trained on the same training folds.", ""]
        lines += _table([{"model": k, **v["overall"]} for k, v in models.items()],
                        [("model", "model"), *METRIC_COLUMNS])
        for name, q in models.items():
            lines += ["", f"### {name}, grouped CV"] + _quality_block(q, f"{name}, grouped CV")
    ev = card.get("eval_quality")
    if ev:
        lines += ["", "## Held-out evaluation set (grnti/eval, used once per model, never for training or tuning)",
                  ""]
        rows = [{"model": m, "file": f, **q["overall"]} for m, files in ev.items() for f, q in files.items()]
        lines += _table(rows, [("model", "model"), ("file", "file"), *METRIC_COLUMNS])
        for m, files in ev.items():
            for f, q in files.items():
                if q["overall"].get("n", 0) >= 100:
                    lines += ["", f"### {m} on {f}"] + _quality_block(q, f"{m}, {f}")
    return lines


NEEDS = {"grnti-default": "nothing more", "grnti-use": '`pip install -e ".[use]"`'}
EVAL_FILE = "gisnauka_samples_test_docs.csv"


def readme_table(models_dir) -> str:
    """The README's rubric-model table, from the shipped cards (``python -m bibmine.rubrics.card``)."""
    import json
    from pathlib import Path

    rows = ["| model | needs | held-out (709 records): accuracy / macro-F1 / in-set | grouped CV: accuracy / in-set "
            "| unseen texts, cold: records/s (1 / 2 processes) |", "|---|---|---|---|---|"]
    for path in sorted(Path(models_dir).iterdir()):
        card_path = path / "card.json"
        if not card_path.exists():
            continue
        card = json.loads(card_path.read_text(encoding="utf-8"))
        name = card.get("name", path.name)
        ev = card.get("eval_quality", {})
        mine = ev.get("new default", ev.get(name, {})).get(EVAL_FILE, {}).get("overall", {})
        cv = card.get("grouped_cv", {}).get("new default", {}).get("overall", {})
        speed = {r["backend"]: r.get("records_per_s") for r in card.get("speed", [])}
        rates = [speed.get(f"{name}, 1 process"), speed.get(f"{name}, 2 processes")]
        rows.append(
            f"| `{name}` | {NEEDS.get(name, '')} | "
            + (" / ".join(_fmt(mine.get(k)) for k in ("accuracy", "macro_f1", "in_set_accuracy")) if mine else "—")
            + " | " + (" / ".join(_fmt(cv.get(k)) for k in ("accuracy", "in_set_accuracy")) if cv else "—")
            + " | " + " / ".join(f"{r:,}" for r in rates if r is not None) + " |")
    return "\n".join(rows)


if __name__ == "__main__":
    from bibmine.rubrics.model import MODELS_DIR

    print(readme_table(MODELS_DIR))
