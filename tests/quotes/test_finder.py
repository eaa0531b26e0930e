"""Each cue pattern and decision on one tiny sentence, through the spaCy parse (no entity ids)."""

from __future__ import annotations

from typing import Any

from veille.quotes.finder import Found
from veille.quotes.speakers import MentionRef
from veille.quotes.stage import find_in_doc


def run(nlp: Any, text: str, *, indirect: bool = False) -> list[tuple[str, str, str | None, str | None]]:
    doc = nlp(text)
    mentions = [MentionRef(e.start_char, e.end_char, e.label_) for e in doc.ents]
    found: list[Found] = find_in_doc(text, doc, mentions, indirect=indirect)
    return [
        (
            text[f.start : f.end],
            f.kind,
            f.speaker.name if f.speaker else None,
            f.speaker.kind if f.speaker else None,
        )
        for f in found
    ]


def test_finder_inverted_subject_after_the_quote(nlp: Any) -> None:
    text = "«C'est le moment d'agir», a plaidé le ministre français de la Défense Jean-Yves Le Drian."
    assert run(nlp, text) == [("C'est le moment d'agir", "direct", "Jean-Yves Le Drian", "person")]


def test_finder_incise_pronoun_resolves_to_the_last_person(nlp: Any) -> None:
    text = "Emmanuel Macron était à Lyon. «Nous avons gagné», a-t-il ajouté."
    assert run(nlp, text) == [("Nous avons gagné", "direct", "Emmanuel Macron", "person")]


def test_finder_incise_verb_then_pronoun(nlp: Any) -> None:
    text = "Anne Hidalgo est arrivée tôt. «Tout est prêt», ajoute-t-elle."
    assert run(nlp, text) == [("Tout est prêt", "direct", "Anne Hidalgo", "person")]


def test_finder_inverted_on_with_entourage_is_anonymous(nlp: Any) -> None:
    text = "Avec Ankara, « c'est l'objectif a atteindre » confie t-on dans l'entourage du ministre."
    assert run(nlp, text) == [
        ("c'est l'objectif a atteindre", "direct", "dans l'entourage du ministre", "anonymous")
    ]


def test_finder_colon_after_a_cue_verb(nlp: Any) -> None:
    text = "Le président Joe Biden a déclaré : «Nous ne reculerons pas devant la menace.»"
    assert run(nlp, text) == [("Nous ne reculerons pas devant la menace.", "direct", "Joe Biden", "person")]


def test_finder_colon_after_a_passive_agent(nlp: Any) -> None:
    text = (
        "Trois objectifs ont été détaillés par le secrétaire américain Ashton Carter : "
        "«détruire l'EI, protéger les populations»."
    )
    [(quote, kind, name, _)] = run(nlp, text)
    assert (quote, kind, name) == ("détruire l'EI, protéger les populations", "direct", "Ashton Carter")


def test_finder_colon_after_a_bare_speaker(nlp: Any) -> None:
    text = "Réaction d'Angela Merkel : «C'est une bonne nouvelle pour l'Europe»."
    assert run(nlp, text) == [("C'est une bonne nouvelle pour l'Europe", "direct", "Angela Merkel", "person")]


def test_finder_selon_before_the_quote(nlp: Any) -> None:
    text = "Selon Marine Le Pen, «le gouvernement a échoué sur toute la ligne»."
    assert run(nlp, text) == [
        ("le gouvernement a échoué sur toute la ligne", "direct", "Marine Le Pen", "person")
    ]


def test_finder_selon_after_the_quote(nlp: Any) -> None:
    text = "«La situation est grave et elle empire», selon Olivier Véran."
    assert run(nlp, text) == [("La situation est grave et elle empire", "direct", "Olivier Véran", "person")]


