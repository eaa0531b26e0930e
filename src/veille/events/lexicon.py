"""The French event lexicon, kept as data: trigger verbs and nouns per type, CAMEO roots, cue words.

Verbs are matched by their spaCy lemma and by a table of written forms generated here, because
fr_core_news_md misses or mistags many verb forms in news text ("visitera" comes out as `X`,
"bombardés" as an adjective). Nouns are matched by lemma and by their written singular/plural.
docs/events.md explains each CAMEO choice.
"""

from __future__ import annotations

from functools import cache

from veille.quotes.cues import table

EVENT_TYPES: tuple[str, ...] = (
    "meeting", "statement", "accusation", "appeal", "visit", "attack", "agreement", "vote",
    "arrest", "protest", "death",
)  # fmt: skip

# Nearest CAMEO root per type ("" when no root fits: an election is not an interaction between
# actors). Attacks by a terror group ("attentat") use 18 ASSAULT instead, see ASSAULT_NOUNS.
CAMEO: dict[str, str] = {
    "statement": "01",
    "appeal": "02",
    "meeting": "04",
    "visit": "04",
    "agreement": "05",
    "accusation": "11",
    "protest": "14",
    "arrest": "17",
    "attack": "19",
    "death": "",
    "vote": "",
}
ASSAULT_NOUNS = table("attentat attentats")

# Verb lemmas per type. Reflexive verbs are listed bare ("se réunir" → réunir).
VERBS: dict[str, frozenset[str]] = {
    "meeting": table("réunir rencontrer rassembler"),
    # Reporting verbs (the quotes package's indirect-speech verbs and a few of its cue verbs):
    # a statement is kept only with its agent, which keeps this long list precise.
    "statement": table(
        """
        déclarer annoncer affirmer invoquer proclamer dire ajouter estimer expliquer indiquer
        souligner assurer confier marteler rappeler répondre reconnaître admettre regretter déplorer
        préciser avertir promettre écrire raconter confirmer démentir nier répliquer rétorquer
        témoigner signaler avouer garantir répéter révéler justifier réaffirmer tweeter réagir
        saluer évoquer qualifier exprimer rapporter commenter revendiquer
        """
    ),
    "accusation": table("accuser dénoncer reprocher fustiger incriminer critiquer"),
    "appeal": table("exhorter demander réclamer implorer enjoindre exiger"),
    "visit": table("visiter"),
    "attack": table("bombarder frapper attaquer pilonner mitrailler agresser poignarder défenestrer tuer"),
    "agreement": table("signer ratifier"),
    "vote": table("voter élire réélire"),
    "arrest": table("arrêter interpeller condamner inculper écrouer relaxer acquitter"),
    "protest": table("manifester protester défiler"),
    "death": table("mourir décéder périr succomber"),
}
# Verbs that only trigger with a preposition after them, some only when reflexive: "appeler X à",
# "se rendre à/en" (not "rendre hommage"), "s'entretenir avec" (not "entretenir des liens").
VERBS_WITH_PREPOSITION: dict[str, tuple[str, frozenset[str], bool]] = {
    "appeler": ("appeal", table("à au aux"), False),
    "rendre": ("visit", table("à au aux en chez"), True),
    "entretenir": ("meeting", table("avec"), True),
}
# "signer" is an agreement only when what is signed is one: "un morceau signé Renaud" and "a
# signé un décret" are not.
SIGNED_THINGS = table(
    "accord accords traité traités pacte convention contrat protocole charte armistice cessez-le-feu "
    "déclaration compromis"
)
REFLEXIVES = table("se s' s’ me m' m’ nous vous te t' t’")

NOUNS: dict[str, frozenset[str]] = {
    "meeting": table("réunion rencontre sommet entretien conférence conseil négociations pourparlers"),
    "statement": table("déclaration annonce communiqué réaction révélation discours interview"),
    "accusation": table("accusation dénonciation plainte critiques"),
    "appeal": table("appel exhortation revendication pétition"),
    "visit": table("visite déplacement"),
    "attack": table("frappe bombardement attaque attentat raid offensive assaut agression"),
    "agreement": table("accord traité compromis pacte cessez-le-feu"),
    "vote": table("élection scrutin vote référendum présidentielle législatives municipales primaire"),
    "arrest": table("arrestation interpellation procès condamnation inculpation"),
    "protest": table("manifestation grève rassemblement mobilisation émeutes"),
    "death": table("décès mort"),
}
# Nouns that are events only with a qualifier: "conseil de guerre/des ministres", "sommet".
QUALIFIED_NOUNS: dict[str, frozenset[str]] = {
    "conseil": table("guerre ministres défense sécurité européen"),
    "conférence": table("paix internationale"),
}
# Fixed expressions, matched on the written words before anything else.
MULTIWORD: dict[tuple[str, ...], str] = {
    ("garde", "à", "vue"): "arrest",
    ("mis", "en", "examen"): "arrest",
    ("mise", "en", "examen"): "arrest",
    ("conférence", "de", "presse"): "statement",
    ("trouvé", "la", "mort"): "death",
    ("perdu", "la", "vie"): "death",
}
# Nouns for a gathering ("les ministres de X", "ses homologues russes"): a country adjective on
# one of these names a participant, unlike "les forces irakiennes".
PARTICIPANT_NOUNS = table(
    """
    ministre ministres homologue homologues dirigeant dirigeants chef chefs président présidents
    secrétaire délégation délégations représentant représentants diplomate diplomates responsable
    responsables dirigeante gouvernement gouvernements pays émissaire émissaires envoyé envoyés
    """
)

