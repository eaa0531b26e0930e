"""The French speech-cue lexicon: verbs, cue prepositions, incise pronouns, source words.

spaCy's lemmatiser misses many verb forms in news text ("confie t-on", "martèle"), so each verb is
matched both by its lemma and by a table of its written forms generated here (regular -er
conjugation plus the irregular forms listed by hand). Every table is plain data with a test.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def table(words: str) -> frozenset[str]:
    """A word table written as a block of text (one word per space)."""
    return frozenset(words.split())


# Verbs that introduce what someone said. Reflexive ones ("s'exclamer") are listed bare.
SPEECH_VERBS: frozenset[str] = table(
    """
    déclarer affirmer dire ajouter estimer expliquer indiquer souligner assurer insister plaider
    dénoncer confier lancer marteler prévenir rappeler répondre exclamer écrier reconnaître admettre
    juger considérer regretter déplorer préciser poursuivre conclure avertir accuser promettre
    annoncer détailler écrire tweeter raconter résumer commenter réagir protester fustiger
    ironiser tonner glisser souffler confirmer démentir nier répliquer rétorquer relever noter
    constater témoigner interroger demander appeler réclamer exhorter saluer signaler avouer
    garantir certifier jurer répéter renchérir abonder enchaîner nuancer tempérer
    trancher argumenter justifier critiquer inquiéter insurger indigner réjouir féliciter
    alarmer étonner agacer menacer prédire reprocher lâcher asséner assener claironner
    proclamer revendiquer clamer murmurer crier hurler confesser espérer craindre souhaiter
    redouter analyser railler soupirer mentionner alerter exiger implorer supplier désoler
    lamenter souvenir interpeller tacler cingler soutenir résumer épingler rapporter révéler
    exprimer évoquer qualifier
    """
)

# Verbs that report a content clause ("X a affirmé que …"): indirect speech needs one of these.
# Narrower than SPEECH_VERBS: "demander que", "craindre que", "souhaiter que" report wishes.
INDIRECT_VERBS: frozenset[str] = table(
    """
    déclarer affirmer dire ajouter estimer expliquer indiquer souligner assurer insister confier
    marteler prévenir rappeler répondre reconnaître admettre juger considérer regretter déplorer
    préciser avertir promettre annoncer écrire raconter résumer confirmer démentir nier
    répliquer rétorquer relever noter constater témoigner signaler avouer garantir certifier jurer
    répéter soutenir dénoncer rapporter révéler justifier
    """
)

_IRREGULAR: dict[str, str] = {
    "dire": "dit dite dits dites disent disait disaient dira dirait disant dis",
    "prédire": "prédit prédite prédisent prédisait prédisant",
    "écrire": "écrit écrite écrits écrivent écrivait écrivaient écrivant écrira",
    "reconnaître": "reconnu reconnue reconnus reconnaît reconnait reconnaissent reconnaissait "
    "reconnaissant reconnut",
    "admettre": "admis admise admet admettent admettait admettant",
    "promettre": "promis promise promet promettent promettait promettant promit",
    "prévenir": "prévenu prévient préviennent prévenait prévenant prévint",
    "répondre": "répondu répond répondent répondait répondant répondit",
    "conclure": "conclu conclut concluent concluait concluant",
    "poursuivre": "poursuivi poursuit poursuivent poursuivait poursuivant poursuivit",
    "avertir": "averti avertit avertissent avertissait avertissant",
    "réagir": "réagi réagit réagissent réagissait réagissant",
    "démentir": "démenti dément démentent démentait démentant",
    "renchérir": "renchéri renchérit renchérissent renchérissant",
    "garantir": "garanti garantit garantissent garantissant",
    "craindre": "craint craignent craignait craignant",
    "réjouir": "réjoui réjouie réjouit réjouissent réjouissait réjouissant",
    "soutenir": "soutenu soutient soutiennent soutenait soutenant",
    "maintenir": "maintenu maintient maintiennent maintenait maintenant",
    "souvenir": "souvient souviennent souvenait souvenu souvenue",
    "appeler": "appelle appellent appellera",
    "rappeler": "rappelle rappellent rappellera",
    "répéter": "répète répètent",
    "inquiéter": "inquiète inquiètent",
    "marteler": "martèle martèlent",
    "asséner": "assène assènent",
    "assener": "assène assènent",
    "interpeller": "interpelle",
    "justifier": "justifie justifient justifiant",
}

# Pronouns of an inverted incise, as spaCy tokenises them ("a-t-il" → a, -t, -il) or as written.
INCISE_PRONOUNS: dict[str, str] = {
    "-il": "il",
    "-elle": "elle",
    "-on": "on",
    "-ils": "ils",
    "-elles": "elles",
    "t-il": "il",
    "t-elle": "elle",
    "t-on": "on",
    "-t-il": "il",
    "-t-elle": "elle",
    "-t-on": "on",
}
EUPHONIC_T = frozenset({"-t", "t", "-t-"})

# "selon X, …", "d'après X, …", "pour X, …", "aux yeux de X, …": the source comes after the word.
CUE_PREPOSITIONS: tuple[tuple[str, ...], ...] = (
    ("selon",),
    ("d'", "après"),
    ("d’", "après"),
    ("d'après",),
    ("pour",),
    ("aux", "yeux", "de"),
    ("aux", "yeux", "du"),
    ("aux", "yeux", "des"),
)

# Unnamed sources: an indefinite "un responsable", "une source", or any of these words.
ANONYMOUS_WORDS: frozenset[str] = frozenset(
    {"source", "sources", "entourage", "proche", "proches", "on", "anonymat", "anonyme"}
)
# Nouns that stand for an organisation when they are the speaker ("le gouvernement a déclaré").
ORGANISATION_NOUNS: frozenset[str] = table(
    """
    gouvernement ministère parti syndicat entreprise groupe société association police armée
    préfecture mairie commission justice parquet tribunal conseil agence organisation institut
    état élysée kremlin maison-blanche matignon direction collectif fédération ong opposition
    coalition exécutif cabinet service département gendarmerie académie observatoire autorité
    ordre cour sénat assemblée inserm mouvement club équipe fondation banque compagnie laboratoire
    université hôpital ville région
    """
)
# Nouns for what a document or a medium says ("selon les informations du Parisien", "l'étude
# souligne"): the source is the organisation named inside, else the document itself.
DOCUMENT_NOUNS: frozenset[str] = table(
    """
    information informations précisions révélations chiffres données étude rapport sondage document
    communiqué texte pétition enquête article site journal quotidien hebdomadaire magazine chaîne radio
    presse lettre tribune courrier déclaration note conclusions propos réaction réponse message
    commentaire explication avertissement baromètre fiche
    """
)
# Nouns for a person known by a role ("le ministre", "l'immunologue"): resolved to a named person.
ROLE_NOUNS: frozenset[str] = table(
    """
    ministre président présidente chef cheffe directeur directrice secrétaire porte-parole maire
    député députée sénateur sénatrice élu élue candidat candidate premier première chancelière
    chancelier procureur procureure avocat avocate juge patron patronne dirigeant dirigeante
    responsable leader fondateur fondatrice pdg entraîneur sélectionneur joueur joueuse acteur actrice
    chanteur chanteuse star présentateur présentatrice journaliste immunologue épidémiologiste médecin
    professeur professeure spécialiste expert experte chercheur chercheuse scientifique biologiste
    infectiologue ambassadeur ambassadrice commissaire général colonel préfet préfète roi reine
    prince princesse pape souverain monarque gouverneur ancien ancienne homme femme jeune adolescent
    adolescente mère père fils fille frère sœur épouse mari veuve victime militant militante
    syndicaliste auteur autrice écrivain écrivaine réalisateur réalisatrice artiste élève étudiant
    étudiante policier policière gendarme pilote capitaine coach manager économiste analyste
    sociologue historien historienne politologue philosophe psychologue psychiatre vétérinaire
    pompier habitant habitante témoin commandant vice-président vice-présidente eurodéputé
    eurodéputée conseiller conseillère diplomate garçon enfant chef d'état opposant opposante
    ex-président ex-ministre sportif sportive champion championne numéro patriarche
    """
)
# Words between a cue verb and an inverted subject that are not part of the subject.
TIME_WORDS: frozenset[str] = table(
    """
    lundi mardi mercredi jeudi vendredi samedi dimanche hier aujourd'hui matin soir midi après-midi
    encore aussi également alors ensuite enfin pourtant toutefois cependant néanmoins donc déjà
    récemment plus tard tôt dernier dernière prochain soir-là janvier février mars avril mai juin
    juillet août septembre octobre novembre décembre
    """
)
# Prepositions that end an inverted subject ("a dit Carter devant la presse").
SUBJECT_STOPS: frozenset[str] = frozenset(
    {"dans", "devant", "sur", "lors", "pendant", "après", "avant", "depuis", "selon", "auprès", "en", "via"}
)
FIRST_SECOND_PERSON: frozenset[str] = table(
    """
    je j' j’ me m' m’ moi nous vous tu te t' t’ toi mon ma mes notre nos votre vos ton ta tes
    """
)


def _regular_forms(lemma: str) -> list[str]:
    if not lemma.endswith("er"):
        return [lemma]
    stem = lemma[:-2]
    endings = sorted(table("er e es ent é ée és ées ait aient ant a èrent era erait eront ons ez"))
    forms = [stem + ending for ending in endings]
    if stem.endswith("c"):  # lancer → lança, lançant
        forms += [stem[:-1] + "ç" + e for e in ("a", "ait", "aient", "ant")]
    if stem.endswith("g"):  # juger → jugea, jugeant
        forms += [stem + "e" + e for e in ("a", "ait", "aient", "ant")]
    return forms


@lru_cache(maxsize=1)
def form_table() -> dict[str, str]:
    """Written form → lemma for every speech verb."""
    forms: dict[str, str] = {}
    for lemma in sorted(SPEECH_VERBS):
        for form in _regular_forms(lemma) + _IRREGULAR.get(lemma, "").split():
            forms.setdefault(form, lemma)
    return forms


def speech_lemma(word: str, lemma: str = "") -> str | None:
    """The speech verb `word` is a form of (by its spaCy lemma or its written form), else None."""
    lemma = lemma.lower()
    if lemma in SPEECH_VERBS:
        return lemma
    return form_table().get(word.lower().replace("’", "'"))


def is_speech_token(token: Any) -> bool:
    """A verb that is a form of a speech verb, or a participle the tagger took for an adjective."""
    if token.text.lower() in {"valoir", "savoir"} and token.i > 0:
        # "a fait valoir", "a fait savoir": the pair is the cue.
        return token.doc[token.i - 1].text.lower() in {"fait", "faisait", "font", "fera", "faire"}
    if token.pos_ in {"VERB", "AUX"}:
        return speech_lemma(token.text, token.lemma_) is not None
    if token.pos_ in {"ADJ", "NOUN"} and token.text.islower():
        # "a plaidé" is sometimes tagged ADJ; nouns like "appel" or "demande" never match because
        # only participles ending in é/ée/és/ées are taken from the form table here.
        word = token.text.lower()
        return word in form_table() and word.endswith(("é", "ée", "és", "ées"))
    return False


# "selon lui", "d'après elle": the stressed pronoun after a cue preposition, as a subject pronoun.
STRESSED_PRONOUNS: dict[str, str] = {"lui": "il", "elle": "elle", "eux": "ils", "elles": "elles"}


def incise_pronoun(text: str) -> str | None:
    """ "il", "elle", "on", "ils", "elles" for the pronoun of an inverted incise, else None."""
    return INCISE_PRONOUNS.get(text.lower())


def cue_preposition_at(words: list[str], i: int) -> int:
    """How many words of a cue preposition start at `words[i]` (0 when none does)."""
    for pattern in CUE_PREPOSITIONS:
        if [w.lower() for w in words[i : i + len(pattern)]] == list(pattern):
            return len(pattern)
    return 0
