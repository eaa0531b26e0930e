"""Speaker attribution rules on tiny hand-built texts: gender, roles, pronouns, organisations."""

from __future__ import annotations

import re
from typing import Any

from veille.quotes.coref import entity_gender, mention_gender, recent_person
from veille.quotes.marks import find_quotations
from veille.quotes.speakers import (
    ArticleView,
    EntityRef,
    MentionRef,
    describe,
    nominal_speaker,
    pronoun_speaker,
)
from veille.quotes.subjects import speaker_for_verb, speaker_in_next_sentence


def view_of(
    nlp: Any, text: str, names: dict[str, tuple[str, str]], roles: dict[str, list[str]] | None = None
) -> ArticleView:
    """Every occurrence of each name (→ label, entity id) becomes a mention of that entity."""
    mentions = [
        MentionRef(m.start(), m.end(), label, entity_id)
        for name, (label, entity_id) in names.items()
        for m in re.finditer(re.escape(name), text)
    ]
    entities: dict[str, EntityRef] = {}
    for name, (label, entity_id) in names.items():
        entities.setdefault(entity_id, EntityRef(entity_id, name, label, (roles or {}).get(entity_id, [])))
    spans = [(s.open, s.close + 1) for s in find_quotations(text)]
    return ArticleView(text, nlp(text), mentions, entities, spans)


