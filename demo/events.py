"""Demo data of the agenda: a year of events around today, with registrations and attendance.

`seed_events` runs after `seed_register` (it needs the organisations, the demo accounts and the
coordinators in post). It writes about nine months of past events and three months ahead, as in
SPEC §1: ten PromoSanté webinars with about 22 registered and 10 to 13 connected, the regional
day and the welcome day of new coordinators (with their hierarchy and elected officials as
guests), four site visits hosted by experienced coordinators, the working group that writes
« La boussole de la démarche locale en santé » (6 coordinators + 1 CRPV) and its meetings, and
departmental offers of the CRPV 93, the CRPV 95 and the ARS DD 93.

Everything is planned in memory first from `random.Random(2026)` and the coordinators in post
(ordered by e-mail), then only the events missing from the database are written, with their
registrations, invitations and feedback, in bulk. An event is looked up by its title (and so by
title and start): running it twice changes nothing, and running it again on a later day does not
add a shifted copy of the year (the events keep the dates of the first run). Registrations are
written directly, as `services.py` would leave them: no e-mail is sent.
"""

import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from accounts.models import Organisation, User
from agenda.models import Event, Feedback, GuestInvitation, Registration, WorkingGroup
from coordinators.models import Scheme, Tenure, Topic
from territories.models import Department

SEED = 2026
PARIS = ZoneInfo("Europe/Paris")
GUEST_DOMAIN = "example.org"

NEW_DEMO = "coordinatrice@demo.example.org"
EXPERIENCED_DEMO = "coordinateur@demo.example.org"
STAFF_DEMO = "equipe@demo.example.org"
CRPV95_DEMO = "crpv95@demo.example.org"
DD93_DEMO = "dd93@demo.example.org"

PROMOSANTE, CRPV93, CRPV95, DD93 = "PromoSanté IdF", "CRPV 93", "CRPV 95", "ARS DD 93"

BOUSSOLE = "Groupe de travail « La boussole de la démarche locale en santé »"
WELCOME_DAY = "Journée d'accueil des nouveaux coordinateurs, de leur hiérarchie et de leurs élu·es"
REGIONAL_DAY = (
    "Journée régionale des coordinateurs ASV, CLS et CLSM : du service rendu au collectif"
)
REGIONAL_VENUE = "Maison des associations de solidarité, 10-18 rue des Terres-au-Curé, 75013 Paris"
PROMOSANTE_ROOM = "PromoSanté Île-de-France, salle de réunion du 2e étage, Paris 13e"

CONFIRMED = Registration.Status.CONFIRMED
WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED

# --- What the events are about ---------------------------------------------------------------

WEBINAR_FOOTER = (
    "Webinaire d'1 h 30 ouvert à tous les coordinateur·rices ASV, CLS et CLSM d'Île-de-France, "
    "quelle que soit leur ancienneté. Le lien de connexion est envoyé aux personnes inscrites ; "
    "le support est partagé après la séance."
)

# (title, topics, introduction, programme): the three levels of needs of the source documents.
WEBINARS = [
    (
        "La promotion de la santé : concepts, valeurs et leviers pour les démarches locales",
        ["Participation des habitants"],
        "La promotion de la santé est souvent réduite à une vision médicale ou à de la "
        "prévention. Ce webinaire revient sur la charte d'Ottawa, les déterminants de la santé "
        "et la réduction des inégalités sociales et territoriales de santé.",
        [
            "Santé, prévention, promotion de la santé : de quoi parle-t-on ?",
            "Les déterminants de la santé à l'échelle d'un quartier",
            "Retour d'expérience d'un ASV de Seine-Saint-Denis",
        ],
    ),
    (
        "Coordination et démarche territoriale : le métier de coordinateur·rice",
        ["Diagnostic local de santé"],
        "Coordonner un ASV, un CLS ou un CLSM, c'est faire travailler ensemble des acteurs qui "
        "ne dépendent pas de vous. Comment construire sa légitimité et trouver sa place ?",
        [
            "Les missions du poste et ce qui est attendu sur le terrain",
            "Cartographier les acteurs de son territoire",
            "Échanges entre pairs : ce qui marche, ce qui coince",
        ],
    ),
    (
        "Plaidoyer : convaincre ses élu·es et sa hiérarchie de l'intérêt de la santé",
        [],
        "Les coordinateur·rices disent manquer d'appui de leur environnement : élu·es, "
        "hiérarchie, autres services. Des outils pour porter la promotion de la santé dans sa "
        "collectivité.",
        [
            "Construire un argumentaire à partir du diagnostic local",
            "Préparer une note à l'élu·e en une page",
            "Associer les autres services : urbanisme, éducation, CCAS",
        ],
    ),
    (
        "Méthodologie de projet : du diagnostic local de santé au plan d'action",
        ["Diagnostic local de santé"],
        "Passer d'un diagnostic partagé à des fiches actions réalistes, avec des objectifs et "
        "des indicateurs que les partenaires s'approprient.",
        [
            "Les étapes d'un diagnostic local de santé (quantitatif et qualitatif)",
            "Prioriser avec les partenaires et les habitant·es",
            "Rédiger une fiche action utile",
        ],
    ),
    (
        "Animer un comité de pilotage et des groupes de travail partenariaux",
        [],
        "Un comité de pilotage qui décide, des groupes de travail qui avancent : techniques "
        "d'animation et de facilitation pour des réunions utiles.",
        [
            "Préparer l'ordre du jour avec l'élu·e et l'ARS",
            "Techniques d'animation participative",
            "Faire vivre les groupes de travail entre deux réunions",
        ],
    ),
    (
        "Participation des habitant·es : associer les publics des quartiers prioritaires",
        ["Participation des habitants"],
        "Comment faire une place réelle aux habitant·es des quartiers prioritaires dans le "
        "diagnostic, les actions et leur évaluation ?",
        [
            "Les niveaux de participation : informer, consulter, co-construire",
            "Travailler avec les médiateurs et médiatrices en santé",
            "Retour d'expérience des conseils citoyens",
        ],
    ),
    (
        "Se positionner dans son environnement : élu·es, hiérarchie et autres services",
        [],
        "Plusieurs coordinateur·rices déplorent le cadre restrictif dans lequel on les cantonne. "
        "Un temps pour clarifier son rôle et négocier ses marges de manœuvre.",
        [
            "Fiche de poste et réalité du terrain : repérer les écarts",
            "Se rendre visible dans l'organigramme",
            "Témoignages de coordinateur·rices expérimenté·es",
        ],
    ),
    (
        "Évaluer son plan d'action avec des indicateurs simples",
        ["Diagnostic local de santé"],
        "Évaluer sans y passer ses journées : choisir quelques indicateurs de processus et de "
        "résultat, et les présenter au comité de pilotage.",
        [
            "Évaluation de processus, de résultats, d'impact",
            "Construire un tableau de bord en dix indicateurs",
            "Présenter un bilan à mi-parcours",
        ],
    ),
    (
        "Santé mentale : articuler le conseil local de santé mentale et le contrat local de santé",
        ["Santé mentale"],
        "Quand un CLSM et un CLS coexistent sur un territoire, comment articuler leurs "
        "instances, leurs plans d'action et le travail des coordinateur·rices ?",
        [
            "Les missions d'un CLSM et la cellule des situations complexes",
            "L'axe santé mentale du CLS",
            "Exemples d'articulation dans le Val-d'Oise et les Hauts-de-Seine",
        ],
    ),
    (
        "Financer ses actions : politique de la ville, appels à projets et droit commun",
        ["Accès aux droits et aux soins"],
        "Contrat de ville, appels à projets de l'ARS, crédits de droit commun : s'y retrouver "
        "dans les financements des démarches locales en santé.",
        [
            "Le volet santé du contrat de ville « Quartiers 2030 »",
            "Répondre à un appel à projets de l'ARS",
            "Mobiliser le droit commun avec les partenaires",
        ],
    ),
]