def test_finder_split_quote_with_incise_gives_two_quotes(nlp: Any) -> None:
    text = "Jean Castex a parlé longtemps. «Nous tiendrons, a-t-il ajouté, quoi qu'il arrive.»"
    assert run(nlp, text) == [
        ("Nous tiendrons", "direct", "Jean Castex", "person"),
        ("quoi qu'il arrive.", "direct", "Jean Castex", "person"),
    ]


def test_finder_ajoutant_colon_keeps_the_speaker(nlp: Any) -> None:
    text = (
        "«Les Russes sont sur la mauvaise voie», a dénoncé Ashton Carter, ajoutant : "
        "«Jusqu'à ce que cela change, il n'y a pas de base commune»."
    )
    assert [(q, name) for q, _, name, _ in run(nlp, text)] == [
        ("Les Russes sont sur la mauvaise voie", "Ashton Carter"),
        ("Jusqu'à ce que cela change, il n'y a pas de base commune", "Ashton Carter"),
    ]


def test_finder_partial_quote_takes_the_reporting_subject(nlp: Any) -> None:
    text = "Paris et Washington ont de nouveau appelé Moscou à «concentrer» ses bombardements contre l'EI."
    assert run(nlp, text) == [("concentrer", "partial", "Paris et Washington", "collective")]


def test_finder_scare_quotes_are_terms(nlp: Any) -> None:
    text = "Le «Conseil de guerre» de la coalition se félicite d'un «recul» de Daech sur la «mauvaise voie»."
    assert run(nlp, text) == []


def test_finder_quoted_title_without_cue_is_a_term(nlp: Any) -> None:
    assert run(nlp, "Il a regardé «Les Misérables» hier soir au cinéma.") == []


def test_finder_follow_on_quote_continues_the_speaker(nlp: Any) -> None:
    text = "«Nous gagnerons», a déclaré Gérald Darmanin. «Je ne lâcherai rien sur la sécurité des Français.»"
    assert [(q, name) for q, _, name, _ in run(nlp, text)] == [
        ("Nous gagnerons", "Gérald Darmanin"),
        ("Je ne lâcherai rien sur la sécurité des Français.", "Gérald Darmanin"),
    ]


def test_finder_organisation_subject(nlp: Any) -> None:
    text = "L'Organisation mondiale de la santé a averti que «la pandémie est loin d'être finie»."
    [(_, kind, _, speaker_kind)] = run(nlp, text)
    assert (kind, speaker_kind) == ("partial", "organisation")


def test_finder_indirect_speech_with_que(nlp: Any) -> None:
    text = "Le ministre Bruno Le Maire a affirmé que la croissance reviendrait en 2021."
    assert run(nlp, text, indirect=True) == [
        ("la croissance reviendrait en 2021", "indirect", "Bruno Le Maire", "person")
    ]


def test_finder_indirect_speech_after_selon(nlp: Any) -> None:
    text = "Selon Bruno Le Maire, la croissance reviendrait en 2021."
    assert run(nlp, text, indirect=True) == [
        ("la croissance reviendrait en 2021", "indirect", "Bruno Le Maire", "person")
    ]


def test_finder_selon_a_figure_is_not_indirect_speech(nlp: Any) -> None:
    assert run(nlp, "Selon les chiffres publiés hier, la croissance reviendrait.", indirect=True) == []


def test_finder_nominal_speaker_resolves_to_the_person(nlp: Any) -> None:
    text = "Jean-Yves Le Drian est arrivé à Paris. «Nous sommes prêts», a assuré le ministre."
    assert run(nlp, text) == [("Nous sommes prêts", "direct", "Jean-Yves Le Drian", "person")]


def test_finder_name_after_de_is_not_the_speaker(nlp: Any) -> None:
    text = "«Il faut arrêter ce comportement», assure l'avocat de Cécile Duflot."
    assert run(nlp, text) == [
        ("Il faut arrêter ce comportement", "direct", "l'avocat de Cécile Duflot", "person")
    ]


def test_finder_adjectival_participle_is_not_a_cue(nlp: Any) -> None:
    text = "L'enquête, confiée à la police de Versailles, porte sur un «enlèvement en bande organisée»."
    assert run(nlp, text) == []


