"""rubrics stage of bibmine: GRNTI rubrics for records, automatic (shipped models with their
cards) and manual (an analyst's labels), and how far the two agree.

    from bibmine.rubrics import classify_corpus, load_model, predict_texts
    from bibmine.rubrics.agreement import agreement
    predict_texts("grnti-default", ["Почвы Воронежской области"], top_k=3)  # [[(code, score), ...]]
    classify_corpus(corpus, load_model("grnti-default"))                    # store automatic rubrics
    agreement(manual, automatic).summary()                                  # accuracy, kappa, in-set...

Names are imported on first use (``bibmine._exports``): importing the stage loads nothing heavy.
(``agreement`` is also a module name here, so it is imported from its module.)
"""

from bibmine._exports import lazy_exports

_TABLE = {
    "RubricModel": "bibmine.rubrics.model", "resolve_model": "bibmine.rubrics.model",
    "load_model": "bibmine.rubrics.predict", "predict_texts": "bibmine.rubrics.predict",
    "classify_corpus": "bibmine.rubrics.corpus_ops", "explain": "bibmine.rubrics.corpus_ops",
    "suggest_labels": "bibmine.rubrics.corpus_ops",
    "LabeledSet": "bibmine.rubrics.labels", "read_labels": "bibmine.rubrics.labels",
    "import_labels": "bibmine.rubrics.label_import",
    **dict.fromkeys(("Comparison", "compare", "predict_labels", "text_set_labels"), "bibmine.rubrics.comparison"),
    "Agreement": "bibmine.rubrics.agreement", "between_annotators": "bibmine.rubrics.agreement",
    "adapt_to_groups": "bibmine.rubrics.collective",
}
__all__ = sorted(_TABLE)
__getattr__, __dir__ = lazy_exports(__name__, _TABLE)
