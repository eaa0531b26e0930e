"""Finding boilerplate lines in a scraped page: a rule table, then page zones.

Finding is apart from writing back: `find_boilerplate` only says which lines to drop and why.

Two passes. First, every line is tried against `RULES`: each rule is anchored on the whole line
(`fullmatch`) and capped in length, so a sentence that merely contains "lire la suite" is never
eaten, and long paragraphs skip the table entirely (which also keeps it fast). Second, zones: the
head (before the first prose paragraph) and the tail (after the last one) hold menus, rubrique
labels and link teasers; lines between two prose paragraphs are kept unless a rule hits, because
they are the article (subheadings included). Prose is told by justext's French stopword density.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import justext

LINE_REASONS: dict[str, str] = {
    "boilerplate:comment_prompt": (
        "comment widgets and prompts (« Vous devez être membre pour ajouter des commentaires. »)"
    ),
    "boilerplate:login_prompt": "sign-in and sign-up links (« Devenez membre, ou connectez-vous. »)",
    "boilerplate:captcha": "captcha widgets (« Captcha »)",
    "boilerplate:read_more": (
        "links to the rest of an article (« Lire la suite de l'article sur Le Parisien.fr »)"
    ),
    "boilerplate:related": (
        "links to other articles and galleries (« VIDEO. Syrie : reportage … », « Lire aussi : … »)"
    ),
    "boilerplate:teaser": (
        "a truncated link teaser after the article (« Le souhait fin 2015 de la France d'une ... »)"
    ),
    "boilerplate:counter": "a bare count (« 0 », « 12 commentaires », « 1 234 vues »)",
    "boilerplate:share_widget": "share and print buttons (« Facebook Twitter Email », « Imprimer »)",
    "boilerplate:author_widget": "byline widgets (« | GBelan », « Par Jean Dupont | Publié le … »)",
    "boilerplate:date_stamp": "publication or update stamps (« le , mis à jour à 00:24 »)",
    "boilerplate:section_label": "a lone rubrique label at the top or bottom of the page (« Défense »)",
    "boilerplate:navigation": "menus, breadcrumbs and page links (« Accueil > Monde », « Haut de page »)",
    "boilerplate:copyright": "copyright notices (« © AFP », « Tous droits réservés »)",
    "boilerplate:advertising": "advertising labels (« Publicité », « Contenu sponsorisé »)",
    "boilerplate:cookie_prompt": "cookie banners (« Ce site utilise des cookies pour … »)",
    "boilerplate:newsletter": "newsletter and follow prompts (« Abonnez-vous », « Suivez-nous sur Twitter »)",
    "boilerplate:photo_credit": (
        "photo credits on a line of their own (« Photo : AFP », « © Reuters / J. Doe »)"
    ),
    "boilerplate:paywall": (
        "subscription walls (« Pour lire la suite, abonnez-vous », « Réservé aux abonnés »)"
    ),
    "boilerplate:footer": "site footer links (« Mentions légales », « Politique de confidentialité »)",
    "boilerplate:donation": "donation calls (« Je fais un don », « Soutenez-nous »)",
    "boilerplate:feedback": "reader feedback widgets (« Avez-vous apprécié cet article ? »)",
}


@dataclass(frozen=True, slots=True)
class Rule:
    reason: str
    pattern: re.Pattern[str]
    max_len: int = 160  # longer lines are never tried: boilerplate lines are short


def _rule(reason: str, pattern: str, max_len: int = 160, *, case: bool = False) -> Rule:
    assert reason in LINE_REASONS, reason
    flags = 0 if case else re.IGNORECASE
    return Rule(reason, re.compile(pattern, flags), max_len)


_MONTH = (
    r"(?:janv(?:ier)?|févr(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|"
    r"août|sept(?:embre)?|oct(?:obre)?|nov(?:embre)?|déc(?:embre)?)\.?"
)
_DAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_DATE = (
    rf"(?:{_DAY}\s*)?(?:\d{{1,2}}(?:er)?\s*{_MONTH}\s*\d{{2,4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}})"
)
_TIME = r"(?:\d{1,2}\s*[h:]\s*\d{2}(?:\s*min)?|\d{1,2}\s*h)"
_STAMP = r"(?:publié|mis à jour|mise à jour|mis en ligne|modifié|actualisé|màj|posté|édité)"
_SHARE_WORD = (
    r"(?:partager|partagez|tweeter|tweet|facebook|twitter|x|email|e-mail|mail|courriel|linkedin|whatsapp"
    r"|pinterest|messenger|telegram|reddit|google\+?|imprimer|envoyer|copier le lien|flipboard)"
)
_NAME = r"[A-ZÀ-Ý][\w'’.-]*"
_SEP = r"\s*[|>»›/•·]\s*"

# Order matters only where two rules could hit the same line: the first one gives the reason.
RULES: tuple[Rule, ...] = (
    # comments
    _rule(
        "boilerplate:comment_prompt",
        r"vous devez être (?:membre|connectée?|inscrite?|abonnée?)s? pour .{0,80}",
    ),
    _rule(
        "boilerplate:comment_prompt",
        r"aucun commentaire(?: n'est disponible| n'a (?:encore )?été (?:publié|posté))?"
        r"(?: pour (?:le moment|l'instant))?\s*\.?\d*",
    ),
    _rule("boilerplate:comment_prompt", r"répondre(?: à)?\s*(?:\(.*\))?\s*:?"),
    _rule(
        "boilerplate:comment_prompt",
        r"(?:réagir|commenter|commentaires?|réactions?|vos réactions|votre commentaire|"
        r"(?:publier|poster|laisser|ajouter|écrire|rédiger) (?:un|votre) commentaire|charte des commentaires|"
        r"signaler (?:un|ce) (?:abus|contenu|commentaire)|qui êtes-vous\s*\?|afficher les commentaires|"
        r"voir (?:les|tous les) commentaires|\d+ réponses?)\s*[:.!]?",
    ),
    _rule(
        "boilerplate:comment_prompt", r"pour créer des paragraphes, laissez simplement des lignes vides\.?"
    ),
    _rule(
        "boilerplate:comment_prompt",
        r"votre adresse (?:e-?mail|email|de messagerie|courriel) ne sera pas publiée.{0,80}",
        200,
    ),
    # sign-in
    _rule("boilerplate:login_prompt", r"devenez membre.{0,60}"),
    _rule(
        "boilerplate:login_prompt",
        rf"(?:\|\s*)*(?:connexion|inscription|se connecter|s'inscrire|"
        rf"identifiez-vous|connectez-vous|déconnexion|mon compte|"
        rf"mon espace)(?:{_SEP}(?:connexion|inscription|"
        rf"se connecter|s'inscrire|mon compte|créer un compte|mot de passe oublié\s*\??))*(?:\s*\|)*\s*[.!]?",
    ),
    _rule(
        "boilerplate:login_prompt",
        r"(?:créer|créez) (?:un|mon|votre) compte.{0,40}|mot de passe oublié\s*\??|"
        r"déjà (?:membre|inscrite?)\s*\?.{0,60}|connectez-vous (?:pour|à votre) .{0,80}",
    ),
    # captcha
    _rule(
        "boilerplate:captcha",
        r"(?:re)?captcha\s*:?|je ne suis pas un robot|code de (?:sécurité|vérification)\s*:?|"
        r"(?:recopiez|saisissez|entrez|tapez) (?:le|les) (?:code|caractères|chiffres).{0,80}",
    ),
    # paywall (before read_more: "Pour lire la suite" is a wall, "Lire la suite" a link)
    _rule(
        "boilerplate:paywall",
        r"pour (?:lire la suite|accéder en illimité|continuer à lire|lire cet article).{0,120}",
        200,
    ),
    _rule(
        "boilerplate:paywall",
        r"(?:cet article est )?réservé aux (?:abonnés|membres).{0,60}|déjà abonnée?\s*\?.{0,60}|"
        r"abonnements? institutionnels?|.{0,40}\bdes \d+ articles gratuits.{0,80}|"
        r"(?:offre|abonnement) (?:spéciale?|découverte|numérique).{0,60}|"
        r"\d+(?:[,.]\d+)?\s*€\s*(?:par|/)\s*mois.{0,40}",
    ),
    # links onward
    _rule(
        "boilerplate:read_more",
        r"(?:lire|voir|afficher) la suite(?: de l'article| de cet article)?(?: (?:sur|"
        r"dans) .{1,60})?\s*[.»>…]*",
    ),
    _rule(
        "boilerplate:read_more",
        r"(?:voir aussi|en savoir plus|continuer (?:la )?lecture|lire l'article(?: complet| original)?"
        r"(?: (?:sur|dans) .{1,60})?|(?:voir|afficher) plus|plus d'infos?|plus d'informations)\s*[:.»>…]*",
    ),
    _rule("boilerplate:related", r"(?:à |a )?lire (?:aussi|également|encore)\s*(?:[:>»\-–—].{0,200})?", 240),
    _rule(
        "boilerplate:related",
        r"(?:sur le même (?:sujet|thème)|dans la même rubrique|vous aimerez aussi|à voir aussi|"
        r"articles? (?:correspondants|liés|associés|recommandés|similaires)|nos (?:derniers )?articles|"
        r"(?:les )?(?:articles )?(?:les )?plus (?:lus|partagés|commentés)|plus de sujets|pour approfondir|"
        r"[àa] découvrir(?: (?:aussi|sur .{1,40}))?|(?:et )?vidéos? sur le (?:même )?sujet|"
        r"tous nos (?:derniers )?podcasts|"
        r"(?:les )?dernières? (?:infos|actus?|actualités|vidéos)|en images|en vidéo)\s*[:.»>]*",
    ),
    _rule(
        "boilerplate:related",
        r"(?:VID[EÉ]OS?|PHOTOS?|DIAPORAMA|INFOGRAPHIE|EN IMAGES|REPLAY|PODCAST|DIRECT|LIVE)"
        r"\s*[.:\-–—>»|]\s*\S.{0,200}",
        # A link to a video is a headline; a long "VIDÉO. …" line is the article's own lead.
        130,
        case=True,
    ),
    # counts
    _rule(
        "boilerplate:counter",
        r"\d[\d\s.,]*(?:k|m)?\s*(?:vues?|lectures?|partages?|likes?|j'aime|commentaires?|"
        r"réactions?|votes?|abonnés|followers)?",
    ),
    # share buttons
    _rule("boilerplate:share_widget", rf"{_SHARE_WORD}(?:(?:\s*[|/·•,]\s*|\s+){_SHARE_WORD})*\s*[:.]?"),
    _rule(
        "boilerplate:share_widget",
        r"(?:partager|partagez) (?:sur|par|cet article|l'article|la vidéo).{0,40}|"
        r"(?:imprimer|envoyer) (?:cet article|l'article|par (?:e-?mail|mail|courriel)|à un ami).{0,20}|"
        r"télécharger (?:au format|en) (?:pdf|epub|mobi).{0,20}|permalien|copier le lien|"
        r"(?:ajouter|sauvegarder) (?:à|aux|dans) (?:mes )?favoris",
    ),
    # bylines
    _rule("boilerplate:author_widget", r"\|\s*[^|\s][^|]{0,40}", 60),
    _rule(
        "boilerplate:author_widget",
        rf"[Pp]ar {_NAME}(?: (?:{_NAME}|de|du|le|la|et)){{0,5}}\s*[|,-]\s*(?i:{_STAMP}|le )"
        r".{0,100}",
        200,
        case=True,
    ),
    _rule(
        "boilerplate:author_widget",
        rf"(?:[Pp]ar|Auteurs? ?:|Rédigé par) {_NAME}(?: {_NAME}){{0,3}}"
        rf"(?: (?:et|avec) (?:{_NAME}(?: {_NAME}){{0,3}}|l'AFP))?(?: \((?:avec )?AFP\))?",
        80,
        case=True,
    ),
    # date stamps
    _rule(
        "boilerplate:date_stamp",
        rf"(?:le\s*,?\s*)?{_STAMP}(?: le| à)?\s*,?\s*(?:{_DATE}|{_TIME}|\s|[,|:]|à|le|"
        rf"{_STAMP}|et|il y a \d+ (?:min(?:utes?)?|h(?:eures?)?|jours?))*\.?",
        120,
    ),
    # "AFP, publié le jeudi 02 juillet 2020 à 18h28": an agency or author before the stamp.
    _rule(
        "boilerplate:date_stamp",
        rf"[A-ZÉ][\w'&. -]{{0,40}},\s*{_STAMP}(?: le| à)?\s*,?\s*(?:{_DATE}|{_TIME}|\s|[,|:]|à|le|"
        rf"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)*\.?",
        140,
    ),
    _rule(
        "boilerplate:date_stamp",
        rf"(?:le\s*)?(?:{_DATE})(?:\s*(?:à|,|-)?\s*{_TIME})?|{_TIME}|"
        r"il y a \d+ (?:min(?:utes?)?|h(?:eures?)?|jours?)",
    ),
    # navigation
    _rule("boilerplate:navigation", rf"(?:accueil|home){_SEP}.{{1,150}}"),
    _rule(
        "boilerplate:navigation",
        r"(?:haut de (?:la )?page|retour (?:en haut|à l'accueil|au début)|menu|rechercher|"
        r"recherche|fermer|aller au contenu(?: principal)?|page (?:suivante|"
        r"précédente)|suivant|précédent|sommaire|"
        r"article (?:suivant|précédent)|tous les sports|toute l'actu(?:alité)?|fil info|l'actu)\s*[:.»>]*",
    ),
    # rights
    _rule("boilerplate:photo_credit", r"(?:©|\(c\))\s*[^/\s][^/]{0,40}/\s*\S.{0,60}"),
    _rule(
        "boilerplate:photo_credit",
        r"\(?(?:crédits?|copyright) (?:photos?|images?|vidéos?)\s*:.{0,80}\)?|"
        r"\(?(?:photos?|illustration|image|source photo)\s*:\s*.{1,80}\)?|"
        r"image d'illustration|image illustrative|"
        r"photo d'illustration|.{1,60}, photo\s*:.{0,40}",
    ),
    _rule(
        "boilerplate:copyright",
        r"(?:©|\(c\)|copyright)\s*.{0,100}|(?:.{0,60}\s)?tous droits réservés\.?.{0,60}|"
        r"reproduction interdite.{0,60}|droits de reproduction.{0,60}",
    ),
    _rule(
        "boilerplate:advertising",
        r"(?:publicité|pub|sponsorisé|contenu sponsorisé|contenu partenaire|annonces?|"
        r"publi-?rédactionnel|advertisement|en partenariat avec .{1,60}|"
        r"proposé par .{1,40}|partenaires?)\s*[:.]?",
    ),
    _rule(
        "boilerplate:cookie_prompt",
        r".{0,100}(?:(?:ce|notre) site utilise des cookies|nous utilisons des cookies|"
        r"utilise des cookies pour|en poursuivant (?:votre|la) navigation|accepter (?:les|tous les) cookies|"
        r"(?:paramétrer|gérer) (?:les|mes) (?:cookies|préférences)|politique (?:de|relative aux) cookies)"
        r".{0,150}",
        250,
    ),
    _rule(
        "boilerplate:cookie_prompt",
        r"(?:tout accepter|tout refuser|j'accepte|je refuse|continuer sans accepter|"
        r"accepter et (?:fermer|continuer)|paramétrer(?: les cookies)?|personnaliser)\s*[.!]?",
    ),
    _rule(
        "boilerplate:newsletter",
        r"(?:abonnez-vous|je m'abonne|s'abonner|suivez-nous|rejoignez-nous|retrouvez-nous)"
        r"(?:\s.{0,120}|\s*[!.:]?)",
    ),
    _rule(
        "boilerplate:newsletter",
        r"(?:(?:inscrivez-vous|s'inscrire|inscription|abonnez-vous) (?:à|a|aux) .{0,20}"
        r"(?:newsletters?|lettres? d'information)|(?:pour rester informée?|recevez|recevoir) .{0,80}"
        r"(?:newsletters?|lettres? d'information|alertes?).{0,60}|newsletters?|lettres? d'information|"
        r"votre adresse (?:e-?mail|email|de messagerie|courriel).{0,80})\s*[:.!]?",
        200,
    ),
    _rule(
        "boilerplate:footer",
        r"(?:mentions légales|conditions générales(?: d'utilisation| de vente)?|cgu|cgv|"
        r"politique de confidentialité|données personnelles|espace presse|"
        r"contactez-nous|nous contacter|contact|"
        r"plan du site|qui sommes-nous\s*\??|notre communauté|accessibilité|(?:gestion des )?cookies|"
        r"(?:thème .{1,30}\. )?(?:fourni|propulsé) par .{1,40}|nous rejoindre|recrutement|faq|aide)\s*[.:]?",
    ),
    _rule(
        "boilerplate:donation",
        r"(?:je fais un don|faire un don|faites un don|soutenez-nous|"
        r"soutenez (?:notre|le|un) (?:journal|média|journalisme).{0,30})(?: à .{1,60})?\s*[!.]?",
    ),
    _rule(
        "boilerplate:feedback",
        r"(?:avez-vous apprécié cet article|cet article vous a-t-il (?:été utile|plu)|"
        r"signaler une erreur|une erreur dans cet article|votre avis nous intéresse)\s*[?!.]?.{0,40}",
    ),
)

# Rubrique labels, recognised alone on a line in the head or tail zone.
SECTION_LABELS: frozenset[str] = frozenset(
    {
        "actu", "actualité", "actualités", "l'actu", "politique", "international", "monde", "france",
        "europe",
        "économie", "eco", "société", "culture", "sport", "sports", "défense", "santé", "sciences", "science",
        "tech", "high-tech", "environnement", "planète", "faits divers", "faits-divers", "justice", "régions",
        "médias", "people", "insolite", "opinions", "opinion", "idées", "débats", "éducation", "météo",
        "lifestyle", "auto", "immobilier", "emploi", "loisirs", "cinéma", "musique", "livres", "football",
        "rugby", "tennis", "vidéos", "photos", "le fil culture", "l'essentiel santé", "l'essentiel",
        "tribune", "éditorial", "édito", "chronique", "analyse", "entretien", "interview", "décryptage",
        "reportage", "enquête", "portrait", "brève", "brèves", "dépêche", "dépêches", "à la une", "la une",
        "coronavirus", "covid-19", "paris", "île-de-france",
    }
)  # fmt: skip

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[\w'’-]+")
# Three or more short items between separators; "»" and ">" only count with spaces on both sides,
# since French quotes close with "»" inside headlines.
_MENU = re.compile(r"[^|]{1,40}?(?:(?:\s*\|\s*|\s+[>»›•·/]\s+)[^|]{1,40}?){2,}")
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)\s*$")
_SENTENCE_END = re.compile(r"[.!?…:;»\"”)]\s*$")


def line_key(line: str) -> str:
    """The form rules see: stripped, spaces folded (NBSP too), apostrophes straightened."""
    return _SPACES.sub(" ", line).strip().replace("’", "'")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(w.replace("’", "'") for w in justext.get_stoplist("French"))


def stopword_density(text: str) -> float:
    """Share of words in justext's French stoplist, the measure justext uses to tell prose."""
    words = [w.strip('.,;:!?()«»"“”').lower() for w in text.split()]
    words = [w for w in words if w]
    if not words:
        return 0.0
    stop = _stopwords()
    return sum(1 for w in words if w in stop) / len(words)


