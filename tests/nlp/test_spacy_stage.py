from __future__ import annotations

from typing import Any

import pytest

from veille.errors import ConfigError
from veille.model import DUPLICATE, Article
from veille.nlp import NlpStage, load_model


def article(text: str, language: str | None = "fr", status: str = "kept") -> Article:
    return Article(id="a1", source_file="f.txt", source_id="", text=text, language=language, status=status)


def test_spacy_stage_mentions_index_the_article_text(nlp: Any) -> None:
    a = article("Le ministre français de la Défense Jean-Yves Le Drian a reçu Ashton Carter à Paris.")
    NlpStage()([a])
    assert a.mentions, "expected entity mentions"
    for m in a.mentions:
        assert a.text[m.start : m.end] == m.text
        assert m.label in {"PER", "ORG", "LOC", "MISC"}
        assert m.article_id == "a1"
    assert ("Ashton Carter", "PER") in {(m.text, m.label) for m in a.mentions}


def test_spacy_stage_other_languages_are_recorded_not_analysed(nlp: Any) -> None:
    a = article("The minister met Ashton Carter in Paris on Wednesday.", language="en")
    stage = NlpStage()
    stage([a])
    assert a.mentions == []
    assert a.language == "en"
    assert stage.counters == {"not_analysed:en": 1}


def test_spacy_stage_duplicates_are_not_analysed_again(nlp: Any) -> None:
    a = article("Ashton Carter était à Paris.", status=DUPLICATE)
    NlpStage()([a])
    assert a.mentions == []


def test_spacy_stage_keeps_docs_only_when_asked(nlp: Any) -> None:
    a, b = article("Ashton Carter était à Paris."), article("Ashton Carter était à Paris.")
    NlpStage()([a])
    NlpStage(keep_docs=True)([b])
    assert a.doc is None
    assert b.doc is not None and b.doc.text == b.text


def test_spacy_stage_missing_model_names_the_fix() -> None:
    with pytest.raises(ConfigError, match="pip install xx-no-such-model"):
        load_model("xx_no_such_model")


def test_spacy_stage_mention_spans_are_trimmed(nlp: Any) -> None:
    from veille.nlp import mentions_from_doc

    doc = nlp.make_doc("Ashton Carter\n arrive.")
    from spacy.tokens import Span

    doc.ents = [Span(doc, 0, 3, label="PER")]  # "Ashton Carter \n" with the line break inside
    (mention,) = mentions_from_doc("a1", doc)
    assert (mention.text, mention.start, mention.end) == ("Ashton Carter", 0, 13)


def test_spacy_stage_list_dashes_and_commas_are_not_part_of_a_mention(nlp: Any) -> None:
    from spacy.tokens import Span

    from veille.nlp import mentions_from_doc

    doc = nlp.make_doc("- Hidalgo, maire")
    doc.ents = [Span(doc, 0, 3, label="PER")]  # "- Hidalgo ,"
    (mention,) = mentions_from_doc("a1", doc)
    assert mention.text == "Hidalgo"


def test_spacy_stage_site_name_glued_to_a_name_is_trimmed(nlp: Any) -> None:
    doc = nlp.make_doc("Lire aussi par Jeanmarcmorandini.comPhilippe Martinez ne souhaite pas.")
    from spacy.tokens import Span

    from veille.nlp.spacy_stage import trimmed_span

    start = doc.text.index("Jeanmarcmorandini")
    span = doc.char_span(start, doc.text.index(" ne "), label="PER", alignment_mode="expand")
    assert isinstance(span, Span)
    offsets = trimmed_span(span)
    assert offsets is not None and doc.text[offsets[0] : offsets[1]] == "Philippe Martinez"


def test_spacy_stage_lemma_cache_starts_over_past_its_bound(
    nlp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from veille.nlp import spacy_stage

    lemmatizer = nlp.get_pipe("lemmatizer")
    texts = ["Les ministres ont reçu les délégations étrangères.", "Elle mangeait des pommes vertes hier."]
    before = [[t.lemma_ for t in doc] for doc in spacy_stage.parse(nlp, texts, 8)]
    filler = spacy_stage.parse(nlp, ["Les pêcheurs bretons réparaient leurs chaluts abîmés."], 8)[0]
    filler_keys = {(t.orth, t.pos) for t in filler} - {(t.orth, t.pos) for text in texts for t in nlp(text)}
    assert filler_keys & set(lemmatizer.cache)
    monkeypatch.setattr(spacy_stage, "LEMMA_CACHE", 5)
    after = [[t.lemma_ for t in doc] for doc in spacy_stage.parse(nlp, texts, 8)]
    assert after == before  # the memo changes no lemma
    assert not filler_keys & set(lemmatizer.cache)
    assert len(lemmatizer.cache) <= sum(len(t.split()) + 1 for t in texts)