FEEDBACK_COMMENTS = [
    "Très concret, merci pour les exemples de fiches actions.",
    "J'aurais aimé plus de temps pour les échanges entre pairs.",
    "Le support et le replay seraient utiles pour ma collègue qui n'a pas pu venir.",
    "Enfin un temps pour prendre du recul sur ma pratique.",
    "Des outils que je vais réutiliser dès mon prochain comité de pilotage.",
    "Un peu dense, mais très utile pour une nouvelle coordinatrice comme moi.",
    "Merci d'avoir donné la parole à des coordinateurs d'autres départements.",
    "Le retour d'expérience était le moment le plus riche.",
]

SITE_VISITS = {
    Scheme.Kind.CLSM: (
        "la cellule de concertation des situations complexes",
        "Le conseil local de santé mentale présente sa cellule de concertation des situations "
        "complexes : composition, charte du secret partagé, circuit d'une situation, place des "
        "bailleurs et des familles.",
        [
            "Relire la fiche d'expérience envoyée dix jours avant la visite.",
            "Venir avec une situation (anonymisée) ou une question sur son propre CLSM.",
            "Le ou la coordinatrice prépare un schéma des instances et la charte de la cellule.",
        ],
    ),
    Scheme.Kind.CLS: (
        "piloter un contrat local de santé avec ses partenaires",
        "Visite d'un contrat local de santé en cours : gouvernance, comité technique, fiches "
        "actions et bilan à mi-parcours, avec la rencontre d'un partenaire de terrain.",
        [
            "Relire le contrat local de santé et ses fiches actions (envoyés avec l'inscription).",
            "Préparer deux questions sur la gouvernance de son propre contrat.",
            "Le ou la coordinatrice prévoit une rencontre de 30 minutes avec un partenaire.",
        ],
    ),
    Scheme.Kind.ASV: (
        "la participation des habitant·es dans les quartiers",
        "L'Atelier santé ville fait découvrir une action menée avec les habitant·es d'un "
        "quartier prioritaire : comment elle est née, qui la porte, ce qu'elle a changé.",
        [
            "Relire la fiche d'expérience rédigée par le ou la coordinatrice.",
            "Rendez-vous devant le lieu d'accueil ; prévoir des chaussures de marche.",
            "Un temps d'échange avec des habitant·es et une médiatrice en santé est prévu.",
        ],
    ),
}
KIND_ARTICLES = {
    Scheme.Kind.CLS: "du CLS",
    Scheme.Kind.CLSM: "du CLSM",
    Scheme.Kind.ASV: "de l'ASV",
}
PLACES = [
    "Maison des habitants",
    "Centre social",
    "Centre municipal de santé",
    "Maison de santé pluriprofessionnelle",
    "Maison des associations",
]
STREETS = [
    "rue Jean-Jaurès",
    "avenue de la République",
    "rue Gabriel-Péri",
    "boulevard Victor-Hugo",
    "place de la Mairie",
    "rue Pasteur",
    "avenue Paul-Vaillant-Couturier",
    "rue Louise-Michel",
    "allée des Tilleuls",
    "rue de la Liberté",
]

BOUSSOLE_DESCRIPTION = (
    "Six coordinateur·rices et une chargée de mission du Pôle ressources ville et développement "
    "social (CRPV 95) écrivent **La boussole de la démarche locale en santé**, un guide pour "
    "les coordinateur·rices qui prennent leur poste.\n\n"
    "Le guide est diffusé sur demande : les réunions sont réservées aux membres du groupe."
)
BOUSSOLE_MEETINGS = [
    ("lancement et besoins des nouveaux coordinateurs", -245),
    ("sommaire du guide et fiches repères", -182),
    ("écriture des fiches « environnement » : élu·es, hiérarchie, services", -121),
    ("relecture et test auprès de coordinateurs récemment arrivés", -60),
    ("version finale et diffusion sur demande", 20),
]

# Guests: (function, feminine); hierarchy first, then elected officials.
HIERARCHY = [
    ("Directrice de la santé", True),
    ("Directeur de la santé publique", False),
    ("Responsable du pôle solidarités et santé", True),
    ("Directrice générale adjointe des services", True),
    ("Chef du service prévention santé", False),
    ("Directeur du CCAS", False),
]
ELECTED = [
    ("Adjoint au maire délégué à la santé", False),
    ("Adjointe au maire chargée de la santé et du handicap", True),
    ("Conseillère municipale déléguée à la santé mentale", True),
    ("Adjoint au maire chargé de la politique de la ville", False),
    ("Conseillère municipale déléguée à la prévention", True),
    ("Maire adjoint chargé des solidarités", False),
]


def _words(text):
    return text.split()


GUEST_FEMALE = _words(
    "Isabelle Catherine Sylvie Valérie Christine Nathalie Florence Sandrine Véronique Laurence "
    "Karine Malika Fatima Samia Corinne Brigitte"
)
GUEST_MALE = _words(
    "Philippe Laurent Stéphane Patrick Frédéric Didier Thierry Christophe Hervé Bruno Karim "
    "Mohamed Alain Jean-Luc Pascal Rachid"
)
GUEST_LAST = _words(
    "Lemaire Bonnet Girard Mercier Faure Chevalier Gauthier Perrin Lambert Boucher Benhamou "
    "Diakité Rolland Marchal Hoarau Ferrand Colas Lebrun Texier Besnard Tessier Sall Bouaziz "
    "Carvalho"
)


