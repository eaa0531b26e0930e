"""Features on tiny texts: content words, TF-IDF vectors, index keys."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

from veille.model import Article
from veille.stories.features import Idf, default_idf, features_of, source_of, terms_of, tfidf


def test_features_terms_drop_stop_words_and_fold_accents() -> None:
    terms = terms_of("Les élections municipales ont eu lieu dimanche à Paris.")
    # The plural strip is crude ("Paris" → "pari") but the same on both sides of every comparison.
    assert terms == ["election", "municipale", "lieu", "pari"]


def test_features_tfidf_is_unit_length_and_favours_rare_terms() -> None:
    idf = Idf({"gouvernement": 900, "loukachenko": 3}, 1000)
    vector = tfidf(Counter({"gouvernement": 2, "loukachenko": 1}), idf)
    assert math.isclose(sum(w * w for w in vector.values()), 1.0)
    assert vector["loukachenko"] > vector["gouvernement"]


def test_features_keys_name_entities_and_rare_terms(make_article: Callable[..., Article]) -> None:
    article = make_article(
        "a1",
        "Bélarus: Loukachenko face à la rue",
        "Alexandre Loukachenko a dénoncé les manifestations de l'opposition à Minsk.",
        names=("Alexandre Loukachenko",),
    )
    features = features_of(article, default_idf())
    assert "e:ent_alexandre_loukachenko" in features.keys
    assert "t:loukachenko" in features.keys
    assert not any(key in features.keys for key in ("t:denonce", "t:les"))
    assert features.date == "2020-08-18"
    assert features.copy_of == []


def test_features_source_is_the_name_else_the_web_site(make_article: Callable[..., Article]) -> None:
    named = make_article("a", "Titre", "Texte.", source="Le Parisien")
    named.url = "https://www.leparisien.fr/x.html"
    site = make_article("b", "Titre", "Texte.", source=None)
    site.url = "https://www.leparisien.fr/x.html"
    unknown = make_article("c", "Titre", "Texte.", source=None)
    assert [source_of(a) for a in (named, site, unknown)] == ["Le Parisien", "leparisien.fr", None]
