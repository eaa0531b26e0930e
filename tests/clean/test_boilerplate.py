from __future__ import annotations

import pytest

from veille.clean.boilerplate import LINE_REASONS, RULES, find_boilerplate, match_rule

PROSE_1 = (
    "La coalition militaire internationale luttant contre Daech en Syrie et en Irak veut profiter du recul "
    "des jihadistes, ont annoncé mercredi Paris et Washington."
)
PROSE_2 = (
    "Les ministres de la Défense des pays les plus engagés dans la campagne se sont félicités d'avoir fait "
    "reculer Daech sur le terrain, a dit le ministre."
)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Vous devez être membre pour ajouter des commentaires.", "boilerplate:comment_prompt"),
        ("Aucun commentaire n'est disponible pour l'instant0", "boilerplate:comment_prompt"),
        ("Répondre à () :", "boilerplate:comment_prompt"),
        ("Réagir", "boilerplate:comment_prompt"),
        ("Commenter", "boilerplate:comment_prompt"),
        ("Pour créer des paragraphes, laissez simplement des lignes vides.", "boilerplate:comment_prompt"),
        ("Votre adresse e-mail ne sera pas publiée.", "boilerplate:comment_prompt"),
        ("Devenez membre, ou connectez-vous.", "boilerplate:login_prompt"),
        ("| | Connexion | Inscription", "boilerplate:login_prompt"),
        ("Se connecter", "boilerplate:login_prompt"),
        ("Créer un compte", "boilerplate:login_prompt"),
        ("Mot de passe oublié ?", "boilerplate:login_prompt"),
        ("Captcha", "boilerplate:captcha"),
        ("Recopiez le code ci-dessous", "boilerplate:captcha"),
        ("Lire la suite de l'article sur Le Parisien.fr", "boilerplate:read_more"),
        ("Lire la suite", "boilerplate:read_more"),
        ("Voir aussi", "boilerplate:read_more"),
        ("En savoir plus", "boilerplate:read_more"),
        ("Lire aussi : Daech recule en Irak", "boilerplate:related"),
        ("À lire aussi", "boilerplate:related"),
        ("Sur le même sujet", "boilerplate:related"),
        ("VIDEO. Syrie : reportage avec les réfugiés qui fuient Raqqa", "boilerplate:related"),
        ("VIDÉO - Nos reporters en Syrie", "boilerplate:related"),
        ("PHOTOS. Les plus belles images du Tour", "boilerplate:related"),
        ("Articles les plus lus", "boilerplate:related"),
        ("À découvrir", "boilerplate:related"),
        ("Vous aimerez aussi", "boilerplate:related"),
        ("0", "boilerplate:counter"),
        ("12 commentaires", "boilerplate:counter"),
        ("1 234 vues", "boilerplate:counter"),
        ("Partager", "boilerplate:share_widget"),
        ("Tweeter", "boilerplate:share_widget"),
        ("Facebook Twitter Email", "boilerplate:share_widget"),
        ("Imprimer", "boilerplate:share_widget"),
        ("Envoyer par mail", "boilerplate:share_widget"),
        ("Télécharger au format EPUB", "boilerplate:share_widget"),
        ("Permalien", "boilerplate:share_widget"),
        ("| GBelan", "boilerplate:author_widget"),
        ("Par Jean Dupont | Publié le 21/01/2016 à 10h00", "boilerplate:author_widget"),
        ("Par Jean Dupont avec AFP", "boilerplate:author_widget"),
        ("le , mis à jour à 00:24", "boilerplate:date_stamp"),
        ("Publié le 21/01/2016 à 10h00", "boilerplate:date_stamp"),
        ("Mis à jour le 3 mars 2020 à 12:05", "boilerplate:date_stamp"),
        ("AFP, publié le jeudi 02 juillet 2020 à 18h28", "boilerplate:date_stamp"),
        ("Accueil > Monde > Proche-Orient", "boilerplate:navigation"),
        ("Haut de page", "boilerplate:navigation"),
        ("© AFP", "boilerplate:copyright"),
        ("Tous droits réservés", "boilerplate:copyright"),
        ("Copyright Le Parisien 2016", "boilerplate:copyright"),
        ("Publicité", "boilerplate:advertising"),
        ("Sponsorisé", "boilerplate:advertising"),
        ("Ce site utilise des cookies pour améliorer votre expérience.", "boilerplate:cookie_prompt"),
        ("Tout accepter", "boilerplate:cookie_prompt"),
        ("Abonnez-vous", "boilerplate:newsletter"),
        ("Inscrivez-vous à la newsletter", "boilerplate:newsletter"),
        ("Suivez-nous sur Twitter", "boilerplate:newsletter"),
        ("Pour rester informé inscrivez-vous à la newsletter", "boilerplate:newsletter"),
        ("Photo : AFP", "boilerplate:photo_credit"),
        ("(Crédit photo : Reuters)", "boilerplate:photo_credit"),
        ("© Reuters / Yves Herman", "boilerplate:photo_credit"),
        ("Crédits photos : Bestimage", "boilerplate:photo_credit"),
        ("Pour lire la suite, abonnez-vous", "boilerplate:paywall"),
        ("Cet article est réservé aux abonnés", "boilerplate:paywall"),
        ("Vous avez lu 3 des 4 articles gratuits ce mois-ci", "boilerplate:paywall"),
        ("Mentions légales", "boilerplate:footer"),
        ("Conditions générales de vente", "boilerplate:footer"),
        ("Je fais un don à Attac", "boilerplate:donation"),
        ("Avez-vous apprécié cet article ?", "boilerplate:feedback"),
    ],
)
def test_boilerplate_rule_hits(line: str, reason: str) -> None:
    assert match_rule(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Il a demandé à ses partisans de lire la suite du rapport avant de voter.",
        # An article's own lead may open with "VIDÉO." (OrangeSum pages): long lines are content.
        "VIDÉO. Deux associations de défense de l'environnement demandent jeudi la saisine de l'agence "
        "sanitaire Anses pour évaluer les substances préoccupantes des crèmes solaires.",
        "Aucun commentaire n'a été fait par l'Élysée sur cette affaire, selon nos informations.",
        "Le ministre a refusé de commenter la décision du tribunal.",
        "Pour se connecter au réseau, les habitants devront attendre la fin des travaux.",
        "La vidéo de l'interpellation a été vue 1 234 fois en une heure.",
        "Le président a tenu à partager son émotion avec les familles des victimes.",
        "Publié le 3 mars, le rapport indique que la situation s'est dégradée dans la région.",
        "Par ailleurs, le gouvernement a annoncé une nouvelle aide aux agriculteurs.",
        "La publicité en ligne a rapporté 6 milliards d'euros l'an dernier.",
        "Il faut tout accepter ou tout refuser, a estimé le syndicat.",
        "Elle a décidé de s'abonner à un journal local pour suivre la campagne.",
        "Le photographe de l'AFP a été blessé lors de la manifestation à Paris.",
        "Il s'est dit prêt à soutenir la candidature de son ancien rival.",
        "La Russie à nouveau accusée d'être sur la «mauvaise voie» en Syrie",
    ],
)
def test_boilerplate_rules_spare_content(line: str) -> None:
    assert match_rule(line) is None