# Prepositions introducing a place ("à Paris", "en Syrie", "dans la capitale", "au Mali").
PLACE_PREPOSITIONS = table("à au aux en dans")
# Prepositions after which a mention is not an actor of the clause (places, topics, causes).
NON_ACTOR_PREPOSITIONS = table("à au aux en dans contre sur vers depuis chez par sous selon d'après")
TARGET_PREPOSITIONS = table("contre")
ATTENDEE_PREPOSITIONS = table("avec entre")
DETERMINERS = table("le la les l' l’ un une des du de d' d’ ce cet cette ces son sa ses leur leurs")
POSSESSIVE_PLURAL = table("leur leurs")

# Absence: "en l'absence de X", "sans X", "X, absente", "X n'a pas été invitée / conviée".
ABSENT_WORDS = table("absent absente absents absentes absence")
ABSENT_PREPOSITIONS = table("sans")
UNINVITED_PARTICIPLES = table("invité invitée invités invitées convié conviée conviés conviées")

# Modality cues.
PLANNED_WORDS = table(
    "prévu prévue prévus prévues doit doivent devrait devraient attendu attendue attendus attendues "
    "prochain prochaine prochains prochaines programmé programmée envisagé envisagée"
)
PLANNED_AUXILIARIES = table("va vont allait allaient doit doivent devait devaient devrait devraient")
NEGATIONS = table("ne n' n’ pas jamais aucun aucune")
REPORTED_PREPOSITIONS: tuple[tuple[str, ...], ...] = (
    ("selon",),
    ("d'après",),
    ("d'", "après"),
    ("d’", "après"),
)


def _regular_er_forms(lemma: str) -> list[str]:
    stem = lemma[:-2]
    endings = "e es ent é ée és ées ait aient ant a èrent era eront erait eraient ons ez"
    forms = [stem + ending for ending in endings.split()]
    if stem.endswith("g"):
        forms += [stem + "e" + e for e in ("a", "ait", "aient", "ant")]
    return forms


_IRREGULAR: dict[str, str] = {
    "réunir": "réuni réunie réunis réunies réunit réunissent réunissait réunissaient réunissant "
    "réunira réuniront réunirait",
    "mourir": "mort morte morts mortes meurt meurent mourait mourra mourront mourant",
    "élire": "élu élue élus élues élit élisent élira éliront",
    "réélire": "réélu réélue réélus réélues réélit",
    "périr": "péri périt périssent",
    "succomber": "succombé",
    "rendre": "rendu rendue rendus rendues rend rendent rendait rendra rendront rendrait rendant",
    "appeler": "appelle appellent appellera appelleront appellerait",
    "entretenir": "entretenu entretenus entretient entretiennent entretiendra",
    "dire": "dit dite dits dites disent disait disaient dira dirait disant",
    "écrire": "écrit écrite écrits écrivent écrivait écrira",
    "reconnaître": "reconnu reconnue reconnaît reconnait reconnaissent reconnaissait",
    "admettre": "admis admise admet admettent admettait",
    "promettre": "promis promise promet promettent promettait",
    "répondre": "répondu répond répondent répondait",
    "démentir": "démenti dément démentent démentait",
    "réagir": "réagi réagit réagissent réagissait",
    "avertir": "averti avertit avertissent",
    "garantir": "garanti garantit garantissent",
    "revendiquer": "revendiqué revendiquée",
    "relaxer": "relaxé relaxée relaxés",
    "acquitter": "acquitté acquittée acquittés",
    "exiger": "exigea exigeant",
    "interpeller": "interpelle interpellent",
}


@cache
def verb_forms() -> dict[str, str]:
    """Written form → lemma for every trigger verb."""
    forms: dict[str, str] = {}
    lemmas = {lemma for verbs in VERBS.values() for lemma in verbs} | set(VERBS_WITH_PREPOSITION)
    for lemma in sorted(lemmas):
        generated = _regular_er_forms(lemma) if lemma.endswith("er") else [lemma]
        for form in [lemma, *generated, *_IRREGULAR.get(lemma, "").split()]:
            forms.setdefault(form, lemma)
    return forms


@cache
def verb_types() -> dict[str, str]:
    """Lemma → type; a verb of a specific type ("dénoncer": accusation) is no mere statement."""
    found = dict.fromkeys(VERBS["statement"], "statement")
    found.update({lemma: kind for kind, verbs in VERBS.items() if kind != "statement" for lemma in verbs})
    return found


@cache
def noun_types() -> dict[str, str]:
    """Noun (singular and plural as written) → event type."""
    found: dict[str, str] = {}
    for kind, nouns in NOUNS.items():
        for noun in nouns:
            found.setdefault(noun, kind)
            found.setdefault(noun if noun.endswith(("s", "x")) else noun + "s", kind)
    return found


def cameo_for(kind: str, trigger: str) -> str:
    """The CAMEO root of an event of `kind` told by `trigger` ("attentat" → 18 ASSAULT)."""
    if kind == "attack" and trigger.lower() in ASSAULT_NOUNS:
        return "18"
    return CAMEO[kind]