def test_finder_indefinite_source_is_anonymous(nlp: Any) -> None:
    text = "«Les services sont totalement débordés», explique une source proche du dossier."
    assert run(nlp, text) == [
        ("Les services sont totalement débordés", "direct", "une source proche du dossier", "anonymous")
    ]


def test_finder_selon_a_pronoun_resolves_to_the_person(nlp: Any) -> None:
    text = "Agnès Buzyn a présenté son plan. «On en est à 50 %, très en deçà des objectifs», selon elle."
    assert run(nlp, text) == [
        ("On en est à 50 %, très en deçà des objectifs", "direct", "Agnès Buzyn", "person")
    ]


def test_finder_fait_valoir_is_a_cue(nlp: Any) -> None:
    text = "«Nous sommes déçus par cette décision», a fait savoir Stephen Kerckhove."
    assert run(nlp, text) == [
        ("Nous sommes déçus par cette décision", "direct", "Stephen Kerckhove", "person")
    ]


def test_finder_fragment_after_determiner_governed_by_speech_verb_is_partial(nlp: Any) -> None:
    text = "Le maire Jean Dupont a dénoncé un «recul» des services publics."
    assert run(nlp, text) == [("recul", "partial", "Jean Dupont", "person")]


def test_finder_capitalised_fragment_after_speech_verb_stays_a_term(nlp: Any) -> None:
    assert run(nlp, "Le maire Jean Dupont a évoqué le «Grand Paris» devant les élus.") == []


def test_finder_trailing_verb_incise_makes_indirect_speech(nlp: Any) -> None:
    text = "Le trafic ferroviaire a été interrompu dans la région, a indiqué la SNCF."
    [(content, kind, _, _)] = run(nlp, text, indirect=True)
    assert (content, kind) == ("Le trafic ferroviaire a été interrompu dans la région", "indirect")


def test_finder_trailing_selon_makes_indirect_speech(nlp: Any) -> None:
    text = "Quatre-vingts personnes se trouvaient à bord du train, selon le ministre Jean Dupont."
    [(content, kind, _, _)] = run(nlp, text, indirect=True)
    assert (content, kind) == ("Quatre-vingts personnes se trouvaient à bord du train", "indirect")


def test_finder_trailing_incise_skips_first_person_clause(nlp: Any) -> None:
    assert (
        run(nlp, "Nous avons quitté la ville très tôt ce matin, a raconté Paul Martin.", indirect=True) == []
    )


def test_finder_role_with_apposed_name_resolves_to_the_name(nlp: Any) -> None:
    text = "«Nous tiendrons nos promesses», a annoncé le Premier ministre, Édouard Philippe."
    [(_, _, name, kind)] = run(nlp, text)
    assert (name, kind) == ("Édouard Philippe", "person")


def test_finder_incise_with_noun_subject_inside_the_marks_splits_the_quote(nlp: Any) -> None:
    text = (
        "Le groupe a publié un texte. «Un jour nous avons reçu un message du chanteur, racontent les "
        "musiciens dans un communiqué. Nous avons tout de suite accepté.»"
    )
    found = run(nlp, text)
    assert [f[0] for f in found] == [
        "Un jour nous avons reçu un message du chanteur",
        "Nous avons tout de suite accepté.",
    ]
    assert {f[1] for f in found} == {"direct"}


def test_finder_incise_closing_the_quotation_keeps_the_left_part(nlp: Any) -> None:
    text = "Philippe Martinez était en colère. \"Je n'ai pas de rendez-vous, a-t-il déploré."
    assert run(nlp, text) == [("Je n'ai pas de rendez-vous", "direct", "Philippe Martinez", "person")]


def test_finder_ils_after_a_group_quote_is_that_group(nlp: Any) -> None:
    text = "«Nous partons en tournée», annonce le groupe Indochine. «Nous jouerons partout», poursuivent-ils."
    found = run(nlp, text)
    assert len(found) == 2
    assert found[1][2] == found[0][2] and found[1][3] == found[0][3] != "collective"


