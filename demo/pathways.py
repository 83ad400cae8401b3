"""Demo data of pathways and competencies (issue #6).

`seed_pathways` runs after `seed_events` (it links the demo events to their offers and completes
steps from the real demo attendance). It writes:

- the competency framework: 8 competencies in 3 domains, each with four levels in plain words;
- the catalogue: 15 offers, regional (PromoSanté) and departmental (CRPV 93, CRPV 95, ARS DD 93,
  one co-built by the ARS DD 93 and the CRPV 93), and the demo events attached to them;
- a few resources of the library with their competencies (La boussole among them);
- three pathways: « Nouveaux coordinateurs » (ordered), « Promotion de la santé » and
  « Renouvellement de CLS »;
- enrolments of about half the coordinators in post, at different stages: steps completed from
  their real attendance and readings (`pathways.enrolment_sync`), activities declared with a
  reflection, prior learning validated by staff, one request still pending;
- self-assessments: at enrolment, and a second round six months later for those who joined long
  enough ago (showing progress), plus some coordinators who assessed themselves without a
  pathway, so that the aggregates of 93 and 95 have groups of at least five people.

The demo newcomer (Awa Diallo) is left out on purpose: no enrolment and no self-assessment, so the
newcomer journey starts from scratch (she joins « Nouveaux coordinateurs » and assesses herself).

Everything is looked up by name or title before it is created; people are only enrolled when no
demo pathway has an enrolment yet. Running it twice, even on a later day, changes nothing. The
plan is drawn from `random.Random(2026)` and the coordinators ordered by e-mail; rows are written
in bulk, directly (no e-mail is sent).
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from accounts.models import Organisation, User
from agenda.models import Event
from competencies.models import Competency, CompetencyDomain
from coordinators.models import CoordinatorProfile, Scheme, Tenure
from coordinators.selectors import NEWCOMER_DAYS, schemes_due_for_renewal
from learning.models import (
    Audience,
    Enrolment,
    Offer,
    OfferSession,
    Pathway,
    PathwayStep,
    PriorLearningRequest,
    SelfAssessment,
    SelfAssessmentRating,
    StepCompletion,
)
from learning.pathways import enrolment_sync
from learning.progress import NEWCOMERS_PATHWAY, RENEWAL_PATHWAY
from resources.models import Resource, ResourceRead
from territories.models import Department

from . import events as ev

SEED = 2026
PARIS = ZoneInfo("Europe/Paris")
HEALTH_PROMOTION_PATHWAY = "Promotion de la santé"

# --- The framework ------------------------------------------------------------------------------

PROMOTION = "Promotion de la santé et ses concepts"
PARTICIPATION = "Participation des habitant·es"
COORDINATION = "Coordination et démarche territoriale"
METHOD = "Méthodologie de projet"
FACILITATION = "Animation et facilitation"
ADVOCACY = "Plaidoyer"
ROLE = "Positionnement de son rôle"
ELECTED = "Travail avec les élu·es et la hiérarchie"

# (domain, [(competency, description, [level 1, level 2, level 3, level 4])])
FRAMEWORK = [
    (
        "Promotion de la santé",
        [
            (
                PROMOTION,
                "Agir sur ce qui fait la santé d'un territoire, au-delà du soin et de la "
                "prévention.",
                [
                    "Je découvre la promotion de la santé : je la distingue encore mal du soin et "
                    "de la prévention.",
                    "Je sais expliquer ce que sont les déterminants de la santé et je m'y réfère "
                    "pour choisir une action.",
                    "Je construis mes projets à partir des déterminants et des inégalités "
                    "sociales de santé, et je sais le justifier auprès des partenaires.",
                    "J'aide des collègues ou des partenaires à passer d'une vision médicale à une "
                    "approche de promotion de la santé.",
                ],
            ),
            (
                PARTICIPATION,
                "Associer les habitant·es des quartiers au diagnostic, aux actions et à leur "
                "bilan.",
                [
                    "J'informe les habitant·es des actions, sans les associer à leur préparation.",
                    "Je recueille l'avis des habitant·es (questionnaire, réunion publique) avant "
                    "de lancer une action.",
                    "Des habitant·es décident avec les partenaires de certaines actions et "
                    "participent à leur bilan.",
                    "J'accompagne d'autres coordinateur·rices ou des services pour associer "
                    "durablement les habitant·es.",
                ],
            ),
        ],
    ),
    (
        "Coordination et conduite de projet",
        [
            (
                COORDINATION,
                "Faire travailler ensemble des acteurs qui ne dépendent pas de vous, à "
                "l'échelle d'un territoire.",
                [
                    "Je connais les principaux acteurs de santé de mon territoire et leur rôle.",
                    "Je réunis régulièrement les partenaires et je tiens à jour la carte des "
                    "acteurs du territoire.",
                    "Les partenaires mènent ensemble des actions communes que je coordonne sans "
                    "les porter moi-même.",
                    "Je partage ma façon de coordonner avec des pairs (visite de site, tutorat) "
                    "et j'aide à l'articuler avec d'autres dispositifs.",
                ],
            ),
            (
                METHOD,
                "Du diagnostic local de santé au plan d'action et à son évaluation.",
                [
                    "Je connais les étapes d'un projet : diagnostic, objectifs, plan d'action, "
                    "évaluation.",
                    "Je rédige une fiche action avec un objectif, un public, des partenaires et "
                    "un calendrier.",
                    "Je conduis un diagnostic local de santé partagé et j'en tire un plan "
                    "d'action suivi avec quelques indicateurs.",
                    "J'aide d'autres coordinateur·rices à construire ou à évaluer leur plan "
                    "d'action.",
                ],
            ),
            (
                FACILITATION,
                "Animer des réunions et des groupes de travail qui avancent et qui décident.",
                [
                    "Je participe aux réunions des partenaires sans les animer.",
                    "J'anime une réunion avec un ordre du jour, et j'envoie un compte rendu après.",
                    "J'utilise des techniques d'animation participative pour faire décider un "
                    "groupe, même en désaccord.",
                    "Je forme ou j'accompagne d'autres personnes à l'animation de groupes de "
                    "travail.",
                ],
            ),
        ],
    ),
    (
        "Agir dans son environnement",
        [
            (
                ADVOCACY,
                "Convaincre de l'intérêt d'agir pour la santé et obtenir des moyens.",
                [
                    "J'ai du mal à expliquer en quelques phrases pourquoi la santé concerne ma "
                    "collectivité.",
                    "Je présente les chiffres clés du diagnostic pour défendre une action.",
                    "Je construis un argumentaire adapté à chaque interlocuteur et j'obtiens des "
                    "décisions ou des moyens.",
                    "J'aide le réseau à porter des messages communs auprès des décideurs (élu·es, "
                    "ARS, Préfecture).",
                ],
            ),
            (
                ROLE,
                "Clarifier ses missions et les faire reconnaître, seul·e sur son poste.",
                [
                    "Mes missions sont floues, pour moi comme pour mes interlocuteurs.",
                    "Je sais dire ce qui relève de ma mission et ce qui n'en relève pas.",
                    "Mon rôle de coordination est reconnu par les services et les partenaires, "
                    "qui me sollicitent à bon escient.",
                    "J'aide des collègues nouvellement arrivé·es à clarifier et à faire "
                    "reconnaître leur rôle.",
                ],
            ),
            (
                ELECTED,
                "Faire porter la démarche par les élu·es et la hiérarchie.",
                [
                    "Je rencontre rarement l'élu·e à la santé ou ma hiérarchie, et pas sur mes "
                    "projets.",
                    "Je fais un point régulier avec ma hiérarchie et j'informe l'élu·e des "
                    "actions en cours.",
                    "Je prépare les décisions avec l'élu·e et ma hiérarchie (notes, comités de "
                    "pilotage), qui portent la démarche.",
                    "J'aide d'autres coordinateur·rices à mobiliser leurs élu·es et leur "
                    "hiérarchie (témoignage, matinale des élu·es).",
                ],
            ),
        ],
    ),
]

# --- The catalogue ------------------------------------------------------------------------------

REGIONAL_DAY_OFFER = "Journée régionale des coordinateurs ASV, CLS et CLSM"
WELCOME_OFFER = "Journée d'accueil des nouveaux coordinateurs"
WEBINARS_HEALTH = "Webinaires « Promotion de la santé et santé publique »"
WEBINARS_COORDINATION = "Webinaires « Coordonner une démarche locale en santé »"
WEBINARS_ADVOCACY = "Webinaires « Plaidoyer et positionnement »"
APPROPRIATION = "Temps d'appropriation des concepts et des outils"
BOUSSOLE_GROUP = "Groupe de travail « La boussole de la démarche locale en santé »"
SITE_VISITS = "Visites de site entre pairs"
TUTORING = "Tutorat des nouveaux coordinateurs"
ONLINE = "Ressources en ligne du réseau"
MATINALES = "Matinales des élu·es de Seine-Saint-Denis"
WORKSHOPS_95 = "Ateliers du réseau des coordinateurs du Val-d'Oise"
RENEWAL_93 = "Renouveler son contrat local de santé en Seine-Saint-Denis"
WELCOME_95 = "Accueil des nouveaux coordinateurs du Val-d'Oise"
DD93_MEETING = "Point annuel des coordinateurs de Seine-Saint-Denis avec l'ARS"

PERMANENT, ONE_OFF = Offer.Permanence.PERMANENT, Offer.Permanence.ONE_OFF
K = Offer.Kind
A = Audience


@dataclass
class PlannedOffer:
    title: str
    kind: str
    description: str
    providers: list
    competencies: list
    audiences: list = field(default_factory=lambda: [A.ALL])
    departments: list = field(default_factory=list)
    permanence: str = PERMANENT


OFFERS = [
    PlannedOffer(
        REGIONAL_DAY_OFFER,
        K.REGIONAL_DAY,
        "Une fois par an, une journée qui réunit tous les coordinateur·rices de la région avec "
        "l'ARS, la Préfecture et les CRPV : table ronde, ateliers entre pairs et forum des "
        "offres régionales et départementales.",
        [ev.PROMOSANTE],
        [COORDINATION, ROLE, ADVOCACY],
    ),
    PlannedOffer(
        WELCOME_OFFER,
        K.REGIONAL_DAY,
        "La journée régionale des coordinateur·rices arrivé·es depuis moins d'un an, **avec "
        "leur hiérarchie et leurs élu·es** : comprendre ensemble ce qu'est une démarche locale "
        "en santé et comment la soutenir.",
        [ev.PROMOSANTE],
        [PROMOTION, ROLE, ELECTED],
        audiences=[A.NEWCOMERS],
    ),
    PlannedOffer(
        WEBINARS_HEALTH,
        K.WEBINAR,
        "Un cycle de webinaires d'1 h 30 sur les fondamentaux : concepts et valeurs de la "
        "promotion de la santé, participation des habitant·es, santé mentale. Chaque séance "
        "peut être suivie seule.",
        [ev.PROMOSANTE],
        [PROMOTION, PARTICIPATION],
    ),
    PlannedOffer(
        WEBINARS_COORDINATION,
        K.WEBINAR,
        "Le métier de coordinateur·rice pas à pas : démarche territoriale, du diagnostic au "
        "plan d'action, animation des instances, évaluation, financements.",
        [ev.PROMOSANTE],
        [COORDINATION, METHOD, FACILITATION],
    ),
    PlannedOffer(
        WEBINARS_ADVOCACY,
        K.WEBINAR,
        "Convaincre ses élu·es et sa hiérarchie, se rendre visible dans l'organigramme, "
        "négocier ses marges de manœuvre.",
        [ev.PROMOSANTE],
        [ADVOCACY, ROLE, ELECTED],
    ),
    PlannedOffer(
        APPROPRIATION,
        K.APPROPRIATION,
        "Après un webinaire ou une journée, deux heures en petit groupe pour s'approprier un "
        "concept ou un outil (diagnostic, fiche action, note à l'élu·e) à partir de sa propre "
        "situation.",
        [ev.PROMOSANTE],
        [PROMOTION, METHOD],
    ),
    PlannedOffer(
        BOUSSOLE_GROUP,
        K.WORKING_GROUP,
        "Six coordinateur·rices et le CRPV du Val-d'Oise écrivent **La boussole de la démarche "
        "locale en santé**, le guide des personnes qui prennent leur poste.",
        [ev.PROMOSANTE],
        [COORDINATION, METHOD, FACILITATION],
        permanence=ONE_OFF,
    ),
    PlannedOffer(
        SITE_VISITS,
        K.SITE_VISIT,
        "Une demi-journée chez un·e pair expérimenté·e, préparée par une fiche d'expérience : "
        "voir sur le terrain ce qui marche et ce qui est transposable chez soi.",
        [ev.PROMOSANTE],
        [COORDINATION, PARTICIPATION],
        audiences=[A.ALL, A.NEWCOMERS],
    ),
    PlannedOffer(
        TUTORING,
        K.TUTORING,
        "Un·e coordinateur·rice expérimenté·e accompagne un·e nouvel·le arrivé·e pendant ses "
        "premiers mois : trois à cinq rencontres, au rythme du binôme.",
        [ev.PROMOSANTE],
        [ROLE, COORDINATION],
        audiences=[A.NEWCOMERS],
    ),
    PlannedOffer(
        ONLINE,
        K.ELEARNING,
        "Fiches repères, guides, modules en ligne et replays, à consulter quand on en a besoin.",
        [ev.PROMOSANTE],
        [PROMOTION, METHOD],
    ),
    PlannedOffer(
        MATINALES,
        K.ELECTED,
        "Des petits-déjeuners de travail pour les élu·es à la santé et à la politique de la "
        "ville de Seine-Saint-Denis ; les coordinateur·rices peuvent venir avec leur élu·e.",
        [ev.CRPV93],
        [ELECTED, ADVOCACY],
        departments=["93"],
    ),
    PlannedOffer(
        WORKSHOPS_95,
        K.WORKSHOP,
        "Les ateliers du réseau départemental : échanges de pratiques et intervention d'un "
        "partenaire, quatre fois par an.",
        [ev.CRPV95],
        [COORDINATION, PARTICIPATION],
        departments=["95"],
    ),
    PlannedOffer(
        RENEWAL_93,
        K.WORKSHOP,
        "Co-construit par la délégation départementale de l'ARS et Profession Banlieue : "
        "calendrier et méthode du renouvellement, bilan du CLS sortant, négociation avec les "
        "élu·es.",
        [ev.DD93, ev.CRPV93],
        [METHOD, ELECTED],
        audiences=[A.CLS_RENEWAL],
        departments=["93"],
        permanence=ONE_OFF,
    ),
    PlannedOffer(
        WELCOME_95,
        K.WORKSHOP,
        "Une matinée au CRPV pour les nouveaux coordinateur·rices du Val-d'Oise : les acteurs "
        "du département, la politique de la ville, les pairs à contacter.",
        [ev.CRPV95],
        [ROLE, COORDINATION],
        audiences=[A.NEWCOMERS],
        departments=["95"],
    ),
    PlannedOffer(
        DD93_MEETING,
        K.WORKSHOP,
        "Une rencontre annuelle de la délégation départementale avec les coordinateur·rices : "
        "priorités régionales de santé, appels à projets, remontées du terrain.",
        [ev.DD93],
        [COORDINATION, ADVOCACY],
        departments=["93"],
    ),
]

# The demo webinars (trainings/demo_events.py) by cycle.
WEBINAR_CYCLES = {
    WEBINARS_HEALTH: [0, 5, 8],
    WEBINARS_COORDINATION: [1, 3, 4, 7, 9],
    WEBINARS_ADVOCACY: [2, 6],
}

# --- Resources ---------------------------------------------------------------------------------

BOUSSOLE = "La boussole de la démarche locale en santé"
DETERMINANTS = "Fiche repère : les déterminants de la santé"
PARTICIPATION_GUIDE = "Guide pratique : associer les habitant·es à la démarche locale en santé"
CLS_REVIEW = "Trame : le bilan d'un contrat local de santé"
NOTE_TO_ELECTED = "Modèle de note à l'élu·e en une page"
REPLAY = "Replay : la promotion de la santé, concepts, valeurs et leviers"
DIAGNOSIS = "Module en ligne : conduire un diagnostic local de santé"

# (title, kind, summary, url, competencies, offer)
RESOURCES = [
    (
        BOUSSOLE,
        Resource.Kind.GUIDE,
        "Le guide écrit par des coordinateur·rices pour les personnes qui prennent leur poste : "
        "les repères de la démarche locale en santé, l'environnement (élu·es, hiérarchie, "
        "services) et les premiers mois. Diffusé sur demande.",
        "",
        [COORDINATION, METHOD, ROLE],
        BOUSSOLE_GROUP,
    ),
    (
        DETERMINANTS,
        Resource.Kind.SHEET,
        "Quatre pages pour expliquer à un partenaire ce qui fait la santé d'un quartier : "
        "conditions de vie, environnement, accès aux droits et aux soins, liens sociaux.",
        "",
        [PROMOTION],
        ONLINE,
    ),
    (
        PARTICIPATION_GUIDE,
        Resource.Kind.GUIDE,
        "Informer, consulter, co-construire : des exemples franciliens et des outils pour faire "
        "une place réelle aux habitant·es.",
        "",
        [PARTICIPATION],
        ONLINE,
    ),
    (
        CLS_REVIEW,
        Resource.Kind.TOOL,
        "La trame commentée du bilan d'un CLS sortant, à remplir avec les partenaires avant la "
        "négociation du suivant.",
        "",
        [METHOD, ELECTED],
        ONLINE,
    ),
    (
        NOTE_TO_ELECTED,
        Resource.Kind.TOOL,
        "Un modèle de note à l'élu·e : le constat, la proposition, ce qu'elle coûte, ce qu'on "
        "attend de l'élu·e.",
        "",
        [ADVOCACY, ELECTED],
        WEBINARS_ADVOCACY,
    ),
    (
        REPLAY,
        Resource.Kind.VIDEO,
        "L'enregistrement du webinaire, avec son support.",
        "https://visio.example.org/replay/promotion-de-la-sante",
        [PROMOTION],
        WEBINARS_HEALTH,
    ),
    (
        DIAGNOSIS,
        Resource.Kind.ELEARNING,
        "Un module de 45 minutes, en quatre étapes : données, entretiens, restitution, priorités.",
        "",
        [METHOD, COORDINATION],
        ONLINE,
    ),
]

# --- Pathways ----------------------------------------------------------------------------------

EVENT, RESOURCE = PathwayStep.Kind.EVENT, PathwayStep.Kind.RESOURCE
ACTIVITY, TUTOR = PathwayStep.Kind.ACTIVITY, PathwayStep.Kind.TUTORING
DIAGNOSIS_TO_MANAGER = "Présenter son diagnostic local à sa hiérarchie"
LOCAL_DETERMINANTS = "Repérer les déterminants de santé de son territoire"
REVIEW_TO_STEERING = "Présenter le bilan du CLS à son comité de pilotage"


@dataclass
class PlannedStep:
    kind: str
    title: str
    instructions: str = ""
    offer: str | None = None
    resource: str | None = None
    required: bool = True


@dataclass
class PlannedPathway:
    title: str
    description: str
    audiences: list
    is_ordered: bool
    steps: list


PATHWAYS = [
    PlannedPathway(
        NEWCOMERS_PATHWAY,
        "Votre première année de coordination, étape par étape : rencontrer le réseau, prendre "
        "ses repères avec la Boussole, les fondamentaux de la promotion de la santé, un pair sur "
        "le terrain, et un premier temps fort avec votre hiérarchie.",
        [A.NEWCOMERS],
        True,
        [
            PlannedStep(
                EVENT,
                "Participer à la journée d'accueil des nouveaux coordinateurs",
                "Venez avec votre responsable ou votre élu·e à la santé : vous pouvez les "
                "inviter depuis la page de la journée.",
                offer=WELCOME_OFFER,
            ),
            PlannedStep(
                RESOURCE,
                "Lire La boussole de la démarche locale en santé",
                "Le guide écrit par des pairs pour les premiers mois : commencez par les fiches "
                "« environnement ».",
                resource=BOUSSOLE,
            ),
            PlannedStep(
                EVENT,
                "Suivre un webinaire sur la promotion de la santé",
                "N'importe quelle séance du cycle compte.",
                offer=WEBINARS_HEALTH,
            ),
            PlannedStep(
                EVENT,
                "Participer à une visite de site",
                "Choisissez de préférence un dispositif du même type que le vôtre.",
                offer=SITE_VISITS,
            ),
            PlannedStep(
                TUTOR,
                "Être accompagné·e par un·e tuteur·rice",
                "Facultatif : demandez un tutorat à l'équipe si vous souhaitez un binôme.",
                required=False,
            ),
            PlannedStep(
                ACTIVITY,
                DIAGNOSIS_TO_MANAGER,
                "Préparez une page avec les chiffres clés et les priorités du diagnostic local "
                "de santé, présentez-la à votre responsable (et si possible à l'élu·e), puis "
                "notez ici ce qui a été retenu.",
            ),
        ],
    ),
    PlannedPathway(
        HEALTH_PROMOTION_PATHWAY,
        "Passer d'une vision médicale de la santé à la promotion de la santé, et la faire "
        "vivre sur son territoire avec les habitant·es.",
        [A.ALL],
        False,
        [
            PlannedStep(
                EVENT,
                "Suivre un webinaire du cycle « Promotion de la santé et santé publique »",
                offer=WEBINARS_HEALTH,
            ),
            PlannedStep(
                RESOURCE,
                "Lire la fiche repère sur les déterminants de la santé",
                resource=DETERMINANTS,
            ),
            PlannedStep(
                RESOURCE,
                "Lire le guide sur la participation des habitant·es",
                resource=PARTICIPATION_GUIDE,
                required=False,
            ),
            PlannedStep(
                EVENT,
                "Participer à la journée régionale des coordinateurs",
                offer=REGIONAL_DAY_OFFER,
                required=False,
            ),
            PlannedStep(
                ACTIVITY,
                LOCAL_DETERMINANTS,
                "Choisissez un quartier, listez cinq déterminants de santé qui y pèsent et, pour "
                "chacun, un partenaire qui peut agir dessus.",
            ),
        ],
    ),
    PlannedPathway(
        RENEWAL_PATHWAY,
        "Votre CLS arrive à échéance dans l'année : faire le bilan avec les partenaires, "
        "actualiser le diagnostic et préparer la négociation avec les élu·es et l'ARS.",
        [A.CLS_RENEWAL],
        False,
        [
            PlannedStep(
                EVENT,
                "Suivre un webinaire du cycle « Coordonner une démarche locale en santé »",
                "Les séances sur la méthodologie de projet et sur l'évaluation sont les plus "
                "utiles avant un renouvellement.",
                offer=WEBINARS_COORDINATION,
            ),
            PlannedStep(RESOURCE, "Utiliser la trame de bilan d'un CLS", resource=CLS_REVIEW),
            PlannedStep(
                EVENT,
                "Suivre un webinaire du cycle « Plaidoyer et positionnement »",
                offer=WEBINARS_ADVOCACY,
            ),
            PlannedStep(
                EVENT,
                "En Seine-Saint-Denis : la séance sur le renouvellement des CLS",
                "Pour les CLS de Seine-Saint-Denis ; ailleurs, votre délégation départementale "
                "vous indique son calendrier.",
                offer=RENEWAL_93,
                required=False,
            ),
            PlannedStep(
                ACTIVITY,
                REVIEW_TO_STEERING,
                "Présentez le bilan rempli avec la trame à votre comité de pilotage, et notez "
                "les priorités retenues pour le prochain contrat.",
            ),
        ],
    ),
]

REFLECTIONS = {
    DIAGNOSIS_TO_MANAGER: [
        "Ma directrice a retenu deux priorités (santé mentale des jeunes, accès aux droits) et "
        "m'a demandé de les présenter au prochain bureau municipal.",
        "Présentation faite avec l'élue à la santé : elle souhaite associer le CCAS au comité "
        "technique. J'ai compris l'intérêt d'une page de synthèse plutôt que du rapport complet.",
        "Échange utile avec mon chef de service : il ne connaissait pas les chiffres du quartier "
        "prioritaire. Nous refaisons le point dans trois mois.",
    ],
    LOCAL_DETERMINANTS: [
        "Quartier du centre : logement dégradé, isolement des personnes âgées, faible accès au "
        "médecin traitant, peu d'espaces verts, forte précarité. Le bailleur et le CCAS sont les "
        "premiers partenaires à mobiliser.",
        "J'ai travaillé sur le quartier de la gare avec la médiatrice santé : alimentation, "
        "accès aux droits, transports, emploi des jeunes, santé mentale. Cela change ma façon de "
        "présenter le CLS aux services.",
    ],
    REVIEW_TO_STEERING: [
        "Bilan présenté au comité de pilotage : trois fiches actions reconduites, deux "
        "abandonnées, une nouvelle priorité sur la santé environnementale demandée par l'ARS.",
        "Le comité a validé le calendrier de renouvellement ; l'élu souhaite une réunion "
        "publique avec les habitant·es avant la signature.",
    ],
    "Être accompagné·e par un·e tuteur·rice": [
        "Trois rencontres avec ma tutrice, coordinatrice d'un CLS voisin : elle m'a aidée à "
        "préparer mon premier comité de pilotage et à prioriser mes dossiers.",
    ],
}

JUSTIFICATIONS = [
    "J'ai participé à la journée d'accueil de l'an dernier dans mon précédent poste de chargée "
    "de mission santé, avec mon élue de l'époque.",
    "J'ai suivi la matinée d'accueil des nouveaux coordinateurs organisée par le CRPV, avec ma "
    "responsable de service.",
    "Ancien coordinateur d'un ASV dans un autre département, j'ai déjà participé à une journée "
    "d'accueil régionale il y a deux ans.",
]
PENDING_JUSTIFICATION = (
    "J'ai assisté à une journée d'accueil des nouveaux coordinateurs en Normandie avant d'arriver "
    "en Île-de-France, avec mon directeur : je pense que cette étape peut être validée."
)

# Levels of the experienced demo coordinator: first round, then six months later.
EXPERIENCED_LEVELS = {
    PROMOTION: (2, 3),
    PARTICIPATION: (2, 3),
    COORDINATION: (3, 3),
    METHOD: (3, 3),
    FACILITATION: (3, 4),
    ADVOCACY: (2, 3),
    ROLE: (3, 3),
    ELECTED: (2, 2),
}


# --- Writing the catalogue ---------------------------------------------------------------------


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def _framework():
    domains = {
        d.name: d for d in CompetencyDomain.objects.filter(name__in=[n for n, _ in FRAMEWORK])
    }
    missing = [
        CompetencyDomain(name=name, position=position)
        for position, (name, _) in enumerate(FRAMEWORK, start=1)
        if name not in domains
    ]
    for domain in CompetencyDomain.objects.bulk_create(missing):
        domains[domain.name] = domain
    names = [c[0] for _, competencies in FRAMEWORK for c in competencies]
    existing = {c.name: c for c in Competency.objects.filter(name__in=names)}
    rows = [
        Competency(
            domain=domains[domain_name],
            name=name,
            description=description,
            level_1=levels[0],
            level_2=levels[1],
            level_3=levels[2],
            level_4=levels[3],
            position=position,
        )
        for domain_name, competencies in FRAMEWORK
        for position, (name, description, levels) in enumerate(competencies, start=1)
        if name not in existing
    ]
    for competency in Competency.objects.bulk_create(rows):
        existing[competency.name] = competency
    return existing


def _offers(competencies):
    short_names = {name for o in OFFERS for name in o.providers}
    organisations = {
        o.short_name: o for o in Organisation.objects.filter(short_name__in=short_names)
    }
    missing = sorted(short_names - set(organisations))
    if missing:
        raise RuntimeError(
            "Structures absentes (" + ", ".join(missing) + ") : lancez d'abord seed_demo."
        )
    departments = {d.code: d for d in Department.objects.all()}
    offers = {o.title: o for o in Offer.objects.filter(title__in=[o.title for o in OFFERS])}
    new = [p for p in OFFERS if p.title not in offers]
    created = Offer.objects.bulk_create(
        [
            Offer(
                title=p.title,
                kind=p.kind,
                description=p.description,
                permanence=p.permanence,
                audiences=[str(a) for a in p.audiences],
            )
            for p in new
        ]
    )
    for offer in created:
        offers[offer.title] = offer
    Offer.providers.through.objects.bulk_create(
        [
            Offer.providers.through(
                offer_id=offers[p.title].pk, organisation_id=organisations[n].pk
            )
            for p in new
            for n in p.providers
        ]
    )
    Offer.departments.through.objects.bulk_create(
        [
            Offer.departments.through(offer_id=offers[p.title].pk, department_id=departments[c].pk)
            for p in new
            for c in p.departments
        ]
    )
    Offer.competencies.through.objects.bulk_create(
        [
            Offer.competencies.through(
                offer_id=offers[p.title].pk, competency_id=competencies[n].pk
            )
            for p in new
            for n in p.competencies
        ]
    )
    return offers


def _offer_of(event):
    """The catalogue offer a demo event is a session of (None for other events)."""
    for title, indexes in WEBINAR_CYCLES.items():
        if event.kind == Event.Kind.WEBINAR and event.title in {ev.WEBINARS[i][0] for i in indexes}:
            return title
    organiser = event.organiser.short_name
    rules = [
        (event.title == ev.REGIONAL_DAY, REGIONAL_DAY_OFFER),
        (event.title == ev.WELCOME_DAY, WELCOME_OFFER),
        (event.kind == Event.Kind.SITE_VISIT and event.host_id is not None, SITE_VISITS),
        (
            event.working_group_id is not None and event.working_group.name == ev.BOUSSOLE,
            BOUSSOLE_GROUP,
        ),
        (event.kind == Event.Kind.ELECTED_MEETING and organiser == ev.CRPV93, MATINALES),
        (event.kind == Event.Kind.DEPARTMENTAL and organiser == ev.CRPV95, WORKSHOPS_95),
        (event.kind == Event.Kind.DEPARTMENTAL and organiser == ev.DD93, RENEWAL_93),
    ]
    return next((title for matches, title in rules if matches), None)


def _link_events(offers):
    """Attach the demo events to their offer; an event already attached is left as it is."""
    by_offer = {}
    for event in Event.objects.filter(offer_session__isnull=True).select_related(
        "organiser", "working_group"
    ):
        title = _offer_of(event)
        if title:
            by_offer.setdefault(title, []).append(event.pk)
    OfferSession.objects.bulk_create(
        OfferSession(event_id=pk, offer=offers[title])
        for title, ids in by_offer.items()
        for pk in ids
    )


def _resources(competencies, offers):
    resources = {}
    for resource in Resource.objects.filter(title__in=[r[0] for r in RESOURCES]).order_by("pk"):
        resources.setdefault(resource.title, resource)
    new = [r for r in RESOURCES if r[0] not in resources]
    created = Resource.objects.bulk_create(
        [
            Resource(title=title, kind=kind, summary=summary, url=url)
            for title, kind, summary, url, _, _ in new
        ]
    )
    for resource in created:
        resources[resource.title] = resource
    Offer.resources.through.objects.bulk_create(
        [
            Offer.resources.through(offer_id=offers[offer].pk, resource_id=resources[title].pk)
            for title, _, _, _, _, offer in new
            if offer
        ]
    )
    Resource.competencies.through.objects.bulk_create(
        [
            Resource.competencies.through(
                resource_id=resources[title].pk, competency_id=competencies[name].pk
            )
            for title, _, _, _, names, _ in new
            for name in names
        ]
    )
    return resources


def _pathways(offers, resources):
    pathways = {p.title: p for p in Pathway.objects.filter(title__in=[p.title for p in PATHWAYS])}
    new = [p for p in PATHWAYS if p.title not in pathways]
    positions = {p.title: position for position, p in enumerate(PATHWAYS, start=1)}
    created = Pathway.objects.bulk_create(
        [
            Pathway(
                title=p.title,
                description=p.description,
                audiences=[str(a) for a in p.audiences],
                is_ordered=p.is_ordered,
                position=positions[p.title],
            )
            for p in new
        ]
    )
    for pathway in created:
        pathways[pathway.title] = pathway
    PathwayStep.objects.bulk_create(
        [
            PathwayStep(
                pathway=pathways[p.title],
                position=position,
                kind=s.kind,
                title=s.title,
                instructions=s.instructions,
                offer=offers[s.offer] if s.offer else None,
                resource=resources[s.resource] if s.resource else None,
                is_required=s.required,
            )
            for p in new
            for position, s in enumerate(p.steps, start=1)
        ]
    )
    return pathways


# --- People: enrolments, progress and self-assessments ------------------------------------------


@dataclass
class Coordinator:
    user: User
    first_start: date
    department: str
    renewing: bool  # holds a CLS due for renewal within twelve months


def _coordinators(today):
    """Approved coordinators in post today, ordered by e-mail."""
    first_start = dict(
        Tenure.objects.filter(person__isnull=False)
        .values_list("person")
        .annotate(first=Min("started_on"))
        .order_by()
    )
    due = set(
        schemes_due_for_renewal(12, today).filter(kind=Scheme.Kind.CLS).values_list("pk", flat=True)
    )
    tenures = (
        Tenure.objects.filter(
            ended_on__isnull=True,
            person__coordinator_profile__status=CoordinatorProfile.Status.APPROVED,
        )
        .select_related("person")
        .prefetch_related("post__schemes__department")
        .order_by("person__email", "started_on", "pk")
    )
    people = {}
    for tenure in tenures:
        schemes = sorted(tenure.post.schemes.all(), key=lambda s: (s.kind, s.name))
        if not schemes:
            continue
        person = people.get(tenure.person_id)
        renewing = any(s.pk in due for s in schemes)
        if person is None:
            people[tenure.person_id] = Coordinator(
                tenure.person, first_start[tenure.person_id], schemes[0].department.code, renewing
            )
        else:
            person.renewing = person.renewing or renewing
    return sorted(people.values(), key=lambda c: c.user.email)


@dataclass(eq=False)
class PlannedEnrolment:
    pathway: Pathway
    person: Coordinator
    started_at: datetime
    stage: int  # 0: just joined … 3: nearly done


def _plan_enrolments(rng, coordinators, pathways, today):
    """About half the coordinators in post: most newcomers in « Nouveaux coordinateurs », most
    CLS renewals in « Renouvellement de CLS », others in « Promotion de la santé »."""
    newcomers, renewing, others = [], [], []
    experienced = None
    for c in coordinators:
        if c.user.email == ev.NEW_DEMO:
            continue  # the newcomer journey starts from scratch
        if c.user.email == ev.EXPERIENCED_DEMO:
            experienced = c
        elif (today - c.first_start).days < NEWCOMER_DAYS:
            newcomers.append(c)
        elif c.renewing:
            renewing.append(c)
        else:
            others.append(c)
    target = len(coordinators) // 2
    chosen = []  # (pathway title, coordinator)
    rng.shuffle(newcomers)
    chosen += [(NEWCOMERS_PATHWAY, c) for c in newcomers[: math.ceil(0.75 * len(newcomers))]]
    rng.shuffle(renewing)
    chosen += [(RENEWAL_PATHWAY, c) for c in renewing[: math.ceil(0.6 * len(renewing))]]
    if experienced is not None:
        chosen.append((HEALTH_PROMOTION_PATHWAY, experienced))
    rng.shuffle(others)
    people = {c.user.pk for _, c in chosen}
    for c in others:
        if len(people) >= target:
            break
        chosen.append((HEALTH_PROMOTION_PATHWAY, c))
        people.add(c.user.pk)
    # A few follow two pathways.
    for title, c in list(chosen[:3]) + [x for x in chosen if x[0] == RENEWAL_PATHWAY][:2]:
        if title != HEALTH_PROMOTION_PATHWAY:
            chosen.append((HEALTH_PROMOTION_PATHWAY, c))

    plans = []
    for title, c in chosen:
        if c is experienced:
            start = today - timedelta(days=400)
        elif title == NEWCOMERS_PATHWAY:
            earliest = c.first_start + timedelta(days=7)
            latest = today - timedelta(days=3)
            span = max(0, (latest - earliest).days)
            start = min(latest, earliest + timedelta(days=rng.randint(0, span)))
            start = max(start, c.first_start)
        else:
            start = today - timedelta(days=rng.randint(20, 330))
        started_at = _at(start, rng.randint(9, 17), rng.choice([0, 15, 30, 45]))
        stage = rng.choice([0, 1, 1, 2, 2, 3])
        plans.append(PlannedEnrolment(pathways[title], c, started_at, stage))
    return plans


def _write_enrolments(rng, plans, now, staff):
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(pathway=p.pathway, person=p.person.user, started_at=p.started_at) for p in plans]
    )
    steps = {}
    for step in PathwayStep.objects.filter(pathway__in={p.pathway for p in plans}):
        steps.setdefault(step.pathway_id, []).append(step)
    for items in steps.values():
        items.sort(key=lambda s: s.position)

    def later(start, low, high):
        return min(now - timedelta(hours=1), start + timedelta(days=rng.randint(low, high)))

    # Readings: the further along, the more of the pathway's resources were read.
    read_at = {}
    for plan in plans:
        resource_steps = [s for s in steps[plan.pathway.pk] if s.kind == RESOURCE]
        for step in resource_steps[: plan.stage]:
            key = (step.resource_id, plan.person.user.pk)
            read_at.setdefault(key, later(plan.started_at, 1, 40))
    existing = set(
        ResourceRead.objects.filter(
            resource_id__in={r for r, _ in read_at}, person_id__in={p for _, p in read_at}
        ).values_list("resource_id", "person_id")
    )
    reads = ResourceRead.objects.bulk_create(
        [ResourceRead(resource_id=r, person_id=p) for r, p in read_at if (r, p) not in existing]
    )
    for read in reads:
        read.read_at = read_at[(read.resource_id, read.person_id)]
    ResourceRead.objects.bulk_update(reads, ["read_at"])

    # Steps done from real attendance and readings, as the platform would have recorded them.
    for enrolment in enrolments:
        enrolment_sync(enrolment)
    completions = list(
        StepCompletion.objects.filter(enrolment__in=enrolments).select_related(
            "registration__event", "step", "enrolment"
        )
    )
    for completion in completions:
        if completion.registration_id:
            completion.completed_at = completion.registration.event.ends_at
        else:
            key = (completion.step.resource_id, completion.enrolment.person_id)
            completion.completed_at = read_at.get(key, completion.enrolment.started_at)
    StepCompletion.objects.bulk_update(completions, ["completed_at"])
    done = {(c.enrolment_id, c.step_id) for c in completions}

    # Activities declared with a reflection; prior learning validated by staff, one pending.
    declared, requests, validated = [], [], []
    pending = None
    for plan, enrolment in zip(plans, enrolments, strict=True):
        pathway_steps = steps[plan.pathway.pk]
        if plan.stage == 3:
            for step in pathway_steps:
                if step.title in REFLECTIONS and (enrolment.pk, step.pk) not in done:
                    if step.kind == TUTOR and rng.random() < 0.5:
                        continue
                    declared.append(
                        StepCompletion(
                            enrolment=enrolment,
                            step=step,
                            source=StepCompletion.Source.DECLARED,
                            reflection=rng.choice(REFLECTIONS[step.title]),
                            completed_at=later(plan.started_at, 30, 150),
                        )
                    )
        if plan.pathway.title != NEWCOMERS_PATHWAY:
            continue
        welcome = pathway_steps[0]
        asked_at = later(plan.started_at, 2, 20)
        if plan.stage >= 2:
            requests.append(
                PriorLearningRequest(
                    enrolment=enrolment,
                    step=welcome,
                    justification=rng.choice(JUSTIFICATIONS),
                    status=PriorLearningRequest.Status.ACCEPTED,
                    reviewed_by=staff,
                    reviewed_at=min(now - timedelta(minutes=30), asked_at + timedelta(days=2)),
                    review_comment="Validé : bonne continuation dans le parcours !",
                )
            )
            validated.append(
                StepCompletion(
                    enrolment=enrolment,
                    step=welcome,
                    source=StepCompletion.Source.VALIDATED,
                    reflection=requests[-1].justification,
                    completed_at=requests[-1].reviewed_at,
                )
            )
        elif pending is None:
            pending = PriorLearningRequest(
                enrolment=enrolment, step=welcome, justification=PENDING_JUSTIFICATION
            )
            requests.append(pending)
    StepCompletion.objects.bulk_create(declared + validated, ignore_conflicts=True)
    created = PriorLearningRequest.objects.bulk_create(requests)
    for request in created:
        request.created_at = (
            request.reviewed_at - timedelta(days=2)
            if request.reviewed_at
            else later(request.enrolment.started_at, 2, 20)
        )
    PriorLearningRequest.objects.bulk_update(created, ["created_at"])
    return enrolments


def _levels(rng, seniority_days):
    years = seniority_days / 365
    if years < 1:
        weights = {1: 5, 2: 4, 3: 1}
    elif years < 3:
        weights = {1: 2, 2: 5, 3: 3}
    elif years < 6:
        weights = {2: 4, 3: 5, 4: 1}
    else:
        weights = {2: 2, 3: 5, 4: 3}
    return rng.choices(list(weights), list(weights.values()))[0]


def _write_assessments(rng, plans, coordinators, competencies, now, today):
    """First round at enrolment, a second one six months later when it is past; some
    coordinators without a pathway assessed themselves once."""
    already = set(
        SelfAssessment.objects.filter(person__in=[c.user for c in coordinators]).values_list(
            "person_id", flat=True
        )
    )
    worked = {}  # person id -> competency names their pathways work on
    first_start = {}
    offers_competencies = {}
    for offer in Offer.objects.prefetch_related("competencies"):
        offers_competencies[offer.pk] = {c.name for c in offer.competencies.all()}
    steps = list(PathwayStep.objects.filter(pathway__in={p.pathway for p in plans}))
    for plan in sorted(plans, key=lambda p: p.started_at):
        pk = plan.person.user.pk
        first_start.setdefault(pk, (plan.person, plan.started_at))
        for step in steps:
            if step.pathway_id == plan.pathway.pk and step.offer_id:
                worked.setdefault(pk, set()).update(offers_competencies[step.offer_id])
    enrolled = {c.user.pk for c in coordinators if c.user.pk in first_start}
    others = [c for c in coordinators if c.user.pk not in enrolled and c.user.email != ev.NEW_DEMO]
    for c in _sample(rng, others, len(others) // 4):
        moment = _at(today - timedelta(days=rng.randint(10, 170)), rng.randint(9, 18))
        first_start[c.user.pk] = (c, moment)

    ordered = [competencies[c[0]] for _, domain in FRAMEWORK for c in domain]
    rounds = []  # (person, created_at, {competency id: level})
    for pk, (coordinator, started_at) in sorted(first_start.items()):
        if pk in already:
            continue
        moment = min(now - timedelta(days=1), started_at + timedelta(days=rng.randint(0, 3)))
        if coordinator.user.email == ev.EXPERIENCED_DEMO:
            first = {competencies[n].pk: levels[0] for n, levels in EXPERIENCED_LEVELS.items()}
            second = {competencies[n].pk: levels[1] for n, levels in EXPERIENCED_LEVELS.items()}
            rounds.append((coordinator.user, moment, first))
            rounds.append((coordinator.user, now - timedelta(days=205), second))
            continue
        seniority = (moment.date() - coordinator.first_start).days
        first = {c.pk: _levels(rng, seniority) for c in ordered}
        rounds.append((coordinator.user, moment, first))
        second_at = moment + timedelta(days=rng.randint(183, 200))
        if second_at < now - timedelta(days=1):
            focus = worked.get(pk, set())
            second = {}
            for c in ordered:
                chance = 0.55 if c.name in focus else 0.2
                step = 1 if rng.random() < chance else (-1 if rng.random() < 0.05 else 0)
                second[c.pk] = max(1, min(4, first[c.pk] + step))
            rounds.append((coordinator.user, second_at, second))
    assessments = SelfAssessment.objects.bulk_create(
        [SelfAssessment(person=person, created_at=moment) for person, moment, _ in rounds]
    )
    SelfAssessmentRating.objects.bulk_create(
        [
            SelfAssessmentRating(assessment=assessment, competency_id=competency_id, level=level)
            for assessment, (_, _, levels) in zip(assessments, rounds, strict=True)
            for competency_id, level in levels.items()
        ]
    )


def _sample(rng, items, k):
    return rng.sample(items, max(0, min(k, len(items))))


@transaction.atomic
def seed_pathways(*, today=None):
    """Idempotent: the framework, offers, resources and pathways missing are written; people are
    enrolled and assessed only when no demo pathway has an enrolment yet. Returns counts."""
    today = today or timezone.localdate()
    now = min(timezone.now(), _at(today, 23, 59))
    competencies = _framework()
    offers = _offers(competencies)
    _link_events(offers)
    resources = _resources(competencies, offers)
    pathways = _pathways(offers, resources)
    if not Enrolment.objects.filter(pathway__in=pathways.values()).exists():
        rng = random.Random(SEED)
        coordinators = _coordinators(today)
        plans = _plan_enrolments(rng, coordinators, pathways, today)
        staff = User.objects.filter(email=ev.STAFF_DEMO).first()
        _write_enrolments(rng, plans, now, staff)
        _write_assessments(rng, plans, coordinators, competencies, now, today)
    return pathway_counts()


def pathway_counts():
    """What the pathways hold, in the words of the other seed functions."""
    offers = Offer.objects.annotate(
        n_departments=Count("departments", distinct=True),
        n_providers=Count("providers", distinct=True),
    )
    running = Enrolment.objects.filter(left_at__isnull=True)
    assessed = SelfAssessment.objects.values("person").distinct()
    return {
        "domaines de compétences": CompetencyDomain.objects.count(),
        "compétences": Competency.objects.count(),
        "offres": offers.count(),
        "offres départementales": offers.filter(n_departments__gt=0).count(),
        "offres co-construites": offers.filter(n_providers__gt=1).count(),
        "séances rattachées à une offre": Event.objects.filter(offer_session__isnull=False).count(),
        "ressources liées à des compétences": Resource.objects.filter(competencies__isnull=False)
        .distinct()
        .count(),
        "parcours": Pathway.objects.count(),
        "étapes de parcours": PathwayStep.objects.filter(retired_at__isnull=True).count(),
        "inscriptions à des parcours": running.count(),
        "personnes inscrites à un parcours": running.values("person").distinct().count(),
        "étapes faites": StepCompletion.objects.count(),
        "demandes de validation en attente": PriorLearningRequest.objects.filter(
            status=PriorLearningRequest.Status.PENDING
        ).count(),
        "auto-évaluations": SelfAssessment.objects.count(),
        "personnes auto-évaluées": assessed.count(),
    }