# --- The plan ---------------------------------------------------------------------------------


@dataclass
class Coordinator:
    user: User
    first_start: date
    department: str
    commune: object  # coordinators.Commune
    schemes: list


@dataclass(eq=False)
class PlannedRegistration:
    person: User | None = None
    status: str = CONFIRMED
    created_at: datetime | None = None
    cancelled_at: datetime | None = None
    attended: bool | None = None
    excused: bool = False
    attendance_minutes: int | None = None
    checked_in_at: datetime | None = None
    guest: dict | None = None  # first_name, last_name, email, function, commune, invited_by
    invitation: dict | None = None  # created_at, expires_at, invited_by (guests only)
    feedback: tuple | None = None  # (satisfaction, usefulness, comment)


@dataclass(eq=False)
class PlannedEvent:
    kind: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    organiser: str
    audiences: list
    location: str = ""
    video_url: str = ""
    capacity: int | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    departments: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    is_welcome_day: bool = False
    host: User | None = None
    preparation_notes: str = ""
    in_working_group: bool = False
    created_by: User | None = None
    created_at: datetime | None = None
    registrations: list = field(default_factory=list)
    spare_invitations: list = field(default_factory=list)  # dicts, never used


def _fold(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text.lower().replace(" ", "-") if c.isalnum() or c == "-")


