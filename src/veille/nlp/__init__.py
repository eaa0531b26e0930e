"""One spaCy pass per article: sentences (paragraph- and quotation-aware), parse, raw entities."""

from veille.nlp.sentences import preset_sentence_starts, quotation_spans
from veille.nlp.spacy_stage import MODELS, NlpStage, load_model, mentions_from_doc

__all__ = [
    "MODELS",
    "NlpStage",
    "load_model",
    "mentions_from_doc",
    "preset_sentence_starts",
    "quotation_spans",
]