def tokens_of(view: ArticleView, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    start = [m.start() for m in re.finditer(re.escape(phrase), view.text)][occurrence]
    return view.token_at(start).i, view.token_at(start + len(phrase) - 1).i + 1


def test_speakers_mention_gender_from_title_determiner(nlp: Any) -> None:
    view = view_of(nlp, "La ministre Anne Vidal est arrivée.", {"Anne Vidal": ("PER", "e1")})
    assert mention_gender(view, view.mentions[0]) == "Fem"


def test_speakers_mention_gender_from_participle_after_etre(nlp: Any) -> None:
    view = view_of(nlp, "Hier, Claude Morin a été élue maire.", {"Claude Morin": ("PER", "e1")})
    assert mention_gender(view, view.mentions[0]) == "Fem"


def test_speakers_entity_gender_is_voted_over_all_mentions(nlp: Any) -> None:
    text = "Mme Claude Morin est venue. Plus tard, Claude Morin a parlé."
    view = view_of(nlp, text, {"Claude Morin": ("PER", "e1")})
    assert entity_gender(view, view.mentions[1]) == "Fem"


def test_speakers_pronoun_elle_skips_a_more_recent_man(nlp: Any) -> None:
    text = "Mme Claude Morin a reçu le député Paul Dubois. Elle a déclaré que tout allait bien."
    view = view_of(nlp, text, {"Claude Morin": ("PER", "e1"), "Paul Dubois": ("PER", "e2")})
    start = text.index("Elle")
    assert pronoun_speaker(view, "elle", start, start + 4).entity_id == "e1"


def test_speakers_person_named_inside_a_quotation_is_not_a_candidate(nlp: Any) -> None:
    text = "Paul Dubois est arrivé. « Jean Leroy ment », dit-il. Il a ajouté qu'il partait."
    view = view_of(nlp, text, {"Paul Dubois": ("PER", "e1"), "Jean Leroy": ("PER", "e2")})
    mention = recent_person(view, text.index("Il a ajouté"), "Masc")
    assert mention is not None and mention.entity_id == "e1"


def test_speakers_nominal_role_goes_to_the_person_in_apposition(nlp: Any) -> None:
    text = "Olivier Dumas, secrétaire d'Etat, a reçu Marc Petit. Le secrétaire d'État a dit non."
    view = view_of(nlp, text, {"Olivier Dumas": ("PER", "e1"), "Marc Petit": ("PER", "e2")})
    start = text.index("Le secrétaire")
    speaker = nominal_speaker(view, "secrétaire", start, start + len("Le secrétaire d'État"), "Masc")
    assert speaker.entity_id == "e1"


def test_speakers_nominal_role_goes_to_the_entity_role_title(nlp: Any) -> None:
    text = "Marc Petit a rencontré Paul Roux. La procureure a parlé."
    names = {"Marc Petit": ("PER", "e1"), "Paul Roux": ("PER", "e2")}
    view = view_of(nlp, text, names, {"e1": ["procureure de Lyon"]})
    start = text.index("La procureure")
    speaker = nominal_speaker(view, "procureure", start, start + len("La procureure"), "Fem")
    assert speaker.entity_id == "e1"


def test_speakers_definite_role_with_a_place_inside_is_resolved(nlp: Any) -> None:
    text = "Paul Roux a visité Lyon. Le chef de l'État a promis des fonds."
    view = view_of(nlp, text, {"Paul Roux": ("PER", "e1"), "État": ("LOC", "e2")})
    speaker = describe(view, *tokens_of(view, "Le chef de l'État"))
    assert (speaker.kind, speaker.entity_id) == ("person", "e1")


def test_speakers_role_before_any_name_goes_to_the_next_person(nlp: Any) -> None:
    text = "Le ministre a parlé longuement. Ensuite, Paul Roux est reparti."
    view = view_of(nlp, text, {"Paul Roux": ("PER", "e1")})
    speaker = describe(view, *tokens_of(view, "Le ministre"))
    assert speaker.entity_id == "e1"


def test_speakers_organisation_noun_is_known_by_its_proper_name(nlp: Any) -> None:
    text = "Le feu progresse, d'après l'agence de lutte contre les incendies Calfire."
    view = view_of(nlp, text, {})
    speaker = describe(view, *tokens_of(view, "l'agence de lutte contre les incendies Calfire"))
    assert (speaker.kind, speaker.name) == ("organisation", "Calfire")


def test_speakers_document_of_an_organisation_speaks_for_it(nlp: Any) -> None:
    text = "Le départ est confirmé, selon un communiqué de la SNCF publié hier."
    view = view_of(nlp, text, {"SNCF": ("ORG", "e1")})
    speaker = describe(view, *tokens_of(view, "un communiqué de la SNCF"))
    assert (speaker.kind, speaker.entity_id) == ("organisation", "e1")


def test_speakers_next_sentence_speech_verb_names_the_source(nlp: Any) -> None:
    text = "Paul Roux est venu.\n\n« Nous ne céderons rien. »\n\nA poursuivi Claude Morin devant la presse."
    view = view_of(nlp, text, {"Paul Roux": ("PER", "e1"), "Claude Morin": ("PER", "e2")})
    found = speaker_in_next_sentence(view, text.index("»"))
    assert found is not None and found[0].entity_id == "e2"


def test_speakers_demonstrative_celui_qui_is_the_recent_man(nlp: Any) -> None:
    text = "Paul Dubois a chanté. « C'est fini », résume celui qui a tout vu."
    view = view_of(nlp, text, {"Paul Dubois": ("PER", "e1")})
    assert describe(view, *tokens_of(view, "celui")).entity_id == "e1"


def test_speakers_agent_noun_before_organisation_is_a_person(nlp: Any) -> None:
    text = "Paul Dubois présente le journal. L'animateur de TF1 a expliqué son choix."
    view = view_of(nlp, text, {"Paul Dubois": ("PER", "e1"), "TF1": ("ORG", "o1")})
    speaker = describe(view, *tokens_of(view, "L'animateur de TF1"))
    assert (speaker.kind, speaker.entity_id) == ("person", "e1")


def test_speakers_newspaper_title_is_an_organisation(nlp: Any) -> None:
    view = view_of(nlp, "Le trafic a baissé, indique La Voix du Nord.", {})
    assert describe(view, *tokens_of(view, "La Voix du Nord")).kind == "organisation"


def test_speakers_doctor_title_names_a_person(nlp: Any) -> None:
    view = view_of(nlp, "« Tout va bien », a déclaré le Dr Anil Rao.", {})
    speaker = describe(view, *tokens_of(view, "le Dr Anil Rao"))
    assert (speaker.kind, speaker.name) == ("person", "Anil Rao")


def test_speakers_incise_after_comma_takes_the_subject_after_the_verb(nlp: Any) -> None:
    text = "Les lignes 1 et 14 rouleront, a détaillé la RATP."
    view = view_of(nlp, text, {"RATP": ("ORG", "o1")})
    verb = next(t for t in view.doc if t.text == "détaillé")
    speaker = speaker_for_verb(view, verb, inverted_first=False)
    assert speaker is not None and speaker.entity_id == "o1"


def test_speakers_asked_agent_is_not_the_speaker(nlp: Any) -> None:
    text = "Interrogé par Puremedias, Paul Dubois a répondu."
    view = view_of(nlp, text, {"Paul Dubois": ("PER", "e1"), "Puremedias": ("ORG", "o1")})
    verb = next(t for t in view.doc if t.text == "Interrogé")
    speaker = speaker_for_verb(view, verb, inverted_first=False)
    assert speaker is not None and speaker.entity_id == "e1"
