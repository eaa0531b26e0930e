"""Rubriques: a fixed French topic set over IPTC Media Topics, assigned to every French article.

`RUBRIQUES` (taxonomy.py) is the set, each with its IPTC code(s), description, prototype phrases
and keywords; `RubriqueClassifier` (classifier.py) scores articles by rules plus sentence-embedding
similarity; `RubriquesStage` (stage.py) runs it in the pipeline. docs/rubriques.md has the method
and the evaluation.
"""

from veille.rubriques.classifier import SUPPORTED_LANGUAGES, RubriqueClassifier, RubriqueInput
from veille.rubriques.stage import RubriquesStage, rubrique_input
from veille.rubriques.taxonomy import BY_NAME, NAMES, RUBRIQUES, Rubrique, check_names

__all__ = [
    "BY_NAME",
    "NAMES",
    "RUBRIQUES",
    "SUPPORTED_LANGUAGES",
    "Rubrique",
    "RubriqueClassifier",
    "RubriqueInput",
    "RubriquesStage",
    "check_names",
    "rubrique_input",
]
