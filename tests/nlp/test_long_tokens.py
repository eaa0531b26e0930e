"""The tokenizer guard: long runs without whitespace are cut into pieces, nothing else changes."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veille.model import KEPT, Article
from veille.nlp import NlpStage
from veille.nlp.spacy_stage import MAX_TOKEN_CHARS, LongTokenGuard

FRENCH = (
    "« Nous ne céderons rien », a déclaré jeudi 18 août le Premier ministre, Jean Castex, à "
    "l'Assemblée nationale.\n\nL'AP-HP (Assistance publique) a publié ses chiffres sur "
    "https://www.aphp.fr/actualites?id=1234&utm_source=x : 12,5 % de hausse, d'après l'Insee.\n"
    "M. Dupont-Aignan, 52 ans, s'est dit « très inquiet » ; Mme Le Pen n’a pas réagi…\n\n"
    "Aujourd'hui-même, c'est-à-dire le 1er septembre 2020 à 14h30, rendez-vous au 10, rue de Rivoli."
)


def token_view(doc: Any) -> list[tuple[str, str, str, int]]:
    return [(t.text, t.whitespace_, t.norm_, t.idx) for t in doc]


class Spy:
    """A tokenizer that records the longest whitespace-free run it was given."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab
        self.longest = 0

    def __call__(self, text: str) -> Any:
        self.longest = max([self.longest, *(len(word) for word in text.split())])
        return self.tokenizer(text)


def raw_tokenizer(nlp: Any) -> Any:
    tokenizer = nlp.tokenizer
    return tokenizer.tokenizer if isinstance(tokenizer, LongTokenGuard) else tokenizer


def test_long_tokens_french_text_tokenizes_as_without_the_guard(nlp: Any) -> None:
    raw = raw_tokenizer(nlp)
    guarded = LongTokenGuard(raw)
    assert token_view(guarded(FRENCH)) == token_view(raw(FRENCH))
    assert isinstance(nlp.tokenizer, LongTokenGuard)  # what load_model gives every stage


def test_long_tokens_long_run_becomes_pieces_and_the_text_is_unchanged(nlp: Any) -> None:
    raw = raw_tokenizer(nlp)
    text = "Il a dit " + "«" * 700 + " hier.\n\n" + "x" * 301 + "\nfin"
    doc = LongTokenGuard(raw)(text)
    assert doc.text == text
    assert [len(t) for t in doc if t.text[0] in "«x"] == [300, 300, 100, 300, 1]
    assert [t.whitespace_ for t in doc if t.text[0] == "«"] == ["", "", " "]
    # Around the runs, spaCy's own tokens.
    assert [t.text for t in doc][:3] == ["Il", "a", "dit"]
    assert [t.text for t in doc][-7:] == ["hier", ".", "\n\n", "x" * 300, "x", "\n", "fin"]


def test_long_tokens_spacy_never_sees_a_run_over_the_bound(nlp: Any) -> None:
    # spaCy's cost is quadratic in the length of a whitespace-free run; bounded runs make it linear.
    spy = Spy(raw_tokenizer(nlp))
    guarded = LongTokenGuard(spy)
    for n in (8_000, 32_000, 128_000):
        doc = guarded("Il a dit " + "«" * n + " hier.")
        assert len(doc) == 3 + -(-n // MAX_TOKEN_CHARS) + 2
    assert spy.longest <= MAX_TOKEN_CHARS


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["a", "é", "«", "»", ".", "'", "-", " ", "  ", "\n", "\n\n", "\t", "\u00a0"]),
                max_size=60).map("".join))  # fmt: skip
def test_long_tokens_text_is_kept_and_short_runs_are_untouched(nlp: Any, text: str) -> None:
    raw = raw_tokenizer(nlp)
    guarded = LongTokenGuard(raw, max_chars=4)  # a small bound, so that drawn texts cross it
    doc = guarded(text)
    assert doc.text == text
    assert all(len(t) <= 4 or t.text.isspace() for t in doc)
    if all(len(word) <= 4 for word in text.split()):
        assert token_view(doc) == token_view(raw(text))


def test_long_tokens_nlp_stage_analyses_a_long_run_with_offsets_intact(nlp: Any) -> None:
    text = "Emmanuel Macron a parlé à Paris. " + "«" * 20_000 + " Jean Castex a répondu."
    article = Article(id="a", source_file="x.txt", source_id="1", text=text, language="fr", status=KEPT)
    NlpStage(keep_docs=True)([article])
    assert article.doc is not None and article.doc.text == text
    assert max(len(t) for t in article.doc) == MAX_TOKEN_CHARS
    assert {m.text for m in article.mentions} >= {"Emmanuel Macron", "Jean Castex"}
    assert all(text[m.start : m.end] == m.text for m in article.mentions)