def test_finder_pronoun_prefers_a_subject_to_a_name_after_par(nlp: Any) -> None:
    text = (
        "Philippe Martinez a parlé longtemps. Il regrette de ne pas avoir été reçu par Emmanuel Macron. "
        "«Il ne doit pas aimer les moustachus», a-t-il commenté."
    )
    assert run(nlp, text)[-1][2] == "Philippe Martinez"


def test_finder_fragment_in_a_named_persons_clause_is_partial(nlp: Any) -> None:
    text = "Edouard Philippe veut agir «pour aider ceux qui souffrent» à la rentrée."
    assert run(nlp, text) == [("pour aider ceux qui souffrent", "partial", "Edouard Philippe", "person")]


def test_finder_single_quoted_noun_in_a_persons_clause_stays_a_term(nlp: Any) -> None:
    assert run(nlp, "Edouard Philippe a présenté le «plan» de la ville.") == []


def test_finder_que_report_around_a_partial_quote_is_also_indirect(nlp: Any) -> None:
    text = "Edouard Philippe a indiqué que la mairie pourrait «venir en soutien» aux écoles."
    kinds = {(f[0], f[1]) for f in run(nlp, text, indirect=True)}
    assert ("venir en soutien", "partial") in kinds
    assert ("la mairie pourrait «venir en soutien» aux écoles", "indirect") in kinds


def test_finder_incise_closing_a_sentence_with_partial_quotes_is_indirect(nlp: Any) -> None:
    text = (
        "La coalition doit «cesser de frapper» l'opposition modérée, ont annoncé mercredi "
        "Paris et Washington."
    )
    found = {(f[0], f[1]) for f in run(nlp, text, indirect=True)}
    assert ("La coalition doit «cesser de frapper» l'opposition modérée", "indirect") in found


def test_finder_tail_of_a_cut_quotation_is_not_indirect(nlp: Any) -> None:
    text = 'Il a parlé. "Nous irons. Le reste c\'est de la spéculation", a martelé le Premier ministre.'
    assert all(f[1] != "indirect" for f in run(nlp, text, indirect=True))


def test_finder_pronoun_after_an_unnamed_description_is_that_person(nlp: Any) -> None:
    text = (
        "Emmanuel Macron a porté plainte contre un photographe. Contacté par RTL, le photographe "
        "incriminé a donné sa version. «Nous voulions juste travailler», confie-t-il."
    )
    assert run(nlp, text)[-1][2:] == ("le photographe incriminé", "person")


def test_finder_relative_noun_is_not_the_person_it_relates_to(nlp: Any) -> None:
    text = (
        "Le jeune Sacha Arabadzic avait disparu en janvier. «Il fallait qu'on le retrouve», a témoigné "
        "son père au Dauphiné Libéré. «Tout le monde a vécu ça comme une tragédie», poursuit-il."
    )
    assert [f[2] for f in run(nlp, text)] == ["son père", "son père"]


def test_finder_article_of_an_organisation_does_not_give_the_persons_gender(nlp: Any) -> None:
    text = (
        "«Ce n'est pas une grève de privilégiés», a estimé le secrétaire général de la CGT Philippe "
        "Martinez. «Le sujet est grave», a salué le syndicaliste."
    )
    assert [f[2] for f in run(nlp, text)] == ["Philippe Martinez", "Philippe Martinez"]


def test_finder_speaker_name_cut_by_the_parse_is_taken_whole(nlp: Any) -> None:
    text = (
        "Un jeune conducteur a été flashé roulant à 200 km/h sur l'autoroute A4, rapporte lundi "
        "16 janvier France Bleu Lorraine."
    )
    found = run(nlp, text, indirect=True)
    assert found and found[0][2:] == ("France Bleu Lorraine", "organisation")
