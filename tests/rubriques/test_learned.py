"""The shipped pseudo-label models: they load, know the rubrique set, reproduce scikit-learn, and
classify hand-built French articles (real models and real encoder: both are small)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from veille.errors import ConfigError
from veille.rubriques import NAMES, RubriqueClassifier, RubriqueInput
from veille.rubriques.classifier import LEARNED_PARTS, keyword_pattern
from veille.rubriques.learned import (
    MODEL_PATH,
    TOKEN,
    LexicalModel,
    load_models,
    masked_text,
    models_from_json,
)

# Hand-written, one per rubrique the tests check; the keywords they contain are blanked out for the
# lexical model, so it decides on the other words.
ARTICLES = {
    "sport": RubriqueInput(
        "Ligue 1 : le PSG s'impose à Marseille",
        "Mbappé a ouvert le score dès la 10e minute avant que Neymar ne double la mise. L'entraîneur "
        "parisien a salué la prestation de ses milieux de terrain. Les Marseillais restent "
        "troisièmes au classement avant la réception de Lyon samedi au Vélodrome.",
    ),
    "santé": RubriqueInput(
        "Diabète : les cas en forte hausse chez les jeunes",
        "Selon une étude publiée jeudi, le nombre de patients atteints de diabète de type 2 a doublé "
        "en dix ans. Les médecins recommandent un dépistage précoce et une alimentation équilibrée, "
        "tandis que l'hôpital manque de lits pour les soins de longue durée.",
    ),
    "économie": RubriqueInput(
        "Renault annonce la suppression de 4 600 postes en France",
        "Le constructeur automobile, dont le chiffre d'affaires a reculé de 20 % au premier "
        "trimestre, veut réduire ses coûts de deux milliards d'euros. Les syndicats dénoncent un "
        "plan d'économies qui menace plusieurs usines et des milliers de salariés.",
    ),
    "politique": RubriqueInput(
        "Législatives : la majorité présidentielle perd la majorité absolue",
        "Au soir du second tour, le camp du président ne compte plus que 245 sièges. Les "
        "responsables de LR et du PS refusent toute alliance; l'exécutif devra chercher des voix "
        "texte par texte à l'Assemblée.",
    ),
}


def test_learned_shipped_models_load_and_know_the_rubrique_set() -> None:
    assert MODEL_PATH.is_file() and MODEL_PATH.stat().st_size < 2_000_000
    models = load_models()
    assert sorted(models.names) == sorted(NAMES)
    assert len(models.lexical.vocabulary) >= 1000
    assert models.lexical.coef.shape == (len(NAMES), len(models.lexical.vocabulary))
    assert models.embedding.coef.shape[0] == len(NAMES)
    assert "OrangeSum" in models.about["source"]


def test_learned_pseudo_label_method_gets_hand_built_articles_right() -> None:
    classifier = RubriqueClassifier(parts=LEARNED_PARTS, embedding="learned")
    chosen = classifier.classify(list(ARTICLES.values()))
    assert [pairs[0][0] for pairs in chosen] == list(ARTICLES)


def test_learned_each_model_alone_gets_sport_health_and_business_right() -> None:
    items = [ARTICLES[name] for name in ("sport", "santé", "économie")]
    for part in ("lexical", "embedding"):
        chosen = RubriqueClassifier(parts={part: 1.0}, embedding="learned").classify(items)
        assert [pairs[0][0] for pairs in chosen] == ["sport", "santé", "économie"], part


def test_learned_masked_text_blanks_every_keyword() -> None:
    patterns = [keyword_pattern(["vaccin*", "hopital"]), keyword_pattern(["match"])]
    masked = masked_text("le vaccin arrive", "a l'hopital, apres le match, les vaccins", patterns)
    assert "vaccin" not in masked and "hopital" not in masked and "match" not in masked
    assert TOKEN.findall(masked) == ["le", "arrive", "apres", "le", "les"]


def test_learned_lexical_vector_is_sublinear_tfidf_l2_normalised() -> None:
    model = LexicalModel(
        vocabulary={"but": 0, "match": 1},
        idf=np.array([2.0, 1.0]),
        coef=np.zeros((2, 2)),
        intercept=np.zeros(2),
    )
    indices, values = model.vector("but but match hors")  # "hors" is out of the vocabulary
    raw = {0: (1 + math.log(2)) * 2.0, 1: 1.0}
    norm = math.hypot(*raw.values())
    assert dict(zip(indices.tolist(), values.tolist(), strict=True)) == pytest.approx(
        {k: v / norm for k, v in raw.items()}
    )
    assert model.probabilities(["rien"]) == [[0.5, 0.5]]  # no known word: the intercepts decide


def test_learned_models_reproduce_scikit_learn() -> None:
    sklearn = pytest.importorskip("sklearn")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    assert sklearn
    texts = ["but match equipe", "match but joueur", "vaccin malade", "malade hopital vaccin", "bourse euro"]
    labels = [0, 0, 1, 1, 2]
    vectorizer = TfidfVectorizer(lowercase=False, sublinear_tf=True)
    lexical = LogisticRegression(C=10.0).fit(vectorizer.fit_transform(texts), labels)
    vectors = np.random.default_rng(0).normal(size=(5, 4))
    embedding = LogisticRegression().fit(vectors, labels)
    vocabulary = sorted(vectorizer.vocabulary_, key=lambda t: vectorizer.vocabulary_[t])
    models = models_from_json(
        {
            "format": 1,
            "names": ["sport", "santé", "économie"],
            "lexical": {
                "vocabulary": vocabulary,
                "idf": vectorizer.idf_.tolist(),
                "idf_scale": 1,
                "coef": lexical.coef_.tolist(),
                "scale": 1,
                "intercept": lexical.intercept_.tolist(),
            },
            "embedding": {
                "coef": embedding.coef_.tolist(),
                "scale": 1,
                "intercept": embedding.intercept_.tolist(),
            },
        }
    )
    probe = ["match but but inconnu", "vaccin", "euro bourse hopital"]
    expected = lexical.predict_proba(vectorizer.transform(probe))
    assert np.allclose(models.lexical.probabilities(probe), expected, atol=1e-9)
    assert np.allclose(models.embedding.probabilities(vectors.tolist()), embedding.predict_proba(vectors))


def test_learned_models_name_the_fix_when_the_set_changed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"the shipped rubrique models know .* rebuild it: .*bench/"):
        load_models().reorder([*NAMES, "cuisine"])
    with pytest.raises(ConfigError, match=r"no rubrique model file at .*; rebuild it"):
        load_models(tmp_path / "none.json.gz")
