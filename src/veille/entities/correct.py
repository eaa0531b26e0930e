"""Type correction of spaCy's entities: gazetteers, places, acronyms.

fr_core_news_md tags "Daech" as a place or a person, "CPCO" and "Balard" as people, and misses
"l'EI". This spaCy component (`nlp.add_pipe("veille_entities", after="ner")`) runs after the
statistical NER and:

1. matches the shipped gazetteer (armed groups, institutions, parties, media, facilities …) and
   the knowledge base's places (countries, capitals, cities, with their French aliases); a match
   replaces any spaCy entity it overlaps, and carries its knowledge-base id in `Span.kb_id_`;
2. relabels an all-capitals acronym that spaCy called a person (CPCO, OCLCIFF) as an
   organisation: people are not written in capitals in running French text;
3. relabels a spaCy entity whose words are a known place as LOC.

Finding (`find_corrections`) is kept apart from writing back (`apply_corrections`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from veille.entities.names import is_acronym, name_key

PLACE_TYPES = frozenset({"country", "city", "region", "facility"})
# A portfolio in a title is not a place: "le ministre de la Défense", "secrétaire d'État à l'Intérieur".
PORTFOLIOS = frozenset(
    {
        "défense", "intérieur", "justice", "santé", "économie", "culture", "éducation", "agriculture",
        "environnement", "travail", "armées", "finances", "budget", "logement", "transports", "sports",
        "affaires étrangères", "europe", "outre-mer", "écologie", "industrie", "commerce", "recherche",
    }
)  # fmt: skip
TITLE_HEADS = frozenset({"ministre", "ministère", "secrétaire", "secrétariat", "commissaire", "porte-parole"})
DROP = "DROP"
# French organisation names start with their kind: "Conseil fédéral", "Banque de France", "Parti
# socialiste". spaCy often calls them places ("Chambre des députés") or leaves them MISC.
ORG_HEADS = frozenset(
    {
        "conseil", "chambre", "assemblée", "comité", "commission", "société", "compagnie", "banque",
        "parti", "ministère", "académie", "université", "association", "union", "fédération",
        "syndicat", "tribunal", "cour", "institut", "office", "agence", "direction", "département",
        "bureau", "caisse", "crédit", "groupe", "mouvement", "front", "ligue", "confédération",
        "organisation", "fondation", "club", "cercle", "journal", "gazette", "entreprise", "sénat",
    }
)  # fmt: skip


@dataclass(slots=True)
class Correction:
    start: int  # token indices
    end: int
    label: str
    kb_id: str
    rule: str


def _case_variants(text: str) -> set[str]:
    variants = {text}
    if text[:1].islower():
        variants.add(text[:1].upper() + text[1:])
    return variants


class EntityCorrector:
    """The `veille_entities` component. Holds one Matcher over gazetteer and place names."""

    def __init__(self, nlp: Language, name: str = "veille_entities") -> None:
        from veille.entities.gazetteer import Gazetteer
        from veille.entities.kb import KnowledgeBase

        self.name = name
        self.matcher = Matcher(nlp.vocab)
        self.labels: dict[str, tuple[str, str]] = {}  # match key → (label, kb id)
        self.gazetteer = gazetteer = Gazetteer.builtin()
        # Token sequences on one attribute go to phrase matchers (one pass for all of them); the few
        # patterns that mix LOWER and ORTH tokens stay in the token Matcher.
        self.phrases = {attr: PhraseMatcher(nlp.vocab, attr=attr) for attr in ("LOWER", "ORTH")}
        for pattern in gazetteer.patterns(nlp.tokenizer):
            # A seat ("Balard", LOC) and its institution's names (ORG) share an id, not a label.
            key = f"gaz:{pattern['label']}:{pattern['id']}"
            self.labels[key] = (pattern["label"], str(pattern["id"]))
            attrs = {attr for token in pattern["pattern"] for attr in token}
            if len(attrs) == 1 and attrs <= set(self.phrases):
                choices = [
                    v["IN"] if isinstance(v, dict) else [v] for t in pattern["pattern"] for v in t.values()
                ]
                phrases = [Doc(nlp.vocab, words=list(words)) for words in itertools.product(*choices)]
                self.phrases[attrs.pop()].add(key, phrases)
            else:
                self.matcher.add(key, [pattern["pattern"]])
        # Places are plain token sequences: a PhraseMatcher finds hundreds of them in one pass,
        # where the token Matcher costs tens of milliseconds a document.
        self.places = PhraseMatcher(nlp.vocab, attr="ORTH")
        kb = KnowledgeBase.builtin()
        for entry in kb.entries():
            if entry.type not in PLACE_TYPES:
                continue
            key = f"kb:{entry.id}"
            self.labels[key] = (entry.label, entry.id)
            surfaces: set[str] = set()
            for surface in (entry.name, *entry.aliases):
                # "Hollande" is more often François Hollande than the Netherlands: such names are
                # left to spaCy's judgement and linked later only if it calls them places.
                if kb.ambiguity(surface) is None:
                    surfaces |= _case_variants(surface)
            self.places.add(key, [nlp.make_doc(s) for s in sorted(surfaces) if s])

    def find_corrections(self, doc: Doc) -> list[Correction]:
        found: list[Correction] = []
        words = [t.text for t in doc]
        entities = list(doc.ents)
        matches = [*self.matcher(doc), *self.places(doc), *(m for p in self.phrases.values() for m in p(doc))]
        for match_id, start, end in matches:
            key = doc.vocab.strings[match_id]
            label, kb_id = self.labels[key]
            gazetteer = key.startswith("gaz:")
            if gazetteer and self.gazetteer.trap_reason(words, start, end, kb_id) is not None:
                continue  # "la RN 7", "PS :" …
            # A name inside a longer person or organisation is part of it: "Dominique de Villepin",
            # "Banque de France", "Conseil de sécurité de l'ONU" stay whole.
            if any(
                e.label_ in {"PER", "ORG"}
                and e.start <= start
                and end <= e.end
                and (e.end - e.start) > (end - start)
                for e in entities
            ):
                continue
            found.append(Correction(start, end, label, kb_id, "gazetteer" if gazetteer else "place"))
        found.extend(_network_stations(doc))
        for ent in doc.ents:
            if (
                ent.label_ == "PER"
                and len(ent) == 1
                and _unpronounceable_acronym(ent)
                and not _after_honorific(ent)
            ):
                found.append(Correction(ent.start, ent.end, "ORG", "", "acronym"))
            elif ent.label_ in {"LOC", "MISC", "ORG"} and _is_portfolio(ent):
                found.append(Correction(ent.start, ent.end, DROP, "", "portfolio"))
            elif ent.label_ in {"LOC", "MISC"} and len(ent) > 1 and ent[0].lower_ in ORG_HEADS:
                found.append(Correction(ent.start, ent.end, "ORG", "", "org_head"))
        return found

    def apply_corrections(self, doc: Doc, corrections: Iterable[Correction]) -> Doc:
        corrections = list(corrections)
        dropped = {(c.start, c.end) for c in corrections if c.label == DROP}
        spans = [
            Span(doc, c.start, c.end, label=c.label, kb_id=c.kb_id) for c in corrections if c.label != DROP
        ]
        # Longest match first; a gazetteer/place match beats the spaCy entity it overlaps.
        chosen = filter_spans(spans)
        taken = {i for span in chosen for i in range(span.start, span.end)}
        taken |= {i for start, end in dropped for i in range(start, end)}
        kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        doc.ents = sorted(kept + chosen, key=lambda s: s.start)
        return doc

    def __call__(self, doc: Doc) -> Doc:
        return self.apply_corrections(doc, self.find_corrections(doc))


HONORIFICS = frozenset(
    {"m.", "mm.", "mme", "mmes", "mlle", "mlles", "me", "dr", "général", "colonel", "abbé"}
)


_ROMAN = re.compile(r"^[IVXLC]+$")


# Broadcasters whose local stations are named by the network and a region ("France Bleu
# Lorraine", "France 3 Bretagne"): each station is an organisation of its own, and spaCy tends to
# keep only "France", a country.
NETWORKS = (("france", "bleu"), ("france", "3"))
_NETWORK_FIRST = frozenset(network[0] for network in NETWORKS)


def _network_stations(doc: Doc) -> list[Correction]:
    found = []
    for i, token in enumerate(doc):
        if token.lower_ not in _NETWORK_FIRST:
            continue
        for network in NETWORKS:
            end = i + len(network)
            if end >= len(doc) or [t.lower_ for t in doc[i:end]] != list(network) or not token.is_title:
                continue
            stop = end
            while stop < min(len(doc), end + 3) and doc[stop].is_title and not doc[stop].is_sent_start:
                stop += 1
            if stop > end:
                found.append(Correction(i, stop, "ORG", "", "network_station"))
    return found


def _unpronounceable_acronym(ent: Span) -> bool:
    """ "CPCO", "SNCF", "OCLCIFF" are read letter by letter, so they are not names; a word in
    capitals ("DUPONT", "CAFE") has vowels, and "II" is a regnal number."""
    text = ent.text.replace(".", "")
    if not is_acronym(ent.text) or _ROMAN.match(text) or ent.text.lower() in HONORIFICS:
        return False
    vowels = sum(c in "AEIOUYÉÈÊÀÂÎÔÛ" for c in text.upper())
    return vowels / len(text) <= 0.34


def _after_honorific(ent: Span) -> bool:
    """ "M. DUPONT": old and OCR'd newspapers print surnames in capitals; they stay people."""
    return ent.start > 0 and ent.doc[ent.start - 1].lower_ in HONORIFICS


def _is_portfolio(ent: Span) -> bool:
    """ "Défense" in "le ministre français de la Défense": a portfolio, not a place or an organisation."""
    if ent.text.lower() not in PORTFOLIOS:
        return False
    window = ent.doc[max(0, ent.start - 5) : ent.start]
    return any(t.lower_ in TITLE_HEADS for t in window)


@Language.factory(
    "veille_entities",
    assigns=["doc.ents"],
    requires=["doc.ents"],
)
def make_entity_corrector(nlp: Language, name: str) -> Any:
    return EntityCorrector(nlp, name)


def mention_key(span: Span) -> str:
    return name_key(span.text)