def test_boilerplate_every_rule_reason_is_in_the_closed_list() -> None:
    assert {rule.reason for rule in RULES} <= set(LINE_REASONS)


def test_boilerplate_blank_and_nbsp_lines_are_not_recorded() -> None:
    assert find_boilerplate(["", "   ", "\u00a0", "\t"]) == []


def test_boilerplate_lone_rubrique_in_head_is_section_label() -> None:
    lines = ["Défense", "Lutte contre Daech : la France à l'initiative", PROSE_1, PROSE_2]
    assert find_boilerplate(lines) == [(0, "boilerplate:section_label")]


def test_boilerplate_head_keeps_the_title() -> None:
    lines = ["Lutte contre Daech : la France à l'initiative", PROSE_1]
    assert find_boilerplate(lines) == []


def test_boilerplate_keeps_subheading_between_prose() -> None:
    lines = [PROSE_1, "La Russie à nouveau accusée d'être sur la «mauvaise voie» en Syrie", PROSE_2]
    assert find_boilerplate(lines) == []


def test_boilerplate_teaser_after_the_body_is_dropped() -> None:
    lines = [PROSE_1, PROSE_2, "Le souhait fin 2015 de la France d'une ...", "Lire la suite"]
    assert find_boilerplate(lines) == [(2, "boilerplate:teaser"), (3, "boilerplate:read_more")]


def test_boilerplate_suspended_quote_inside_the_body_is_kept() -> None:
    lines = [PROSE_1, "« Nous verrons bien si d'autres pays suivront… »", PROSE_2]
    assert find_boilerplate(lines) == []


def test_boilerplate_short_tail_line_is_navigation() -> None:
    lines = [PROSE_1, PROSE_2, "Proche-Orient Syrie Irak"]
    assert find_boilerplate(lines) == [(2, "boilerplate:navigation")]


def test_boilerplate_final_short_sentence_is_kept() -> None:
    lines = [PROSE_1, PROSE_2, "Une enquête est en cours."]
    assert find_boilerplate(lines) == []


def test_boilerplate_menu_line_in_head_is_navigation() -> None:
    lines = ["Politique | Monde | Économie | Sport", "Le titre de l'article du jour", PROSE_1]
    assert find_boilerplate(lines) == [(0, "boilerplate:navigation")]


def test_boilerplate_results_are_in_page_order() -> None:
    lines = ["Publicité", PROSE_1, "Partager", PROSE_2, "© AFP"]
    assert [i for i, _ in find_boilerplate(lines)] == [0, 2, 4]
