"""The fixed set of rubriques: French names over IPTC Media Topics, with what the classifier reads.

Each rubrique names the IPTC Media Topic top-level code(s) it covers (https://cv.iptc.org/newscodes/
mediatopic/), a French description written from the IPTC definition, prototype phrases (what a
typical headline or lead of the rubrique says: the embedding side compares an article with them)
and keywords (the rule side: words whose presence is strong evidence on its own).

The phrases and keywords were written from the IPTC definitions and general newsroom usage, not
from any evaluation set. Keywords are accent-folded and lower-case; a trailing `*` matches any
ending ("ministr*" matches ministre, ministère, ministres), anything else is a whole word or phrase.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rubrique:
    name: str
    iptc: tuple[str, ...]  # medtop codes (top level), the first is the main one
    description: str
    prototypes: tuple[str, ...]
    keywords: tuple[str, ...] = ()


# Kept compact by hand (one keyword per line would double the module).
# fmt: off
RUBRIQUES: tuple[Rubrique, ...] = (
    Rubrique(
        "politique",
        ("11000000",),
        "Politique : gouvernement, élections, partis, parlement, chefs d'État, lois et vie politique.",
        (
            "Le président a nommé un nouveau Premier ministre et formé son gouvernement.",
            "Les électeurs sont appelés aux urnes pour l'élection présidentielle.",
            "Le parti d'opposition dénonce des fraudes lors du scrutin législatif.",
            "Le parlement a adopté la réforme constitutionnelle après un long débat.",
            "Le chef de l'État a limogé plusieurs ministres lors d'un remaniement.",
            "La campagne électorale oppose le candidat du parti au pouvoir à l'opposition.",
            "Les députés ont voté une motion de censure contre le gouvernement.",
            "Le gouvernement a annoncé une nouvelle politique publique après le conseil des ministres.",
            "Des manifestants réclament la démission du président et des réformes politiques.",
            "La Première ministre défend le bilan de son gouvernement devant les élus.",
        ),
        (
            "election*", "electoral*", "electeur*", "scrutin*", "parti politique", "partis politiques",
            "opposition", "gouvernement", "premier ministre", "president de la republique", "parlement*",
            "depute*", "senat", "senateur*", "referendum", "campagne electorale", "candidat*",
            "constitution*", "chef de l'etat", "remaniement", "coalition", "assemblee nationale",
            "investiture", "mandat presidentiel", "coup d'etat", "junte", "ministre", "ministres",
            "limoge*", "opposant*", "president", "presidente",
        ),
    ),
    Rubrique(
        "international",
        ("11000000",),  # IPTC files international relations and diplomacy under politics
        "International : relations entre États, diplomatie, organisations internationales, sommets.",
        (
            "Les deux pays ont signé un accord de coopération lors de la visite du ministre des "
            "Affaires étrangères.",
            "Le sommet de l'Union africaine réunit les chefs d'État du continent.",
            "Le Conseil de sécurité de l'ONU a adopté une résolution.",
            "L'ambassadeur a été convoqué après la crise diplomatique entre les deux capitales.",
            "Les sanctions internationales contre le régime ont été renforcées.",
            "Le secrétaire général de l'ONU appelle les deux pays au dialogue.",
            "Le président est en visite officielle chez son homologue pour renforcer les relations "
            "bilatérales.",
        ),
        (
            "diplomat*", "ambassad*", "affaires etrangeres", "onu", "nations unies", "union africaine",
            "union europeenne", "conseil de securite", "sommet", "bilateral*", "sanctions",
            "relations diplomatiques", "cedeao",
        ),
    ),
    Rubrique(
        "défense et conflits",
        ("16000000",),
        "Défense et conflits : guerres, armées, attentats, terrorisme, groupes armés, paix et cessez-"
        "le-feu.",
        (
            "L'armée a lancé une offensive contre les groupes jihadistes dans le nord du pays.",
            "Un attentat-suicide a fait plusieurs morts parmi les soldats.",
            "Les rebelles ont pris le contrôle de la ville après de violents combats.",
            "Un accord de cessez-le-feu a été signé entre les belligérants.",
            "Les forces de sécurité ont été attaquées par des hommes armés.",
            "Le ministère de la Défense annonce l'achat de nouveaux avions de combat.",
            "Des militaires ont pris le pouvoir lors d'un coup d'État et suspendu la constitution.",
            "Les manifestations ont été violemment réprimées par les forces de l'ordre.",
            "Des civils ont fui les combats et les massacres dans la région.",
        ),
        (
            "armee", "militaire*", "soldat*", "combats", "combattant*", "jihadist*", "djihadist*",
            "terroris*", "attentat*", "rebelle*", "insurge*", "guerre", "cessez-le-feu", "groupe arme",
            "groupes armes", "ministere de la defense", "frappe* aerienne*", "bombardement*", "tirs",
            "roquette*", "missile*", "obus", "milice*", "otan",
        ),
    ),
    Rubrique(
        "justice",
        ("02000000",),
        "Justice : crimes et délits, police, enquêtes, procès, tribunaux, condamnations et prisons.",
        (
            "Le tribunal a condamné l'accusé à dix ans de prison.",
            "La police a arrêté les suspects après une enquête de plusieurs mois.",
            "Le procès de l'ancien ministre pour corruption s'est ouvert devant la cour.",
            "L'avocat de la défense a fait appel du jugement.",
            "Les enquêteurs soupçonnent un réseau de trafiquants.",
            "Un réseau de trafic de drogue a été démantelé par la gendarmerie.",
            "Les victimes de l'escroquerie ont porté plainte contre les fraudeurs.",
        ),
        (
            "tribunal", "tribunaux", "proces", "le juge", "un juge", "juge d'instruction", "les juges",
            "des juges", "condamne* a", "peine de prison", "peine de mort", "prison*", "detenu*", "avocat*",
            "enquete judiciaire", "enqueteur*", "inculpe*", "cour supreme", "cour d'appel", "police",
            "policier*", "arrestation*", "interpelle*", "garde a vue", "plainte", "verdict", "meurtre*",
            "homicide*", "corruption",
        ),
    ),
    Rubrique(
        "économie",
        ("04000000", "09000000"),
        "Économie : entreprises, finance, marchés, commerce, emploi, budget, prix, industrie, énergie"
        " et agriculture.",
        (
            "La croissance économique du pays a ralenti en raison de l'inflation.",
            "La banque centrale a relevé ses taux d'intérêt pour freiner la hausse des prix.",
            "L'entreprise a annoncé des bénéfices record et de nouveaux investissements.",
            "Le prix du pétrole et du carburant a fortement augmenté sur les marchés.",
            "Le gouvernement présente son budget et la dette publique s'alourdit.",
            "Les exportations agricoles de cacao et de café ont progressé.",
            "Les travailleurs en grève réclament une hausse des salaires.",
            "Le Fonds monétaire international accorde un prêt au pays.",
            "Comment épargner, gérer son argent et rembourser ses dettes.",
            "Une jeune entrepreneuse a créé sa société et emploie dix personnes.",
            "La production d'or des mines et les revenus du gaz soutiennent l'économie.",
            "Les compagnies aériennes et le tourisme retrouvent des clients.",
            "Le chômage des jeunes et la précarité de l'emploi inquiètent les syndicats.",
            "Les agriculteurs se plaignent de la baisse des prix des matières premières.",
            "La monnaie nationale s'est dépréciée face au dollar et la dette extérieure augmente.",
            "Le secteur du transport maritime et le commerce mondial sont perturbés.",
        ),
        (
            "economi*", "entreprise*", "inflation", "croissance economique", "banque*", "bancaire*",
            "marche", "marches", "marchandise*", "investiss*", "investisseur*", "exportation*",
            "importation*", "commerce*", "dollar*", "euro*", "franc cfa", "monnaie*", "pib", "budget*",
            "dette*", "fiscal*", "impot*", "taxe*", "salaire*", "emploi*", "chomage", "petrole",
            "petrolier*", "carburant*", "prix du", "prix des", "fmi", "banque mondiale", "milliard*",
            "million de dollars", "millions de dollars", "chiffre d'affaires", "benefice*", "bourse",
            "startup*", "start-up", "entrepreneur*", "argent", "epargne", "finance*", "financier*",
            "travail", "travailleur*", "employe*", "greve*", "energie*", "energetique*", "gaz", "mine",
            "mines", "minier*", "miniere*", "agricult*", "agricole*", "exploitation* agricole*",
            "agriculteur*", "industri*", "usine*", "tourisme", "touristique*", "compagnie* aerienne*",
            "consommat*", "client*", "vente*", "societe* privee*", "multinationale*", "cacao", "cafe",
            "coton",
        ),
    ),
    Rubrique(
        "société",
        ("14000000", "05000000", "12000000", "08000000"),
        "Société : vie sociale, éducation, religion, famille, migrations, droits, femmes et jeunesse,"
        " faits de société.",
        (
            "Les élèves et les enseignants font leur rentrée dans des écoles surpeuplées.",
            "Des milliers de migrants tentent de traverser la Méditerranée.",
            "Les associations dénoncent les violences faites aux femmes.",
            "Les fidèles se sont rassemblés à la mosquée pour la prière.",
            "Le mariage des enfants reste répandu dans les zones rurales.",
            "La pauvreté et le chômage poussent les familles à quitter les campagnes pour les villes.",
            "Les militantes se mobilisent pour l'égalité entre les femmes et les hommes.",
        ),
        (
            "ecole*", "eleve*", "etudiant*", "universite*", "enseignant*", "education", "migrant*",
            "refugie*", "religi*", "eglise*", "mosquee*", "mariage*", "droits humains", "droits de l'homme",
            "pauvrete",
        ),
    ),
    Rubrique(
        "santé",
        ("07000000",),
        "Santé : maladies, épidémies, médecine, hôpitaux, médicaments, vaccins et santé publique.",
        (
            "Une épidémie de choléra a fait des dizaines de morts dans la région.",
            "Les médecins recommandent la vaccination des enfants contre la rougeole.",
            "Les hôpitaux manquent de médicaments et de personnel soignant.",
            "Une nouvelle étude montre les effets du tabac sur le cancer du poumon.",
            "L'Organisation mondiale de la santé lance une campagne contre le paludisme.",
            "Les patients atteints de diabète doivent surveiller leur alimentation.",
            "Des chercheurs testent un nouveau traitement contre le VIH.",
            "Les troubles de santé mentale comme la dépression touchent de plus en plus de jeunes.",
            "Une alimentation équilibrée et l'activité physique réduisent les risques de maladies "
            "cardiaques.",
            "Des scientifiques ont mis au point un test pour détecter la maladie plus tôt.",
        ),
        (
            "sante", "maladie*", "epidemi*", "pandemi*", "virus", "vaccin*", "medecin*", "medical*",
            "medicament*", "hopital", "hopitaux", "patient", "patients", "patiente", "patientes", "cancer*",
            "paludisme", "diabete", "cholera", "ebola", "covid*", "coronavirus", "vih", "sida", "oms",
            "symptome*", "infection*", "traitement medical", "soins", "sanitaire*", "chirurg*", "obesite",
            "nutrition*", "tuberculose", "mortalite", "grossesse", "cerveau", "sommeil",
        ),
    ),
    Rubrique(
        "sport",
        ("15000000",),
        "Sport : compétitions, matchs, clubs, athlètes, football, athlétisme, basket, résultats et "
        "transferts.",
        (
            "L'équipe nationale de football s'est qualifiée pour la Coupe d'Afrique des nations.",
            "L'attaquant a marqué deux buts lors de la victoire de son club en championnat.",
            "L'athlète a remporté la médaille d'or aux Jeux olympiques.",
            "Le sélectionneur a dévoilé la liste des joueurs pour le match amical.",
            "Le club a recruté un nouveau milieu de terrain lors du mercato.",
            "La finale de la Ligue des champions se jouera samedi au stade.",
            "Le champion de boxe défendra son titre mondial lors d'un combat très attendu.",
            "Le coureur a battu le record du monde du marathon.",
        ),
        (
            "football*", "footballeur*", "match", "matchs", "marque un but", "inscrit un but", "un but de",
            "buts", "equipe nationale", "selectionneur", "entraineur*", "joueur*", "championnat*",
            "coupe du monde", "coupe d'afrique", "can 20*", "ligue des champions", "premier league",
            "ligue 1", "fifa", "caf", "jeux olympiques", "olympique*", "medaille*", "athlet*", "tennis",
            "rugby", "golf", "boxe", "boxeur*", "natation", "handball", "volley*", "ski", "surf",
            "surfeur*", "formule 1", "judo", "lutte senegalaise", "basket*", "cyclis*", "marathon",
            "stade de football", "attaquant*", "gardien de but", "milieu de terrain", "penalty", "buteur",
            "mercato", "transfert d'un joueur", "finale", "tournoi", "sport*", "sportif*",
        ),
    ),
    Rubrique(
        "culture",
        ("01000000", "10000000"),
        "Culture : arts, musique, cinéma, littérature, médias, patrimoine, mode, loisirs et célébrités.",
        (
            "Le festival de musique a attiré des milliers de spectateurs.",
            "Le réalisateur présente son nouveau film au festival de cinéma.",
            "L'écrivain a reçu un prix littéraire pour son dernier roman.",
            "L'exposition retrace l'histoire de l'art africain.",
            "La chanteuse a sorti un nouvel album salué par la critique.",
            "La star de la musique afro a rempli le stade lors de son concert.",
            "La série diffusée à la télévision connaît un succès auprès du public.",
        ),
        (
            "musique*", "musicien*", "chanteu*", "album*", "concert*", "festival*", "cinema", "film",
            "films", "realisateur*", "acteur*", "actrice*", "roman", "romans", "romancier*", "ecrivain*",
            "litterai*", "artiste*", "exposition*", "musee*", "patrimoine", "haute couture", "theatre",
            "danse", "serie televisee",
        ),
    ),
    Rubrique(
        "sciences et technologies",
        ("13000000",),
        "Sciences et technologies : recherche scientifique, numérique, internet, téléphonie, "
        "intelligence artificielle, espace, innovations.",
        (
            "Le géant de la technologie lance un nouveau smartphone doté d'intelligence artificielle.",
            "Les réseaux sociaux comme Facebook et Twitter sont accusés de propager de fausses "
            "informations.",
            "Des chercheurs ont découvert une nouvelle espèce grâce à une étude scientifique.",
            "La fusée a placé un satellite en orbite autour de la Terre.",
            "Les cyberattaques contre les banques se multiplient, selon des experts en sécurité "
            "informatique.",
            "Une start-up africaine développe une application mobile de paiement.",
            "L'accès à internet haut débit progresse grâce à la fibre optique.",
            "Les escrocs utilisent les messageries en ligne pour voler les données des utilisateurs.",
            "Les astronomes ont observé une planète lointaine grâce au télescope spatial.",
            "Les entreprises technologiques investissent dans les centres de données et les puces "
            "électroniques.",
        ),
        (
            "technolog*", "numerique*", "internet", "en ligne", "application mobile",
            "applications mobiles", "smartphone*", "telephone*", "telephonie", "ordinateur*", "logiciel*",
            "informatique*", "intelligence artificielle", "robot*", "algorithme*", "donnees personnelles",
            "cyber*", "pirat*", "facebook", "google", "twitter", "whatsapp", "tiktok", "instagram",
            "youtube", "apple", "microsoft", "amazon", "reseaux sociaux", "reseau social", "satellite*",
            "fusee*", "spatial*", "nasa", "scientifique*", "chercheur*", "innovation*", "electronique*",
            "5g", "bitcoin", "crypto*", "blockchain",
        ),
    ),
    Rubrique(
        "environnement",
        ("06000000", "17000000"),
        "Environnement : climat, pollution, biodiversité, forêts, eau, énergies renouvelables et météo.",
        (
            "Le réchauffement climatique menace les récoltes et les côtes du continent.",
            "La déforestation progresse dans le bassin du Congo.",
            "La pollution plastique étouffe les océans et la faune marine.",
            "Les espèces menacées d'extinction sont protégées dans les parcs nationaux.",
            "La sécheresse et les pluies diluviennes se multiplient avec le changement climatique.",
            "Les énergies renouvelables, solaire et éolienne, remplacent peu à peu le charbon.",
            "Les glaciers fondent et le niveau de la mer monte, selon les climatologues.",
        ),
        (
            "climat*", "rechauffement", "environnement*", "pollution", "biodiversite", "deforestation",
            "foret*", "espece* menacee*", "faune", "flore", "secheresse", "inondation*", "emissions",
            "carbone", "cop2*", "energie* renouvelable*", "solaire", "eolien*", "ecologi*", "meteo*",
        ),
    ),
    Rubrique(
        "catastrophes et accidents",
        ("03000000",),
        "Catastrophes et accidents : séismes, inondations, incendies, naufrages, accidents de la "
        "route ou d'avion, secours.",
        (
            "Un séisme de magnitude 6 a fait des centaines de victimes.",
            "Le naufrage d'une embarcation a fait plusieurs disparus.",
            "Un incendie a ravagé le marché central de la ville.",
            "L'accident de bus a fait vingt morts sur la route nationale.",
            "Les secours recherchent des survivants sous les décombres.",
            "Les inondations ont détruit des milliers d'habitations et fait des sinistrés.",
        ),
        (
            "seisme*", "tremblement de terre", "naufrage*", "incendie*", "accident*", "crash",
            "glissement de terrain", "eboulement*", "ouragan*", "cyclone*", "secouriste*", "rescape*",
            "decombres", "catastrophe*", "explosion*",
        ),
    ),
)
# fmt: on

# The sections news sites file articles under, as they appear in URLs (a path segment, a slug's
# leading word as in "/afrique/sports-60123456", or a host's first label as in sport.example.fr),
# folded: the publisher's own rubrique. Only unambiguous names: "monde", "world", "actualite",
# "region" or "media(s)" hold stories of any topic (BBC's "media" is its video pages) and say
# nothing here.
# fmt: off
SECTIONS: dict[str, str] = {
    **dict.fromkeys(("politique", "politics", "elections"), "politique"),
    **dict.fromkeys(("international", "diplomatie"), "international"),
    **dict.fromkeys(("defense",), "défense et conflits"),
    **dict.fromkeys(("justice", "faits-divers", "police-justice"), "justice"),
    **dict.fromkeys(("economie", "eco", "business", "finance", "finances", "entreprises", "emploi",
                     "argent", "bourse", "economy"), "économie"),
    **dict.fromkeys(("societe", "education", "religion", "society"), "société"),
    **dict.fromkeys(("sante", "health"), "santé"),
    **dict.fromkeys(("sport", "sports", "football", "rugby", "tennis", "cyclisme"), "sport"),
    **dict.fromkeys(("culture", "cinema", "musique", "livres", "arts", "entertainment"), "culture"),
    **dict.fromkeys(("sciences", "science", "technologie", "technologies", "tech", "high-tech",
                     "numerique", "technology"), "sciences et technologies"),
    **dict.fromkeys(("environnement", "planete", "climat", "environment"), "environnement"),
}
# fmt: on

BY_NAME: dict[str, Rubrique] = {r.name: r for r in RUBRIQUES}
NAMES: tuple[str, ...] = tuple(r.name for r in RUBRIQUES)


def check_names(names: list[str]) -> list[str]:
    """`names` if every one is a rubrique of the set, else a ValueError naming the unknown ones."""
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        raise ValueError(
            f"unknown rubrique(s) {', '.join(map(repr, unknown))}; choose among: {', '.join(NAMES)}"
        )
    return list(dict.fromkeys(names))