def _of(name):
    """'de Saint-Denis', "d'Argenteuil", 'du Blanc-Mesnil', 'des Mureaux'."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name.startswith("L'") or name.startswith("La "):
        return "de " + name
    if _fold(name[0]) in "aeiouy":
        return "d'" + name
    return "de " + name


def _commune_label(commune):
    """'Saint-Denis', and 'Paris 18e' for an arrondissement."""
    if commune.code_insee.startswith("751"):
        number = int(commune.code_insee[-2:])
        return f"Paris {number}{'er' if number == 1 else 'e'}"
    return commune.name


def _some(rng, items, k):
    """k distinct items drawn at random, or all of them when there are fewer."""
    return rng.sample(items, max(0, min(k, len(items))))


def _weighted_sample(rng, items, weights, k):
    """k distinct items, drawn with probability proportional to weight (Efraimidis–Spirakis)."""
    keyed = sorted(
        ((math.log(1 - rng.random()) / w, i) for i, w in enumerate(weights)), reverse=True
    )
    return [items[i] for _, i in keyed[:k]]


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


def _working_day(day, weekdays):
    return (
        day.weekday() in weekdays
        and (day.month, day.day) not in HOLIDAYS
        and not (day.month == 8 and day.day <= 25)
        and not (day.month == 12 and day.day >= 22)
        and not (day.month == 1 and day.day <= 3)
    )


def _between(rng, start, end):
    """A moment of office hours (8 h to 20 h in Paris) between two aware datetimes."""
    minutes = max(0, int((end - start).total_seconds() // 60))
    moment = (start + timedelta(minutes=rng.randint(0, minutes))).astimezone(PARIS)
    if not 8 <= moment.hour < 20:
        moment = moment.replace(hour=rng.randint(8, 19))
    return max(start, min(end, moment))


def _postal_code(commune):
    codes = commune.postal_codes.replace(",", " ").split()
    return codes[0] if codes else f"{commune.department.code}000"


class _Context:
    """What the plan is drawn from: organisations, accounts and the coordinators in post."""

    def __init__(self, today):
        self.today = today
        self.taken = set()
        self.midnight = _at(today, 0)
        short_names = [PROMOSANTE, CRPV93, CRPV95, DD93]
        self.organisations = {
            o.short_name: o for o in Organisation.objects.filter(short_name__in=short_names)
        }
        missing = [name for name in short_names if name not in self.organisations]
        if missing:
            raise RuntimeError(
                "Structures absentes (" + ", ".join(missing) + ") : lancez d'abord seed_demo."
            )
        demo = [NEW_DEMO, EXPERIENCED_DEMO, STAFF_DEMO, CRPV95_DEMO, DD93_DEMO]
        self.accounts = {u.email: u for u in User.objects.filter(email__in=demo)}
        self.departments = {d.code: d for d in Department.objects.all()}
        self.topics = {t.name: t for t in Topic.objects.all()}
        self.coordinators = self._coordinators()
        self.demo_ids = {self.accounts[e].pk for e in (NEW_DEMO, EXPERIENCED_DEMO) if e in self}

    def slot(self, offset, weekdays=(1, 3)):
        """The working day nearest `today + offset` days, moving away from today, on which no
        other demo event is planned yet (so that no two demo events overlap)."""
        day = self.today + timedelta(days=offset)
        step = 1 if offset > 0 else -1
        while not _working_day(day, weekdays) or day in self.taken:
            day += timedelta(days=step)
        self.taken.add(day)
        return day

    def __contains__(self, email):
        return email in self.accounts

    def _coordinators(self):
        first_start = dict(
            Tenure.objects.filter(person__isnull=False)
            .values_list("person")
            .annotate(first=Min("started_on"))
            .order_by()
        )
        tenures = (
            Tenure.objects.filter(ended_on__isnull=True, person__isnull=False)
            .select_related("person__coordinator_profile__commune__department")
            .prefetch_related("post__schemes__communes", "post__schemes__department")
            .order_by("person__email", "started_on", "pk")
        )
        coordinators = {}
        for tenure in tenures:
            person = tenure.person
            if person.pk in coordinators:
                continue
            schemes = sorted(tenure.post.schemes.all(), key=lambda s: (s.kind, s.name))
            if not schemes:
                continue
            profile = getattr(person, "coordinator_profile", None)
            commune = profile.commune if profile and profile.commune_id else None
            if commune is None:
                commune = min(schemes[0].communes.all(), key=lambda c: c.code_insee)
            coordinators[person.pk] = Coordinator(
                user=person,
                first_start=first_start[person.pk],
                department=schemes[0].department.code,
                commune=commune,
                schemes=schemes,
            )
        return sorted(coordinators.values(), key=lambda c: c.user.email)

    def organiser(self, name):
        return self.organisations[name]

    def account(self, email):
        return self.accounts.get(email)

    def coordinator(self, email):
        return next((c for c in self.coordinators if c.user.email == email), None)

    def in_post(self, day, *, department=None, exclude=()):
        """Coordinators in the network two weeks before `day`, demo accounts left out."""
        limit = day - timedelta(days=14)
        return [
            c
            for c in self.coordinators
            if c.first_start <= limit
            and c.user.pk not in self.demo_ids
            and c.user.pk not in exclude
            and (department is None or c.department == department)
        ]


def _registration_window(ctx, start, *, weeks=6, closes_days=1):
    opens = _at((start - timedelta(weeks=weeks)).date(), 9)
    closes = _at((start - timedelta(days=closes_days)).date(), 12)
    if start > ctx.midnight:  # upcoming events are open today
        opens = min(opens, ctx.midnight - timedelta(days=3, hours=15))
    return opens, closes


def _sign_ups(rng, ctx, event, people, *, cancelled=0, waitlisted=0):
    """Registrations of `people` (Users), in the order they came, some cancelled later."""
    start = min(event.registration_closes_at or event.starts_at, event.starts_at, ctx.midnight)
    opens = event.registration_opens_at or (event.starts_at - timedelta(weeks=4))
    moments = sorted(_between(rng, opens, start - timedelta(hours=1)) for _ in people)
    registrations = [
        PlannedRegistration(person=person, created_at=moment)
        for person, moment in zip(people, moments, strict=True)
    ]
    if waitlisted:
        for registration in registrations[-waitlisted:]:
            registration.status = WAITLISTED
    # The demo accounts keep their seat: the README tells what they are registered to.
    seated = [r for r in registrations if r.status == CONFIRMED and r.person.pk not in ctx.demo_ids]
    for registration in _some(rng, seated, cancelled):
        registration.status = CANCELLED
        registration.cancelled_at = _between(rng, registration.created_at, start)
    return registrations


def _attendance(rng, event, registrations, present, *, excused=1, online, always=(), never=()):
    """Record who came to a past event: `present` of the confirmed, the rest absent."""
    seated = [r for r in registrations if r.status == CONFIRMED]
    forced = [r for r in seated if r.person is not None and r.person.pk in always]
    others = [r for r in seated if r not in forced and not (r.person and r.person.pk in never)]
    came = forced + _some(rng, others, min(present, len(seated)) - len(forced))
    length = int((event.ends_at - event.starts_at).total_seconds() // 60)
    for registration in seated:
        registration.attended = registration in came
        if registration.attended:
            late = rng.choice([0, 0, 2, 5, 10, 20])
            registration.checked_in_at = event.starts_at + timedelta(minutes=late)
            if online:
                registration.attendance_minutes = rng.randint(35, min(90, length))
    absent = [r for r in seated if not r.attended]
    for registration in _some(rng, absent, excused):
        registration.excused = True
    return came


def _feedback(rng, registrations, count, *, comments=0.5):
    for registration in _some(rng, registrations, count):
        satisfaction = rng.choices([2, 3, 4, 5], [1, 4, 11, 9])[0]
        usefulness = max(1, min(5, satisfaction + rng.choice([-1, 0, 0, 1])))
        comment = rng.choice(FEEDBACK_COMMENTS) if rng.random() < comments else ""
        registration.feedback = (satisfaction, usefulness, comment)


def _markdown(intro, heading, items, footer=""):
    lines = [intro, "", f"**{heading}**", "", *[f"- {item}" for item in items]]
    if footer:
        lines += ["", footer]
    return "\n".join(lines)


def _plan_webinars(rng, ctx):
    offsets = [-266, -233, -198, -163, -128, -96, -63, -30, 16, 45]
    staff = ctx.account(STAFF_DEMO)
    experienced = ctx.account(EXPERIENCED_DEMO)
    new = ctx.account(NEW_DEMO)
    past_count = sum(o < 0 for o in offsets)
    # The experienced demo coordinator came to five past webinars and missed a sixth.
    demo_attended = set(rng.sample(range(past_count), 6))
    demo_missed = max(demo_attended)
    feedback_on = set(rng.sample(range(past_count), 3))
    events = []
    for number, (offset, spec) in enumerate(zip(offsets, WEBINARS, strict=True), start=1):
        title, topics, intro, programme = spec
        day = ctx.slot(offset)
        hour = rng.choice([10, 14])
        starts_at = _at(day, hour)
        event = PlannedEvent(
            kind=Event.Kind.WEBINAR,
            title=title,
            description=_markdown(intro, "Au programme", programme, WEBINAR_FOOTER),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=90),
            organiser=PROMOSANTE,
            audiences=[Event.Audience.ALL],
            video_url=f"https://visio.example.org/webinaire-{number}",
            capacity=30,
            topics=topics,
            created_by=staff,
        )
        event.registration_opens_at, event.registration_closes_at = _registration_window(
            ctx, starts_at
        )
        event.created_at = event.registration_opens_at - timedelta(days=rng.randint(2, 10))
        pool = [c.user for c in ctx.in_post(day)]
        index = number - 1
        if offset < 0:
            people = _some(rng, pool, rng.randint(20, 24))
            if experienced is not None and index in demo_attended:
                people[rng.randrange(len(people))] = experienced
            event.registrations = _sign_ups(
                rng, ctx, event, people, cancelled=rng.choice([0, 1, 1, 2])
            )
            always = {experienced.pk} if experienced and index != demo_missed else set()
            never = {experienced.pk} if experienced and index == demo_missed else set()
            came = _attendance(
                rng,
                event,
                event.registrations,
                rng.randint(10, 13),
                excused=rng.choice([1, 2]),
                online=True,
                always=always,
                never=never,
            )
            if index in feedback_on:
                _feedback(rng, came, rng.randint(5, 8))
        elif number == len(offsets) - 1:  # nearly full: 23 seats taken of 25
            event.capacity = 25
            people = _some(rng, pool, 23)
            if new is not None:
                people[rng.randrange(len(people))] = new
            people.append(rng.choice([p for p in pool if p not in people]))
            event.registrations = _sign_ups(rng, ctx, event, people, cancelled=1)
        else:  # full, with a waitlist of three
            event.capacity = 20
            people = _some(rng, pool, 23)
            event.registrations = _sign_ups(rng, ctx, event, people, waitlisted=3)
        events.append(event)
    return events


def _guest(rng, used_emails, commune, function, feminine):
    first = rng.choice(GUEST_FEMALE if feminine else GUEST_MALE)
    last = rng.choice(GUEST_LAST)
    town = _fold(_commune_label(commune))
    base = f"{_fold(first)}.{_fold(last)}@ville-{town}.{GUEST_DOMAIN}"
    email, number = base, 1
    while email in used_emails:
        number += 1
        email = base.replace("@", f"{number}@")
    used_emails.add(email)
    return {
        "first_name": first,
        "last_name": last,
        "email": email,
        "function": function,
        "commune": commune,
    }


def _guest_registration(event, guest, *, invited_by, invited_at, registered_at):
    expires_at = min(invited_at + timedelta(days=30), event.starts_at - timedelta(days=1))
    return PlannedRegistration(
        guest={**guest, "invited_by": invited_by},
        created_at=min(registered_at, expires_at - timedelta(hours=1)),
        invitation={"created_at": invited_at, "expires_at": expires_at, "invited_by": invited_by},
    )


def _plan_regional_days(rng, ctx):
    staff = ctx.account(STAFF_DEMO)
    events = []

    # The past regional day of all coordinators.
    day = ctx.slot(-150, weekdays=(3,))
    regional = PlannedEvent(
        kind=Event.Kind.REGIONAL_DAY,
        title=REGIONAL_DAY,
        description=_markdown(
            "La journée régionale réunit chaque année les coordinateur·rices des Ateliers santé "
            "ville, des contrats locaux de santé et des conseils locaux de santé mentale "
            "d'Île-de-France, avec l'ARS, la Préfecture de région et les centres de ressources "
            "politique de la ville. Cette année : passer de la logique de service rendu à "
            "l'implication dans un collectif.",
            "Programme",
            [
                "9 h 00 — Accueil café",
                "9 h 30 — Ouverture par l'ARS et la Préfecture de région",
                "10 h 00 — Table ronde : coordonner une démarche locale en santé en 2025",
                "11 h 30 — Ateliers entre pairs : élu·es et hiérarchie ; compétences ; réseau",
                "13 h 00 — Déjeuner sur place",
                "14 h 15 — Forum des offres régionales et départementales (PromoSanté, CRPV)",
                "16 h 15 — Restitution et suites du réseau",
                "17 h 00 — Clôture",
            ],
        ),
        starts_at=_at(day, 9),
        ends_at=_at(day, 17),
        organiser=PROMOSANTE,
        audiences=[Event.Audience.ALL],
        location=REGIONAL_VENUE,
        capacity=120,
        created_by=staff,
    )
    regional.registration_opens_at, regional.registration_closes_at = _registration_window(
        ctx, regional.starts_at, weeks=10, closes_days=7
    )
    regional.created_at = regional.registration_opens_at - timedelta(days=14)
    people = _some(rng, [c.user for c in ctx.in_post(day)], 74)
    regional.registrations = _sign_ups(rng, ctx, regional, people, cancelled=4)
    came = _attendance(
        rng, regional, regional.registrations, rng.randint(53, 57), excused=4, online=False
    )
    _feedback(rng, came, 18)
    events.append(regional)

    # The upcoming welcome day of new coordinators, their hierarchy and elected officials.
    day = ctx.slot(38, weekdays=(1, 3))
    welcome = PlannedEvent(
        kind=Event.Kind.REGIONAL_DAY,
        title=WELCOME_DAY,
        description=_markdown(
            "Vous avez pris votre poste de coordinateur·rice ASV, CLS ou CLSM depuis moins d'un "
            "an ? Cette journée vous est destinée, **avec votre responsable hiérarchique et "
            "l'élu·e en charge de la santé** : comprendre ensemble ce qu'est une démarche locale "
            "en santé, ce que l'on peut attendre de la coordination et comment la soutenir.\n\n"
            "Chaque coordinateur·rice peut inviter sa hiérarchie et son élu·e depuis la page de "
            "l'événement.",
            "Programme",
            [
                "9 h 00 — Accueil",
                "9 h 30 — La promotion de la santé et les démarches locales : repères",
                "11 h 00 — Le rôle de la coordination, vu par des élu·es et des coordinateur·rices",
                "12 h 30 — Déjeuner",
                "14 h 00 — Ateliers par binôme coordinateur·rice / hiérarchie ou élu·e",
                "15 h 45 — Les ressources du réseau : la Boussole, le parcours, les CRPV",
                "17 h 00 — Clôture",
            ],
        ),
        starts_at=_at(day, 9),
        ends_at=_at(day, 17),
        organiser=PROMOSANTE,
        audiences=[Event.Audience.NEWCOMERS, Event.Audience.GUESTS],
        location=REGIONAL_VENUE,
        capacity=80,
        is_welcome_day=True,
        created_by=staff,
    )
    welcome.registration_opens_at, welcome.registration_closes_at = _registration_window(
        ctx, welcome.starts_at, weeks=8, closes_days=5
    )
    welcome.created_at = welcome.registration_opens_at - timedelta(days=7)
    year_before = day - timedelta(days=365)
    newcomers = [
        c for c in ctx.coordinators if c.first_start > year_before and c.user.pk not in ctx.demo_ids
    ]
    chosen = _some(rng, newcomers, 16)
    new = ctx.coordinator(NEW_DEMO)
    if new is not None:
        chosen.insert(rng.randrange(len(chosen) + 1), new)
    welcome.registrations = _sign_ups(rng, ctx, welcome, [c.user for c in chosen])
    # Some of them invited their manager or their elected official, who registered.
    used_emails = set()
    functions = HIERARCHY + ELECTED
    for coordinator in _some(rng, chosen, 9):
        function, feminine = rng.choice(functions)
        guest = _guest(rng, used_emails, coordinator.commune, function, feminine)
        invited_at = _between(rng, welcome.registration_opens_at, ctx.midnight - timedelta(days=2))
        registered_at = _between(rng, invited_at, ctx.midnight - timedelta(hours=1))
        welcome.registrations.append(
            _guest_registration(
                welcome,
                guest,
                invited_by=coordinator.user,
                invited_at=invited_at,
                registered_at=registered_at,
            )
        )
    # Two invitations nobody used yet.
    for coordinator in _some(rng, chosen, 2):
        function, feminine = rng.choice(ELECTED)
        guest = _guest(rng, used_emails, coordinator.commune, function, feminine)
        invited_at = _between(rng, ctx.midnight - timedelta(days=10), ctx.midnight)
        welcome.spare_invitations.append(
            {
                **{k: v for k, v in guest.items() if k != "commune"},
                "invited_by": coordinator.user,
                "created_at": invited_at,
                "expires_at": min(
                    invited_at + timedelta(days=30), welcome.starts_at - timedelta(days=1)
                ),
            }
        )
    welcome.registrations.sort(key=lambda r: r.created_at)
    events.append(welcome)
    return events


def _pick_people(rng, ctx):
    """Hosts of the site visits (named in their titles) and members of the Boussole group.

    They are drawn first, from the whole list of coordinators in post, so that they do not
    depend on the dates (seeding again on another day finds the same titles).
    """
    order = list(ctx.coordinators)
    rng.shuffle(order)
    order = [c for c in order if c.user.pk not in ctx.demo_ids]
    experienced = ctx.coordinator(EXPERIENCED_DEMO)

    hosts, departments = [], set()
    if experienced is not None:
        hosts.append((experienced, Scheme.Kind.CLSM))
        departments.add(experienced.department)
    veterans = [c for c in order if c.first_start <= ctx.today - timedelta(days=4 * 365)]
    for kind in [Scheme.Kind.CLS, Scheme.Kind.ASV, Scheme.Kind.CLS, Scheme.Kind.CLSM]:
        if len(hosts) == 4:
            break
        for coordinator in veterans:
            if (
                kind in {s.kind for s in coordinator.schemes}
                and coordinator.department not in departments
            ):
                hosts.append((coordinator, kind))
                departments.add(coordinator.department)
                break

    members, departments = [], set()
    if experienced is not None:
        members.append(experienced)
        departments.add(experienced.department)
    taken = {h.user.pk for h, _ in hosts}
    for coordinator in order:  # experienced coordinators of five other départements
        if len(members) == 6:
            break
        if (
            coordinator.first_start <= ctx.today - timedelta(days=3 * 365)
            and coordinator.department not in departments
            and coordinator.user.pk not in taken
        ):
            members.append(coordinator)
            departments.add(coordinator.department)
    return hosts, members


def _plan_site_visits(rng, ctx, hosts):
    staff = ctx.account(STAFF_DEMO)
    offsets = [-205, -118, -44, 28]
    events = []
    for (host, kind), offset in zip(hosts, offsets, strict=False):
        scheme = next(s for s in host.schemes if s.kind == kind)
        theme, intro, notes = SITE_VISITS[kind]
        commune = host.commune
        day = ctx.slot(offset, weekdays=(1, 2, 3, 4))
        hour = rng.choice([9, 14])
        starts_at = _at(day, hour, 30 if hour == 9 else 0)
        place = f"{rng.choice(PLACES)}, {rng.randint(2, 48)} {rng.choice(STREETS)}"
        name = host.user.get_full_name()
        event = PlannedEvent(
            kind=Event.Kind.SITE_VISIT,
            title=f"Visite {KIND_ARTICLES[kind]} {_of(_commune_label(commune))} : {theme}",
            description=_markdown(
                f"{intro}\n\nVisite accueillie par **{name}**, qui coordonne le dispositif « "
                f"{scheme.name} ». Une demi-journée pour capitaliser l'expérience d'un pair ; "
                "les personnes récemment arrivées sont prioritaires.",
                "Déroulé",
                [
                    "Accueil et présentation du territoire et du dispositif",
                    "Visite ou rencontre avec les partenaires",
                    "Temps d'échange : ce qui est transposable chez vous",
                ],
            ),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            organiser=PROMOSANTE,
            audiences=[Event.Audience.ALL, Event.Audience.NEWCOMERS],
            location=f"{place}, {_postal_code(commune)} {_commune_label(commune)}",
            capacity=12,
            departments=[],
            host=host.user,
            preparation_notes="\n".join(f"- {note}" for note in notes),
            created_by=staff,
        )
        event.registration_opens_at, event.registration_closes_at = _registration_window(
            ctx, starts_at, weeks=6, closes_days=3
        )
        event.created_at = event.registration_opens_at - timedelta(days=5)
        candidates = ctx.in_post(day, exclude={host.user.pk})
        weights = [
            (3 if c.department == host.department else 1)
            * (2 if c.first_start > day - timedelta(days=730) else 1)
            for c in candidates
        ]
        if offset < 0:
            people = _weighted_sample(rng, candidates, weights, rng.randint(8, 12))
            event.registrations = _sign_ups(rng, ctx, event, [c.user for c in people])
            seated = len(event.registrations)
            _attendance(
                rng,
                event,
                event.registrations,
                seated - rng.randint(0, 2),
                excused=1,
                online=False,
            )
        else:
            people = _weighted_sample(rng, candidates, weights, rng.randint(8, 10))
            event.registrations = _sign_ups(rng, ctx, event, [c.user for c in people])
        events.append(event)
    return events


def _plan_boussole(rng, ctx, members):
    """The working group: 6 coordinators (the experienced demo one among them) + 1 CRPV."""
    people = [c.user for c in members]
    crpv = ctx.account(CRPV95_DEMO)
    if crpv is not None:
        people.append(crpv)

    staff = ctx.account(STAFF_DEMO)
    events = []
    first_start = None
    for number, (topic, offset) in enumerate(BOUSSOLE_MEETINGS, start=1):
        day = ctx.slot(offset, weekdays=(0, 1, 2, 3, 4))
        online = number in (2, 4)
        starts_at = _at(day, 14) if online else _at(day, 9, 30)
        first_start = first_start or starts_at
        event = PlannedEvent(
            kind=Event.Kind.WORKING_GROUP,
            title=f"Groupe de travail « La boussole » — séance {number} : {topic}",
            description=(
                f"Séance {number} sur {len(BOUSSOLE_MEETINGS)} du groupe de travail qui écrit "
                "**La boussole de la démarche locale en santé**. Réservée aux membres du "
                "groupe, inscrits d'office."
            ),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2, minutes=30),
            organiser=PROMOSANTE,
            audiences=[Event.Audience.ALL, Event.Audience.PARTNERS],
            location="" if online else PROMOSANTE_ROOM,
            video_url=f"https://visio.example.org/boussole-{number}" if online else "",
            capacity=len(people),
            # Members are registered for the whole series: the list is closed to others.
            registration_opens_at=first_start - timedelta(days=30),
            registration_closes_at=first_start - timedelta(days=1),
            in_working_group=True,
            created_by=staff,
            created_at=first_start - timedelta(days=40),
        )
        event.registrations = [
            PlannedRegistration(person=person, created_at=first_start - timedelta(days=14))
            for person in people
        ]
        if offset < 0:
            _attendance(
                rng,
                event,
                event.registrations,
                len(people) - rng.choice([0, 1, 1, 2]),
                excused=2,
                online=online,
            )
        events.append(event)
    return events, people


def _plan_departmental(rng, ctx):
    events = []
    crpv95 = ctx.account(CRPV95_DEMO)
    dd93 = ctx.account(DD93_DEMO)
    experienced = ctx.account(EXPERIENCED_DEMO)
    communes_93 = sorted(
        {c.commune.pk: c.commune for c in ctx.coordinators if c.department == "93"}.values(),
        key=lambda c: c.code_insee,
    )
    used_emails = set()

    # CRPV 93: the « matinales » of elected officials, one past, one upcoming.
    matinales = [
        (
            -100,
            "Matinale des élu·es : la santé dans les quartiers prioritaires de Seine-Saint-Denis",
            "Un petit-déjeuner de travail pour les élu·es à la santé et à la politique de la "
            "ville : ce que les Ateliers santé ville et les contrats locaux de santé changent "
            "dans les quartiers, avec le témoignage de deux communes.",
        ),
        (
            33,
            "Matinale des élu·es : le contrat local de santé, un levier pour les quartiers",
            "Signer, faire vivre, renouveler un contrat local de santé : le rôle de l'élu·e, "
            "le travail avec la délégation départementale de l'ARS et la place de la "
            "coordination. Les coordinateur·rices peuvent venir avec leur élu·e.",
        ),
    ]
    for offset, title, intro in matinales:
        day = ctx.slot(offset, weekdays=(1, 2, 3, 4))
        event = PlannedEvent(
            kind=Event.Kind.ELECTED_MEETING,
            title=title,
            description=_markdown(
                intro,
                "Déroulé",
                [
                    "8 h 30 — Accueil café",
                    "8 h 45 — Repères et chiffres clés du département",
                    "9 h 15 — Témoignages et échanges",
                    "10 h 15 — Conclusion",
                ],
            ),
            starts_at=_at(day, 8, 30),
            ends_at=_at(day, 10, 30),
            organiser=CRPV93,
            audiences=[Event.Audience.GUESTS, Event.Audience.ALL],
            location="Profession Banlieue, salle de conférence, 93200 Saint-Denis",
            capacity=40,
            departments=["93"],
            topics=["Accès aux droits et aux soins"],
        )
        event.registration_opens_at, event.registration_closes_at = _registration_window(
            ctx, event.starts_at, weeks=5, closes_days=2
        )
        event.created_at = event.registration_opens_at - timedelta(days=3)
        coordinators = _some(rng, ctx.in_post(day, department="93"), 6 if offset < 0 else 4)
        event.registrations = _sign_ups(rng, ctx, event, [c.user for c in coordinators])
        last = min(event.registration_closes_at, ctx.midnight) - timedelta(hours=2)
        for commune in _some(rng, communes_93, 10 if offset < 0 else 4):
            function, feminine = rng.choice(ELECTED)
            guest = _guest(rng, used_emails, commune, function, feminine)
            invited_at = _between(rng, event.registration_opens_at, last - timedelta(days=2))
            event.registrations.append(
                _guest_registration(
                    event,
                    guest,
                    invited_by=None,
                    invited_at=invited_at,
                    registered_at=_between(rng, invited_at, last),
                )
            )
        event.registrations.sort(key=lambda r: r.created_at)
        if offset < 0:
            seated = len(event.registrations)
            _attendance(rng, event, event.registrations, seated - rng.randint(3, 4), online=False)
        events.append(event)

    # CRPV 95: workshops of the Val-d'Oise network, one past, one upcoming.
    workshops = [
        (
            -58,
            "Atelier du réseau des coordinateurs du Val-d'Oise : santé mentale et logement",
            "Troubles du voisinage, incurie, expulsions : comment les coordinateur·rices ASV, CLS "
            "et CLSM du Val-d'Oise travaillent avec les bailleurs sociaux.",
        ),
        (
            24,
            "Atelier du réseau des coordinateurs du Val-d'Oise : mobiliser les habitant·es",
            "Échanges de pratiques sur la participation des habitant·es des quartiers prioritaires "
            "du Val-d'Oise, avec les centres sociaux et les conseils citoyens.",
        ),
    ]
    for offset, title, intro in workshops:
        day = ctx.slot(offset, weekdays=(1, 2, 3, 4))
        event = PlannedEvent(
            kind=Event.Kind.DEPARTMENTAL,
            title=title,
            description=_markdown(
                intro,
                "Au programme",
                [
                    "Tour de table des actualités des communes",
                    "Intervention d'un partenaire et échanges",
                    "Suites à donner et prochain atelier",
                ],
            ),
            starts_at=_at(day, 14),
            ends_at=_at(day, 17),
            organiser=CRPV95,
            audiences=[Event.Audience.ALL],
            location="Pôle ressources ville et développement social, 95000 Cergy",
            capacity=20,
            departments=["95"],
            topics=["Santé mentale"] if offset < 0 else ["Participation des habitants"],
            created_by=crpv95,
        )
        event.registration_opens_at, event.registration_closes_at = _registration_window(
            ctx, event.starts_at, weeks=5, closes_days=2
        )
        event.created_at = event.registration_opens_at - timedelta(days=3)
        pool = [c.user for c in ctx.in_post(day, department="95")]
        people = _some(rng, pool, 9 if offset < 0 else 6)
        if offset < 0 and experienced is not None:
            people.insert(rng.randrange(len(people) + 1), experienced)
        event.registrations = _sign_ups(rng, ctx, event, people)
        if offset < 0:
            seated = len(event.registrations)
            _attendance(
                rng,
                event,
                event.registrations,
                seated - rng.randint(1, 2),
                online=False,
                always={experienced.pk} if experienced else (),
            )
        events.append(event)

    # ARS DD 93: an information session for the CLS up for renewal.
    day = ctx.slot(45, weekdays=(1, 2, 3, 4))
    event = PlannedEvent(
        kind=Event.Kind.DEPARTMENTAL,
        title="Renouveler son contrat local de santé : séance d'information de l'ARS DD 93",
        description=_markdown(
            "La délégation départementale de l'ARS présente le calendrier et la méthode de "
            "renouvellement des contrats locaux de santé de Seine-Saint-Denis, pour les "
            "coordinateur·rices dont le CLS arrive à échéance dans l'année.",
            "Au programme",
            [
                "Bilan du CLS sortant : attendus et trame",
                "Actualiser le diagnostic local de santé",
                "Calendrier de négociation avec les élu·es et signature",
            ],
        ),
        starts_at=_at(day, 9, 30),
        ends_at=_at(day, 12, 30),
        organiser=DD93,
        audiences=[Event.Audience.CLS_RENEWAL],
        location="ARS, délégation départementale de Seine-Saint-Denis, 93000 Bobigny",
        capacity=25,
        departments=["93"],
        topics=["Diagnostic local de santé"],
        created_by=dd93,
    )
    event.registration_opens_at, event.registration_closes_at = _registration_window(
        ctx, event.starts_at, weeks=6, closes_days=3
    )
    event.created_at = event.registration_opens_at - timedelta(days=4)
    horizon = ctx.today + timedelta(days=540)
    renewing = [
        c
        for c in ctx.in_post(ctx.today, department="93")
        if any(
            s.kind == Scheme.Kind.CLS
            and (s.status == Scheme.Status.RENEWING or (s.ends_on and s.ends_on <= horizon))
            for s in c.schemes
        )
    ]
    if len(renewing) < 4:
        renewing = [
            c
            for c in ctx.in_post(ctx.today, department="93")
            if any(s.kind == Scheme.Kind.CLS for s in c.schemes)
        ]
    people = _some(rng, renewing, 8)
    event.registrations = _sign_ups(rng, ctx, event, [c.user for c in people])
    events.append(event)
    return events


def plan_events(ctx):
    """Every demo event with its registrations, in memory; the same plan for the same data."""
    rng = random.Random(SEED)
    hosts, members = _pick_people(rng, ctx)
    events = _plan_webinars(rng, ctx)
    events += _plan_regional_days(rng, ctx)
    events += _plan_site_visits(rng, ctx, hosts)
    meetings, members = _plan_boussole(rng, ctx, members)
    events += meetings
    events += _plan_departmental(rng, ctx)
    return events, members


# --- Writing it -------------------------------------------------------------------------------


def _working_group(ctx, members):
    group, created = WorkingGroup.objects.get_or_create(
        name=BOUSSOLE,
        defaults={"description": BOUSSOLE_DESCRIPTION, "organiser": ctx.organiser(PROMOSANTE)},
    )
    if created or not group.members.exists():
        group.members.set(members)
    return group


def _write(ctx, planned, group):
    events = [
        Event(
            kind=p.kind,
            title=p.title,
            description=p.description,
            is_welcome_day=p.is_welcome_day,
            starts_at=p.starts_at,
            ends_at=p.ends_at,
            location=p.location,
            video_url=p.video_url,
            capacity=p.capacity,
            registration_opens_at=p.registration_opens_at,
            registration_closes_at=p.registration_closes_at,
            audiences=[str(a) for a in p.audiences],
            organiser=ctx.organiser(p.organiser),
            working_group=group if p.in_working_group else None,
            host=p.host,
            preparation_notes=p.preparation_notes,
            created_by=p.created_by,
        )
        for p in planned
    ]
    Event.objects.bulk_create(events)
    for event, plan in zip(events, planned, strict=True):
        event.created_at = plan.created_at or plan.starts_at - timedelta(days=45)
    Event.objects.bulk_update(events, ["created_at"])
    Event.departments.through.objects.bulk_create(
        [
            Event.departments.through(event_id=event.pk, department_id=ctx.departments[code].pk)
            for event, plan in zip(events, planned, strict=True)
            for code in plan.departments
        ]
    )
    Event.topics.through.objects.bulk_create(
        [
            Event.topics.through(event_id=event.pk, topic_id=ctx.topics[name].pk)
            for event, plan in zip(events, planned, strict=True)
            for name in plan.topics
            if name in ctx.topics
        ]
    )

    rows, plans = [], []
    for event, plan in zip(events, planned, strict=True):
        for r in plan.registrations:
            guest = r.guest or {}
            rows.append(
                Registration(
                    event=event,
                    person=r.person,
                    first_name=guest.get("first_name", ""),
                    last_name=guest.get("last_name", ""),
                    email=guest.get("email", ""),
                    function=guest.get("function", ""),
                    commune=guest.get("commune"),
                    invited_by=guest.get("invited_by"),
                    status=r.status,
                    excused=r.excused,
                    attended=r.attended,
                    checked_in_at=r.checked_in_at,
                    attendance_minutes=r.attendance_minutes,
                    cancelled_at=r.cancelled_at,
                )
            )
            plans.append(r)
    Registration.objects.bulk_create(rows)
    for row, plan in zip(rows, plans, strict=True):
        row.created_at = plan.created_at
    Registration.objects.bulk_update(rows, ["created_at"])

    invitations = []
    for row, plan in zip(rows, plans, strict=True):
        if plan.invitation:
            invitations.append(
                GuestInvitation(
                    event=row.event,
                    email=row.email,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    function=row.function,
                    invited_by=plan.invitation["invited_by"],
                    expires_at=plan.invitation["expires_at"],
                    used_at=plan.created_at,
                    registration=row,
                )
            )
    for event, plan in zip(events, planned, strict=True):
        for spare in plan.spare_invitations:
            invitations.append(
                GuestInvitation(
                    event=event,
                    email=spare["email"],
                    first_name=spare["first_name"],
                    last_name=spare["last_name"],
                    function=spare["function"],
                    invited_by=spare["invited_by"],
                    expires_at=spare["expires_at"],
                )
            )
    GuestInvitation.objects.bulk_create(invitations)
    created = [plan.invitation["created_at"] for plan in plans if plan.invitation]
    created += [spare["created_at"] for plan in planned for spare in plan.spare_invitations]
    for invitation, moment in zip(invitations, created, strict=True):
        invitation.created_at = moment
    GuestInvitation.objects.bulk_update(invitations, ["created_at"])

    feedback = []
    for row, plan in zip(rows, plans, strict=True):
        if plan.feedback:
            satisfaction, usefulness, comment = plan.feedback
            feedback.append(
                Feedback(
                    registration=row,
                    satisfaction=satisfaction,
                    usefulness=usefulness,
                    comment=comment,
                )
            )
    Feedback.objects.bulk_create(feedback)
    for item in feedback:
        item.created_at = item.registration.event.ends_at + timedelta(hours=2)
    Feedback.objects.bulk_update(feedback, ["created_at"])
    return events


@transaction.atomic
def seed_events(*, today=None):
    """Idempotent: only the demo events missing from the agenda are written, with their
    registrations, invitations and feedback. Returns the counts of the agenda."""
    today = today or timezone.localdate()
    ctx = _Context(today)
    planned, members = plan_events(ctx)
    group = _working_group(ctx, members)
    # An event is there when its title and start are. An event of the same title on another
    # date counts too: seeding again on a later day must not add a copy shifted by a few days.
    titles = {p.title for p in planned}
    existing = set(Event.objects.filter(title__in=titles).values_list("title", flat=True))
    missing = [p for p in planned if p.title not in existing]
    _write(ctx, missing, group)
    return event_counts()


def event_counts():
    """What the agenda holds, in the words of the other seed functions."""
    kinds = dict(Event.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    active = Registration.objects.exclude(status=CANCELLED)
    return {
        "événements": sum(kinds.values()),
        "webinaires": kinds.get(Event.Kind.WEBINAR, 0),
        "journées régionales": kinds.get(Event.Kind.REGIONAL_DAY, 0),
        "visites de site": kinds.get(Event.Kind.SITE_VISIT, 0),
        "réunions de groupes de travail": kinds.get(Event.Kind.WORKING_GROUP, 0),
        "rencontres avec les élu·es": kinds.get(Event.Kind.ELECTED_MEETING, 0),
        "ateliers départementaux": kinds.get(Event.Kind.DEPARTMENTAL, 0),
        "groupes de travail": WorkingGroup.objects.count(),
        "inscriptions": active.count(),
        "inscriptions en liste d'attente": active.filter(status=WAITLISTED).count(),
        "présences": Registration.objects.filter(attended=True).count(),
        "invité·es inscrit·es": active.filter(person__isnull=True).count(),
        "invitations d'invité·es": GuestInvitation.objects.count(),
        "avis": Feedback.objects.count(),
    }