def is_prose(line: str) -> bool:
    """A paragraph of running text: enough words, enough stopwords, a sentence end or real length."""
    key = line_key(line)
    n_words = len(key.split())
    if n_words < 10:
        return False
    if not (_SENTENCE_END.search(key) or len(key) >= 150):
        return False
    return stopword_density(key) >= 0.2


def match_rule(line: str) -> str | None:
    """The reason of the first rule that matches the whole line, or None."""
    key = line_key(line)
    if not key:
        return None
    for rule in RULES:
        if len(key) <= rule.max_len and rule.pattern.fullmatch(key):
            return rule.reason
    return None


def _is_teaser(key: str) -> bool:
    """A link teaser cut mid-sentence: "… de la France d'une ...", not « … il hésite… »."""
    if not _ELLIPSIS_END.search(key) or len(key) > 220:
        return False
    body = _ELLIPSIS_END.sub("", key)
    if not body or body.endswith((" ", "\u00a0")):
        return True  # the cut came after a space: a truncation, not a suspended sentence
    words = body.split()
    last = words[-1].lower().strip(",;:")
    return last in _stopwords() or body[-1] in ",;:"


def _zone_reason(key: str, *, head: bool) -> str | None:
    """Why a short non-prose line outside the article body is boilerplate, if it is."""
    lowered = key.lower().rstrip(" :.")
    if lowered in SECTION_LABELS:
        return "boilerplate:section_label"
    if _MENU.fullmatch(key):
        return "boilerplate:navigation"
    words = _WORD.findall(key)
    if head:
        # One capitalised word above the title is a rubrique; the title itself has several words.
        if len(words) == 1 and key[:1].isupper() and len(key) <= 30 and not _SENTENCE_END.search(key):
            return "boilerplate:section_label"
        return None
    if _is_teaser(key):
        return "boilerplate:teaser"
    if len(words) <= 6 and not _SENTENCE_END.search(key) and stopword_density(key) < 0.5:
        return "boilerplate:navigation"
    return None


def find_boilerplate(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, reason) for each line to drop, in page order. Blank lines are never listed."""
    reasons: dict[int, str] = {}
    keys = [line_key(line) for line in lines]
    for index, key in enumerate(keys):
        if key:
            reason = match_rule(key)
            if reason is not None:
                reasons[index] = reason
    prose = [i for i, key in enumerate(keys) if key and i not in reasons and is_prose(key)]
    if prose:
        body = [i for i in prose if not _is_teaser(keys[i])] or prose
        first, last = prose[0], body[-1]
        for index, key in enumerate(keys):
            if not key or index in reasons or first <= index <= last:
                continue
            reason = _zone_reason(key, head=index < first)
            if reason is not None:
                reasons[index] = reason
    return sorted(reasons.items())
