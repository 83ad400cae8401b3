"""Demo data of the register: schemes, coordination posts, tenures, coordinators, handover files.

`seed_register` loads a realistic register (SPEC §1): 82 CLS, 69 CLSM and 67 ASV over the 8
départements, about 200 posts of which about 20 vacant and 6 of unknown status today, and the
tenure histories (about 18 arrivals a year) that the turnover figures are computed from.

The whole register is first planned in memory from `random.Random(2026)` and the real communes,
then written with bulk operations that follow the rules of `services.py` (a post's schemes are in
one département, tenures of a post never overlap, one open tenure per post, no tenure outside the
life of its post, every post has a handover file, every person who held a post has an approved
profile). Everything is looked up by a natural key before it is created: schemes by type and
name, posts by their set of schemes, people by e-mail, and a post's history is only written when
the post has no tenure yet. Running it twice, even on another day, changes nothing.

The geography (which communes, which carriers, which posts) is drawn before any date, so that it
does not depend on `today`; dates are then drawn relative to `today`.
"""

import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coordinators.models import (
    Background,
    CoordinatorProfile,
    HandoverFile,
    Post,
    Scheme,
    Tenure,
    Topic,
)
from coordinators.selectors import turnover_figures
from territories.models import Commune

SEED = 2026
EMAIL_DOMAIN = "exemple-coordination.fr"
DEPARTMENTS = ["75", "77", "78", "91", "92", "93", "94", "95"]

# Schemes per département and type: more where the priority neighbourhoods are (93, 95, 94, 91).
SCHEME_COUNTS = {
    Scheme.Kind.CLS: {"75": 6, "77": 9, "78": 9, "91": 11, "92": 8, "93": 16, "94": 11, "95": 12},
    Scheme.Kind.CLSM: {"75": 5, "77": 6, "78": 7, "91": 9, "92": 8, "93": 14, "94": 10, "95": 10},
    Scheme.Kind.ASV: {"75": 6, "77": 5, "78": 7, "91": 9, "92": 6, "93": 16, "94": 8, "95": 10},
}
KIND_ORDER = [Scheme.Kind.CLS, Scheme.Kind.CLSM, Scheme.Kind.ASV]
# How many schemes of each type an intercommunality carries (over several communes).
INTERCOMMUNAL = {Scheme.Kind.CLS: 8, Scheme.Kind.CLSM: 4, Scheme.Kind.ASV: 2}
ENDED_PER_KIND = 2
# Posts covering two schemes of one commune (besides the Saint-Denis demo post).
PAIRS = [(Scheme.Kind.ASV, Scheme.Kind.CLS)] * 9 + [(Scheme.Kind.CLS, Scheme.Kind.CLSM)] * 2
VACANT_TODAY = 20
UNKNOWN_TODAY = 6

SAINT_DENIS, SARCELLES = "93066", "95585"
NEW_DEMO = "coordinatrice@demo.example.org"
EXPERIENCED_DEMO = "coordinateur@demo.example.org"

# First signature of a scheme: most signed in the first wave (2010–2015).
SIGNATURE_YEARS = {
    2010: 12, 2011: 13, 2012: 13, 2013: 12, 2014: 10, 2015: 8, 2016: 4, 2017: 4,
    2018: 3, 2019: 3, 2020: 2, 2021: 2, 2022: 2, 2023: 2, 2024: 2,
}  # fmt: skip

HOSPITALS = {
    "75": "GHU Paris psychiatrie & neurosciences",
    "77": "Grand hôpital de l'Est francilien",
    "78": "Centre hospitalier Théophile Roussel",
    "91": "Établissement public de santé Barthélemy Durand",
    "92": "Établissement public de santé Erasme",
    "93": "Établissement public de santé de Ville-Évrard",
    "94": "Groupe hospitalier Paul Guiraud",
    "95": "Centre hospitalier Roger Prévot",
}
INTERCO_PREFIXES = {
    "CA": "Communauté d'agglomération",
    "CC": "Communauté de communes",
    "CU": "Communauté urbaine",
    "EPT": "Établissement public territorial",
}

# A few priority neighbourhoods (QPV), by commune.
QPV = {
    "93066": ["Quartier des Francs-Moisins", "Floréal – La Saussaie – La Courtille", "Cosmonautes"],
    "95585": ["Les Lochères", "Rosiers – Chantepie"],
    "93001": ["Villette – Quatre-Chemins", "Landy – Pressensé"],
    "93027": ["Les 4000", "Quartier de la Gare"],
    "93071": ["Les Beaudottes", "Rougemont", "Pont-Blanc"],
    "93005": ["La Rose des Vents", "Les Étangs"],
    "93008": ["L'Abreuvoir – Salvador Allende", "Karl Marx"],
    "93031": ["La Source – Les Presles", "Orgemont"],
    "93072": ["Le Clos Saint-Lazare", "Moulin Neuf"],
    "93048": ["Le Bel-Air – Grands-Pêchers", "La Boissière"],
    "93010": ["Blanqui – Mainguy", "La Sablière"],
    "95018": ["Val-d'Argent Nord", "Val-d'Argent Sud"],
    "95268": ["La Muette", "Dame Blanche Nord"],
    "95680": ["Derrière-les-Murs-de-Monseigneur", "Puits-la-Marlière"],
    "95127": ["Axe Majeur – Horloge", "Les Touleuses"],
    "91286": ["Grigny 2", "La Grande Borne"],
    "91228": ["Les Pyramides", "Le Canal"],
    "91174": ["Les Tarterêts", "Montconseil"],
    "78361": ["Le Val Fourré"],
    "78440": ["Les Musiciens", "Cinq Quartiers"],
    "78621": ["Les Merisiers – Plaine de Neauphle"],
    "94028": ["Le Mont-Mesly", "Les Bleuets – Bordières"],
    "94017": ["Bois-l'Abbé"],
    "94081": ["Balzac", "Commune de Paris – 8 Mai 1945"],
    "92050": ["Le Parc Nord", "Petit-Nanterre"],
    "92036": ["Le Luth", "Les Agnettes"],
    "77284": ["Beauval – Collinet"],
    "77288": ["Montaigu", "Schuman"],
    "75118": ["Goutte d'Or", "La Chapelle – Évangile"],
    "75119": ["Flandre", "Danube – Solidarité – Marseillaise"],
    "75120": ["Belleville – Amandiers", "Porte de Montreuil"],
    "75113": ["Chevaleret – Oudiné", "Villa d'Este – Place de Vénétie"],
}

BACKGROUNDS = [
    "Infirmier·e",
    "Psychologue",
    "Santé publique",
    "Santé environnementale",
    "Administration publique",
    "Science politique",
    "Travail social et éducatif",
    "Reconversion professionnelle",
    "Autre",
]
# Like the interviews: varied backgrounds, few trained in public health.
BACKGROUND_WEIGHTS = [11, 11, 6, 12, 17, 15, 17, 8, 3]
TOPICS = [
    "Santé mentale",
    "Accès aux droits et aux soins",
    "Nutrition et activité physique",
    "Santé environnementale",
    "Santé des jeunes",
    "Santé sexuelle",
    "Addictions",
    "Vieillissement",
    "Périnatalité et petite enfance",
    "Participation des habitants",
    "Diagnostic local de santé",
    "Violences et santé",
]
END_REASONS = [
    (Tenure.EndReason.LEFT, 40),
    (Tenure.EndReason.CONTRACT_END, 24),
    (Tenure.EndReason.OTHER_POST, 16),
    (Tenure.EndReason.LONG_LEAVE, 5),
    (Tenure.EndReason.RETIREMENT, 5),
    (Tenure.EndReason.OTHER, 10),
]


def _words(text):
    return text.split()


FEMALE_NAMES = _words(
    "Camille Léa Manon Chloé Sarah Inès Julie Marie Laura Émilie Claire Aurélie Caroline Nadia "
    "Fatoumata Aïcha Mariam Yasmine Samira Leïla Sophie Hélène Anne Céline Élodie Mathilde "
    "Pauline Charlotte Lucie Clémence Amandine Audrey Sandrine Karima Nora Sabrina Fanny Marion "
    "Justine Margaux Alice Louise Salomé Anaïs Delphine Isabelle Stéphanie Véronique Djeneba "
    "Kadiatou Hawa Linh Tatiana Elena Ana Sofia Myriam Rachida Zineb Imane Ophélie Agathe Coralie "
    "Estelle Morgane Nathalie Lina Maëlle Cécile Noémie Amina Sonia"
)
MALE_NAMES = _words(
    "Thomas Nicolas Mehdi Karim Yacine Samir Antoine Maxime Romain Guillaume Sébastien Mamadou "
    "Moussa Ibrahim Olivier Pierre Paul Hugo Lucas Vincent Benoît Florian Jérôme Rachid Omar "
    "Bilal David Éric François Alexandre Simon Adrien Cédric Fabien Youssef Arnaud"
)
LAST_NAMES = _words(
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Simon Laurent Lefebvre Michel "
    "Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Dupont Bonnet "
    "Martinez Legrand Faure Rousseau Blanc Guérin Muller Henry Roussel Perrin Morin Mathieu "
    "Clément Gauthier Dumont Lopez Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer "
    "Denis Lemaire Duval Joly Roche Roy Noël Meyer Meunier Perez Marchand Dufour Blanchard Barbier "
    "Brun Dumas Brunet Schmitt Leroux Colin Fernandez Renard Arnaud Rolland Caron Aubert Giraud "
    "Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard Lacroix Fabre Dupuis Hubert Rivière "
    "Le-Gall Adam Rey Moulin Gonzalez Berger Lecomte Ménard Fleury Deschamps Carpentier Maillard "
    "Aubry Vasseur Le-Roux Prévost Poirier Charpentier Huet Baron Dupuy Pons Carré Breton Rémy "
    "Schneider Perrot Guyot Marty Cousin Traoré Koné Camara Diop Ndiaye Sy Cissé Keïta Touré "
    "Haddad Belkacem Bouzid Amrani Chérif Hamidi Mansouri Saïdi Khelifi Ouali Tran Pham Chen Wang "
    "Ferreira Pereira Santos Da-Silva Rodrigues Kaya Yilmaz Kowalski Nowak Mendy Gomes Bensaïd"
)

HELP_WITH = [
    "Monter un diagnostic local de santé avec les habitants.",
    "Animer un comité de pilotage avec les élus et l'ARS.",
    "Rédiger et renouveler un contrat local de santé.",
    "Mettre en place une cellule de concertation des situations complexes en santé mentale.",
    "Mobiliser les bailleurs sociaux sur l'habitat indigne.",
    "Lancer un groupe de travail sur l'accès aux droits.",
    "Travailler avec les médiateurs et médiatrices en santé.",
    "Organiser les Semaines d'information sur la santé mentale (SISM).",
    "Répondre à un appel à projets de l'ARS.",
    "Évaluer un plan d'action avec des indicateurs simples.",
]
LOOKING_FOR = [
    "Des exemples de fiches actions sur la nutrition des enfants.",
    "Échanger avec des pairs sur la place du coordinateur face aux élus.",
    "Un ou une tutrice pour ma première année.",
    "Des outils pour faire participer les habitants.",
    "Des retours d'expérience sur le renouvellement d'un CLS.",
    "Comprendre les financements de la politique de la ville.",
    "Des contacts en santé environnementale dans mon département.",
]
NEEDS_ENVIRONMENT = [
    "Faire reconnaître la promotion de la santé auprès de ma hiérarchie, qui la voit surtout "
    "sous l'angle médical.",
    "Mieux associer l'élu à la santé, qui change souvent d'interlocuteur.",
    "Être identifiée par les autres services de la ville (urbanisme, éducation, CCAS).",
]
NEEDS_SKILLS = [
    "Méthodologie de projet et évaluation.",
    "Plaidoyer : savoir présenter la démarche aux élus.",
    "Animation de réunions partenariales.",
    "Les concepts de la promotion de la santé (déterminants, universalisme proportionné).",
]
NEEDS_PEERS = [
    "Des échanges réguliers avec les coordinateurs du département.",
    "Un groupe de pairs pour ne plus travailler seule.",
    "Visiter un autre dispositif pour voir comment il fonctionne.",
]
DIRECTORY_CHOICES = ["email", "job", "background", "seniority", "topics", "can_help_with"]


# --- The plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneInfo:
    code: str
    name: str
    department: str
    population: int
    interco: tuple | None  # (siren, name, kind) of its EPT or EPCI, the Métropole excepted


@dataclass(eq=False)
class PlannedScheme:
    kind: str
    name: str
    department: str
    communes: list
    carrier_name: str
    carrier_kind: str
    main: CommuneInfo
    status: str = Scheme.Status.ACTIVE
    signed_on: date | None = None
    ends_on: date | None = None
    qpv_names: str = ""

    @property
    def key(self):
        return (self.kind, self.name)


@dataclass(eq=False)
class PlannedPerson:
    email: str
    first_name: str
    last_name: str
    feminine: bool
    background: str = ""
    diploma_level: str = ""


@dataclass(eq=False)
class PlannedTenure:
    person: PlannedPerson
    started_on: date
    ended_on: date | None = None
    end_reason: str = ""


@dataclass(eq=False)
class PlannedPost:
    schemes: list
    fte: Decimal = Decimal("1.00")
    opened_on: date | None = None
    closed_on: date | None = None
    state: str = "filled"  # today: filled, vacant or unknown (closed posts: "closed")
    status_unknown: bool = False
    tenures: list = field(default_factory=list)  # oldest first
    handover: dict | None = None
    handover_author: PlannedTenure | None = None
    handover_written_on: date | None = None
    demo: str = ""  # the e-mail of the demo coordinator who holds it

    @property
    def key(self):
        return frozenset(s.key for s in self.schemes)

    @property
    def main(self):
        return self.schemes[0].main


def _fold(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text.lower() if c.isalnum() or c == "-")


def _of(name):
    """'de Saint-Denis', "d'Aubervilliers", 'du Blanc-Mesnil', 'des Lilas'."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if _fold(name[0]) in "aeiouy" or name.startswith("L'"):
        return "d'" + name if not name.startswith("L'") else "de " + name
    return "de " + name


def _arrondissement(code):
    number = int(code[-2:])
    return "1er" if number == 1 else f"{number}e"


def _commune_label(commune):
    if commune.code.startswith("751"):
        return f"Paris {_arrondissement(commune.code)}"
    return commune.name


def _weighted_sample(rng, items, weights, k):
    """k distinct items, drawn with probability proportional to weight (Efraimidis–Spirakis)."""
    keyed = sorted(
        ((math.log(1 - rng.random()) / w, i) for i, w in enumerate(weights)), reverse=True
    )
    return [items[i] for _, i in keyed[:k]]


def _interco_names(interco):
    """(carrier name, short name for a scheme) of an intercommunality."""
    _siren, name, kind = interco
    short = name.split(" (")[0]
    if kind != "EPT":
        short = short[len(kind) + 1 :]
    if short.startswith("Communauté "):
        return short, short
    return f"{INTERCO_PREFIXES[kind]} {short}", short


def _plan_schemes(rng, communes):
    """Which communes have which scheme, carried by whom (no dates yet)."""
    by_department = {code: [] for code in DEPARTMENTS}
    for commune in communes:
        by_department[commune.department].append(commune)
    forced = {
        Scheme.Kind.CLS: {SAINT_DENIS},
        Scheme.Kind.ASV: {SAINT_DENIS},
        Scheme.Kind.CLSM: {SARCELLES},
    }
    chosen = {}  # kind -> [CommuneInfo]
    for kind in KIND_ORDER:
        chosen[kind] = []
        for code in DEPARTMENTS:
            pool = sorted(by_department[code], key=lambda c: (-c.population, c.code))[:45]
            count = SCHEME_COUNTS[kind][code]
            picked = [c for c in pool if c.code in forced[kind]]
            rest = [c for c in pool if c.code not in forced[kind]]
            cls_codes = {c.code for c in chosen.get(Scheme.Kind.CLS, [])}
            weights = [
                c.population**0.9 * (2.5 if kind == Scheme.Kind.ASV and c.code in cls_codes else 1)
                for c in rest
            ]
            picked += _weighted_sample(rng, rest, weights, count - len(picked))
            chosen[kind] += sorted(picked, key=lambda c: c.code)

    # Some schemes are carried by an intercommunality and cover a few more of its communes.
    all_forced = {SAINT_DENIS, SARCELLES}
    covered = {kind: {c.code for c in chosen[kind]} for kind in KIND_ORDER}
    members = {}
    for commune in communes:
        if commune.interco:
            members.setdefault(commune.interco, []).append(commune)
    schemes = []
    for kind in KIND_ORDER:
        candidates = [
            c
            for c in chosen[kind]
            if c.interco and c.code not in all_forced and c.department != "75"
        ]
        rng.shuffle(candidates)
        intercommunal, used = {}, set()
        for commune in candidates:
            if len(intercommunal) == INTERCOMMUNAL[kind]:
                break
            if commune.interco in used:
                continue
            others = [
                m
                for m in members[commune.interco]
                if m.department == commune.department and m.code not in covered[kind]
            ]
            if not others:
                continue
            others = sorted(others, key=lambda c: (-c.population, c.code))[:6]
            extra = rng.sample(others, min(len(others), rng.randint(1, 3)))
            covered[kind].update(c.code for c in extra)
            used.add(commune.interco)
            intercommunal[commune.code] = extra
        for commune in chosen[kind]:
            if commune.code in intercommunal:
                carrier, short = _interco_names(commune.interco)
                scheme = PlannedScheme(
                    kind=kind,
                    name=f"{kind} intercommunal {short}",
                    department=commune.department,
                    communes=[commune, *sorted(intercommunal[commune.code], key=lambda c: c.code)],
                    carrier_name=carrier,
                    carrier_kind=Scheme.CarrierKind.INTERCOMMUNALITY,
                    main=commune,
                )
            else:
                scheme = PlannedScheme(
                    kind=kind,
                    name=f"{kind} {_commune_label(commune)}"
                    if commune.code.startswith("751")
                    else f"{kind} {_of(commune.name)}",
                    department=commune.department,
                    communes=[commune],
                    carrier_name="",
                    carrier_kind=Scheme.CarrierKind.COMMUNE,
                    main=commune,
                )
                _pick_carrier(rng, scheme, forced=commune.code in all_forced)
            if commune.code in QPV and (kind != Scheme.Kind.CLSM or rng.random() < 0.3):
                scheme.qpv_names = "\n".join(QPV[commune.code])
            schemes.append(scheme)
    return schemes


def _pick_carrier(rng, scheme, *, forced):
    commune = scheme.main
    town = "Ville de Paris" if commune.code.startswith("751") else f"Ville {_of(commune.name)}"
    roll = 1.0 if forced else rng.random()
    kind, name = Scheme.CarrierKind.COMMUNE, town
    if scheme.kind == Scheme.Kind.CLSM:
        if roll < 0.16:
            kind, name = Scheme.CarrierKind.HOSPITAL, HOSPITALS[commune.department]
        elif roll < 0.26:
            kind, name = Scheme.CarrierKind.CCAS, f"CCAS {_of(commune.name)}"
    elif scheme.kind == Scheme.Kind.ASV:
        if roll < 0.10:
            kind, name = Scheme.CarrierKind.CCAS, f"CCAS {_of(commune.name)}"
        elif roll < 0.14:
            kind = Scheme.CarrierKind.OTHER
            name = f"Association Santé et Quartiers {_of(commune.name)}"
    elif roll < 0.06:
        kind, name = Scheme.CarrierKind.CCAS, f"CCAS {_of(commune.name)}"
    if commune.code.startswith("751") and kind == Scheme.CarrierKind.CCAS:
        kind, name = Scheme.CarrierKind.COMMUNE, town
    scheme.carrier_kind, scheme.carrier_name = kind, name


def _plan_posts(rng, schemes):
    """One post per scheme, except a few posts covering two schemes of one commune."""
    by_key = {(s.kind, s.main.code): s for s in schemes}
    single = {
        s.key
        for s in schemes
        if s.carrier_kind != Scheme.CarrierKind.INTERCOMMUNALITY
        and (s.kind, s.main.code) != (Scheme.Kind.CLSM, SARCELLES)
    }
    demo_pair = [by_key[(Scheme.Kind.CLS, SAINT_DENIS)], by_key[(Scheme.Kind.ASV, SAINT_DENIS)]]
    paired = {s.key for s in demo_pair}
    posts = [PlannedPost(schemes=demo_pair, demo=NEW_DEMO)]
    for first, second in PAIRS:
        candidates = sorted(
            code
            for (kind, code), s in by_key.items()
            if kind == first
            and s.key in single - paired
            and (second, code) in by_key
            and by_key[(second, code)].key in single - paired
        )
        code = rng.choice(candidates)
        pair = [by_key[(first, code)], by_key[(second, code)]]
        paired.update(s.key for s in pair)
        posts.append(PlannedPost(schemes=pair))
    posts += [PlannedPost(schemes=[s]) for s in schemes if s.key not in paired]
    for post in posts:
        if [(s.kind, s.main.code) for s in post.schemes] == [(Scheme.Kind.CLSM, SARCELLES)]:
            post.demo = EXPERIENCED_DEMO
    for post in posts:
        if len(post.schemes) > 1:
            post.fte = Decimal(rng.choice(["1.00", "1.00", "1.00", "0.80"]))
        else:
            post.fte = Decimal(rng.choices(["0.50", "0.60", "0.80", "1.00"], [18, 10, 22, 50])[0])
    return posts


def _day_in(rng, start, end):
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _plan_scheme_dates(rng, schemes, posts, today):
    """Signature and renewal dates and status; two schemes of each type have ended."""
    years, weights = zip(*SIGNATURE_YEARS.items(), strict=True)
    for scheme in schemes:
        year = rng.choices(years, weights)[0]
        scheme.signed_on = min(_day_in(rng, date(year, 1, 10), date(year, 12, 15)), today)
    by_commune = {(s.kind, s.main.code): s for s in schemes}
    by_commune[(Scheme.Kind.CLS, SAINT_DENIS)].signed_on = date(2012, 3, 14)
    by_commune[(Scheme.Kind.ASV, SAINT_DENIS)].signed_on = date(2010, 6, 22)
    by_commune[(Scheme.Kind.CLSM, SARCELLES)].signed_on = date(2014, 5, 20)

    single = [p.schemes[0] for p in posts if len(p.schemes) == 1 and not p.demo]
    for kind in KIND_ORDER:
        candidates = [s for s in single if s.kind == kind]
        for scheme in rng.sample(candidates, ENDED_PER_KIND):
            scheme.status = Scheme.Status.ENDED
            scheme.signed_on = _day_in(rng, date(2010, 1, 10), date(2013, 12, 15))
            scheme.ends_on = _day_in(rng, date(2018, 6, 1), date(2024, 12, 31))

    renewal_floor = today - timedelta(days=240)
    for scheme in schemes:
        if scheme.status == Scheme.Status.ENDED:
            continue
        if scheme.kind == Scheme.Kind.CLS:  # 5-year contracts, renewed
            ends_on = _add_years(scheme.signed_on, 5)
            while ends_on < renewal_floor:
                ends_on = _add_years(ends_on, 5)
            scheme.ends_on = ends_on
            if ends_on < today or (ends_on < today + timedelta(days=100) and rng.random() < 0.5):
                scheme.status = Scheme.Status.RENEWING
        elif scheme.kind == Scheme.Kind.CLSM:  # a convention renewed every 3 years, or none
            if rng.random() < 0.55:
                ends_on = _add_years(scheme.signed_on, 3)
                while ends_on < today - timedelta(days=120):
                    ends_on = _add_years(ends_on, 3)
                scheme.ends_on = ends_on
                if ends_on < today:
                    scheme.status = Scheme.Status.RENEWING
        elif rng.random() < 0.8:  # ASV: the contrat de ville « Quartiers 2030 »
            scheme.ends_on = date(2030, 12, 31)
        if scheme.ends_on and scheme.ends_on < scheme.signed_on:
            scheme.ends_on = None


class _People:
    """Deterministic French names and unique e-mails of the example domain."""

    def __init__(self, rng):
        self.rng = rng
        self.emails = set()

    def new(self, *, feminine=None):
        rng = self.rng
        if feminine is None:
            feminine = rng.random() < 0.76
        first = rng.choice(FEMALE_NAMES if feminine else MALE_NAMES)
        last = rng.choice(LAST_NAMES).replace("-", " ")
        base = f"{_fold(first)}.{_fold(last.replace(' ', '-'))}"
        email, number = f"{base}@{EMAIL_DOMAIN}", 1
        while email in self.emails:
            number += 1
            email = f"{base}{number}@{EMAIL_DOMAIN}"
        self.emails.add(email)
        background = rng.choices(BACKGROUNDS, BACKGROUND_WEIGHTS)[0]
        if background == "Infirmier·e":
            diploma = rng.choice(["bac+3", "bac+5", "bac+5"])
        elif background == "Reconversion professionnelle":
            diploma = rng.choice(["bac+2", "bac+3", "bac+5", "other"])
        else:
            diploma = rng.choices(["bac+3", "bac+5", "bac+8"], [12, 82, 6])[0]
        return PlannedPerson(email, first, last, feminine, background, diploma)


def _reason(rng):
    reasons, weights = zip(*END_REASONS, strict=True)
    return rng.choices(reasons, weights)[0]


def _gap(rng):
    """Vacancy between two coordinators: a few weeks to many months."""
    if rng.random() < 0.6:
        return timedelta(days=rng.randint(15, 110))
    return timedelta(days=rng.randint(111, 420))


def _past_length(rng):
    """Length of a finished tenure."""
    if rng.random() < 0.12:
        return timedelta(days=rng.randint(120, 540))  # left within months
    return timedelta(days=int(rng.triangular(800, 5200, 3600)))


def _chain(rng, people, post, *, end):
    """Tenures of `post` before `end` (oldest first): `end` is the day the last one ended."""
    tenures = []
    cursor = end
    opened = post.opened_on
    while True:
        start = cursor - _past_length(rng)
        if start <= opened + timedelta(days=150):
            start = opened + timedelta(days=rng.randint(0, 100))
            if start >= cursor:
                break
            tenures.append(PlannedTenure(people.new(), start, cursor, _reason(rng)))
            break
        tenures.append(PlannedTenure(people.new(), start, cursor, _reason(rng)))
        cursor = start - _gap(rng)
        if cursor <= opened + timedelta(days=60):
            break
    tenures.reverse()
    return tenures


def _current_start(rng, post, today):
    """When today's holder of a filled post arrived: many this year, some long ago."""
    opened = post.opened_on
    roll = rng.random()
    if roll < 0.40:
        start = today - timedelta(days=rng.randint(12, 355))
    elif roll < 0.66:
        start = today - timedelta(days=rng.randint(380, 4 * 365))
    elif roll < 0.74:
        start = _day_in(rng, opened, today - timedelta(days=4 * 365 + 30))
    else:  # in post since the post was created
        start = opened
    if start < opened + timedelta(days=120):
        start = min(opened + timedelta(days=rng.randint(0, 100)), today - timedelta(days=12))
    return max(start, opened)


def _plan_tenures(rng, posts, today):
    people = _People(rng)
    for post in posts:
        post.opened_on = min(s.signed_on for s in post.schemes)
        ended = [s for s in post.schemes if s.status == Scheme.Status.ENDED]
        if ended:
            post.closed_on = ended[0].ends_on
            post.state = "closed"

    open_posts = [p for p in posts if p.state != "closed"]
    demo = [p for p in open_posts if p.demo]
    others = [p for p in open_posts if not p.demo]
    picked = rng.sample(others, VACANT_TODAY + UNKNOWN_TODAY)
    for post in picked[:VACANT_TODAY]:
        post.state = "vacant"
    for post in picked[VACANT_TODAY:]:
        post.state, post.status_unknown = "unknown", True

    for post in posts:
        if post.demo:
            continue
        if post.state == "closed":
            post.tenures = _chain(rng, people, post, end=post.closed_on)
            if post.tenures:
                post.tenures[-1].end_reason = Tenure.EndReason.POST_REMOVED
        elif post.state == "vacant":
            roll = rng.random()
            days = (
                rng.randint(20, 90)
                if roll < 0.4
                else rng.randint(91, 300)
                if roll < 0.85
                else rng.randint(301, 620)
            )
            post.tenures = _chain(rng, people, post, end=today - timedelta(days=days))
        elif post.state == "unknown" and rng.random() < 0.5:
            days = rng.randint(300, 900)
            post.tenures = _chain(rng, people, post, end=today - timedelta(days=days))
        else:  # filled, or unknown with a holder nobody has heard of for a while
            if post.state == "unknown":
                start = _day_in(rng, max(post.opened_on, date(2017, 1, 1)), date(2021, 12, 31))
            else:
                start = _current_start(rng, post, today)
            current = PlannedTenure(people.new(), start)
            post.tenures = [*_chain(rng, people, post, end=start - _gap(rng)), current]
    _plan_demo_posts(rng, people, demo, today)
    _plan_moves(rng, posts, today)
    return people


def _plan_demo_posts(rng, people, demo, today):
    for post in demo:
        if post.demo == NEW_DEMO:
            newcomer = PlannedTenure(
                PlannedPerson(NEW_DEMO, "Awa", "Diallo", True, "Science politique", "bac+5"),
                today - timedelta(days=92),
            )
            previous = PlannedTenure(
                people.new(feminine=True),
                date(2019, 4, 1),
                newcomer.started_on - timedelta(days=68),
                Tenure.EndReason.LEFT,
            )
            first = PlannedTenure(
                people.new(), date(2010, 9, 1), date(2018, 12, 21), Tenure.EndReason.LEFT
            )
            post.tenures = [first, previous, newcomer]
            post.handover, post.handover_author = _saint_denis_handover(), previous
            post.handover_written_on = previous.ended_on - timedelta(days=9)
        else:
            experienced = PlannedTenure(
                PlannedPerson(EXPERIENCED_DEMO, "Julien", "Moreau", False, "Psychologue", "bac+5"),
                date(2016, 9, 5),
            )
            first = PlannedTenure(
                people.new(), date(2014, 9, 15), date(2016, 6, 30), Tenure.EndReason.CONTRACT_END
            )
            post.tenures = [first, experienced]
            post.handover, post.handover_author = _sarcelles_handover(), experienced
            post.handover_written_on = today - timedelta(days=23)


def _plan_moves(rng, posts, today, count=10):
    """A few coordinators leave a post and take another one later in the same département."""
    demo_emails = {NEW_DEMO, EXPERIENCED_DEMO}
    held = {}  # e-mail -> [(start, end)]
    for post in posts:
        for tenure in post.tenures:
            held.setdefault(tenure.person.email, []).append(
                (tenure.started_on, tenure.ended_on or date.max)
            )
    finished = [
        (t, p)
        for p in posts
        for t in p.tenures
        if t.ended_on
        and t.end_reason == Tenure.EndReason.LEFT
        and t.person.email not in demo_emails
    ]
    arrivals = [  # replaced people whose only post this is; today's newcomers stay newcomers
        (t, p)
        for p in posts
        for i, t in enumerate(p.tenures)
        if i > 0
        and len(held[t.person.email]) == 1
        and t.person.email not in demo_emails
        and t.started_on < today - timedelta(days=400)
    ]
    rng.shuffle(finished)
    taken, moved = set(), 0
    for left, old_post in finished:
        if moved == count:
            break
        for arrival, new_post in arrivals:
            gap = arrival.started_on - left.ended_on
            end = arrival.ended_on or date.max
            if (
                id(arrival) in taken
                or new_post is old_post
                or new_post.schemes[0].department != old_post.schemes[0].department
                or not timedelta(days=20) <= gap <= timedelta(days=240)
                or any(s < end and arrival.started_on < e for s, e in held[left.person.email])
            ):
                continue
            held.pop(arrival.person.email, None)
            arrival.person = left.person
            held[left.person.email].append((arrival.started_on, end))
            taken.add(id(arrival))
            moved += 1
            break


def _handover_texts(post):
    scheme = post.schemes[0]
    kinds = " et ".join(s.kind for s in post.schemes)
    mental_health = scheme.kind == Scheme.Kind.CLSM
    partners = [
        f"{scheme.carrier_name} : direction de la santé, cabinet de l'élu·e à la santé",
        f"ARS — délégation départementale : référent·e {kinds}",
        "CMP adultes et enfants du secteur, UNAFAM, groupe d'entraide mutuelle"
        if mental_health
        else "CPTS du territoire, centre municipal de santé, CPAM (accès aux droits)",
        "Centres sociaux, bailleurs sociaux, associations d'habitants des QPV",
    ]
    steering = (
        "Assemblée plénière annuelle présidée par l'élu·e, avec le secteur de psychiatrie.\n"
        "Cellule de concertation des situations complexes : tous les mois."
        if mental_health
        else f"Comité de pilotage ({kinds}) : une fois par an, avec l'élu·e et l'ARS.\n"
        "Comité technique : tous les trimestres avec les partenaires opérationnels."
    )
    action_plan = (
        "Axe 1 — Situations complexes et accès aux soins psychiques\n"
        "Axe 2 — Déstigmatisation (SISM)\nAxe 3 — Logement et santé mentale"
        if mental_health
        else "Axe 1 — Accès aux droits et aux soins\nAxe 2 — Santé mentale\n"
        "Axe 3 — Nutrition et activité physique"
    )
    return {
        "partners": "\n".join(partners),
        "steering": steering,
        "diagnosis": (
            "Diagnostic local de santé de 2019, actualisé en 2023 (volet quantitatif de l'ORS, "
            "volet qualitatif avec les habitants et les professionnels)."
        ),
        "action_plan": action_plan,
        "documents": "Contrat ou convention signés, diagnostic, comptes rendus : dossier partagé.",
        "ongoing_actions": (
            "Préparation des Semaines d'information sur la santé mentale."
            if mental_health
            else "Permanences d'accès aux droits ; ateliers nutrition dans les écoles."
        ),
        "tips": (
            "Prendre rendez-vous tôt avec l'élu·e à la santé.\n"
            "Le réseau des coordinateurs du département se réunit chaque trimestre : y aller."
        ),
    }


def _saint_denis_handover():
    return {
        "partners": (
            "Unité Santé publique de la ville : direction et équipe des centres municipaux de "
            "santé (CMS)\n"
            "ARS — délégation départementale de Seine-Saint-Denis : référente CLS\n"
            "Établissement public territorial Plaine Commune : politique de la ville\n"
            "CPAM 93 (accès aux droits) et PMI du Département\n"
            "Hôpital Delafontaine : service social et PASS\n"
            "Associations : Femmes relais, médiatrices en santé, Secours populaire\n"
            "Profession Banlieue (centre de ressources politique de la ville)"
        ),
        "steering": (
            "Comité de pilotage CLS : annuel, co-présidé par le maire et la directrice de la "
            "délégation départementale de l'ARS, avec la préfecture et la CPAM.\n"
            "Comité technique CLS-ASV : tous les deux mois.\n"
            "Groupes de travail ASV par quartier (Francs-Moisins, Floréal – Saussaie – Courtille)."
        ),
        "diagnosis": (
            "Diagnostic local de santé mis à jour en 2022 avec l'Observatoire régional de santé : "
            "renoncement aux soins élevé, diabète et obésité chez les enfants, souffrance "
            "psychique des jeunes, habitat dégradé (saturnisme, punaises de lit). Volet "
            "qualitatif : 14 groupes d'habitants dans les QPV."
        ),
        "action_plan": (
            "CLS 2023–2027, 4 axes : accès aux droits et aux soins ; santé mentale des jeunes ; "
            "nutrition et activité physique ; santé environnementale et habitat. L'ASV porte la "
            "participation des habitants dans les quartiers prioritaires."
        ),
        "documents": (
            "Contrat local de santé signé (PDF), diagnostic 2022, fiches actions, comptes rendus "
            "des comités de pilotage : espace partagé du service santé, dossier « CLS-ASV »."
        ),
        "ongoing_actions": (
            "Médiation en santé aux Francs-Moisins (2 médiatrices, bilan en juin)\n"
            "Ateliers « Bien manger à petit prix » avec les centres sociaux\n"
            "Préparation des Semaines d'information sur la santé mentale (mars)\n"
            "Bilan à mi-parcours du CLS à présenter au prochain comité de pilotage"
        ),
        "tips": (
            "Le poste couvre deux dispositifs : bloquer une demi-journée par semaine pour l'ASV, "
            "sinon le CLS prend tout le temps.\n"
            "Rencontrer l'élue à la santé dès le premier mois, puis le référent de l'ARS.\n"
            "Les médiatrices connaissent les habitants mieux que personne : commencer par elles.\n"
            "Demander la journée d'accueil des nouveaux coordinateurs à PromoSanté et la Boussole."
        ),
    }


def _sarcelles_handover():
    return {
        "partners": (
            "Secteur de psychiatrie adulte (CMP de Sarcelles) et inter-secteur de pédopsychiatrie "
            "(CMPP)\n"
            "UNAFAM Val-d'Oise (familles) et GEM « L'Entre-Temps » (usagers)\n"
            "Bailleurs sociaux du Grand Ensemble (Lochères)\n"
            "CCAS, police municipale, service logement de la ville\n"
            "Maison des adolescents du Val-d'Oise\n"
            "Pôle ressources ville et développement social (CRPV 95)"
        ),
        "steering": (
            "Assemblée plénière du CLSM : une fois par an, présidée par le maire, avec le chef de "
            "pôle de psychiatrie, l'ARS et les usagers.\n"
            "Comité de pilotage restreint : tous les trimestres.\n"
            "Cellule de concertation des situations complexes : chaque mois (secret partagé, "
            "charte signée par les membres)."
        ),
        "diagnosis": (
            "Diagnostic partagé de santé mentale réalisé en 2015 avec le CCOMS, mis à jour en "
            "2021 après la crise sanitaire : isolement des personnes âgées, troubles du "
            "voisinage, délais d'accès au CMP enfants (8 mois)."
        ),
        "action_plan": (
            "1. Cellule des situations complexes\n2. Formation des gardiens d'immeuble aux "
            "premiers secours en santé mentale\n3. Semaines d'information sur la santé mentale "
            "(SISM)\n4. Déstigmatisation au collège avec la Maison des adolescents"
        ),
        "documents": (
            "Convention constitutive du CLSM (2014), charte de la cellule, diagnostic 2021, "
            "rapports d'activité annuels."
        ),
        "ongoing_actions": (
            "Formation PSSM des gardiens : 3 sessions en cours avec les bailleurs\n"
            "Programme des SISM en préparation avec le GEM"
        ),
        "tips": (
            "Ne jamais présenter une situation nominative hors de la cellule.\n"
            "Le psychiatre chef de pôle est un allié : le voir avant chaque plénière.\n"
            "Les bailleurs viennent si l'ordre du jour parle de troubles du voisinage."
        ),
    }


def plan_register(communes, today):
    """The whole register, in memory: schemes, posts and their tenures."""
    rng = random.Random(SEED)
    schemes = _plan_schemes(rng, communes)
    posts = _plan_posts(rng, schemes)
    _plan_scheme_dates(rng, schemes, posts, today)
    _plan_tenures(rng, posts, today)
    _plan_more_handovers(rng, posts, today)
    return schemes, posts


def _plan_more_handovers(rng, posts, today, count=6):
    """A few more filled handover files, written by the holder or by the person who left."""
    candidates = [p for p in posts if p.handover is None and p.state != "closed" and p.tenures]
    for post in rng.sample(candidates, count):
        author = post.tenures[-1]
        if len(post.tenures) > 1 and rng.random() < 0.5:
            author = post.tenures[-2]
        post.handover_author = author
        post.handover = _handover_texts(post)
        written_on = (author.ended_on or today) - timedelta(days=rng.randint(3, 150))
        post.handover_written_on = max(written_on, author.started_on)


# --- Writing it ------------------------------------------------------------------------------


def _communes():
    infos = []
    queryset = Commune.objects.select_related("department", "ept", "epci").order_by("code_insee")
    for commune in queryset:
        if commune.code_insee == "75056" or not commune.population:
            continue
        interco = commune.ept or commune.epci
        if interco is not None and interco.kind == "METRO":
            interco = None
        infos.append(
            CommuneInfo(
                code=commune.code_insee,
                name=commune.name,
                department=commune.department.code,
                population=commune.population,
                interco=(interco.siren, interco.name, interco.kind) if interco else None,
            )
        )
    return infos


def _aware(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _job_title(person, post):
    kinds = [s.kind for s in post.schemes]
    noun = "Coordinatrice" if person.feminine else "Coordinateur"
    if len(kinds) > 1:
        return f"{noun} {' et '.join(sorted(kinds))}"
    if kinds[0] == Scheme.Kind.CLSM:
        return f"{noun} du conseil local de santé mentale"
    if kinds[0] == Scheme.Kind.ASV:
        return f"{noun} de l'Atelier santé ville"
    return f"{noun} du contrat local de santé"


@transaction.atomic
def seed_register(*, today=None):
    """Idempotent: running it twice changes nothing. Returns the counts of the register."""
    today = today or timezone.localdate()
    backgrounds = {}
    for position, name in enumerate(BACKGROUNDS):
        backgrounds[name], _ = Background.objects.get_or_create(
            name=name, defaults={"position": position}
        )
    topics = {name: Topic.objects.get_or_create(name=name)[0] for name in TOPICS}
    communes = {c.code_insee: c for c in Commune.objects.all()}
    schemes, posts = plan_register(_communes(), today)

    # Schemes, by type and name.
    existing = {(s.kind, s.name): s for s in Scheme.objects.all()}
    new_schemes = [s for s in schemes if s.key not in existing]
    created = Scheme.objects.bulk_create(
        [
            Scheme(
                kind=s.kind,
                name=s.name,
                department_id=communes[s.main.code].department_id,
                carrier_name=s.carrier_name,
                carrier_kind=s.carrier_kind,
                status=s.status,
                signed_on=s.signed_on,
                ends_on=s.ends_on,
                qpv_names=s.qpv_names,
            )
            for s in new_schemes
        ]
    )
    for scheme in created:
        existing[(scheme.kind, scheme.name)] = scheme
    Scheme.communes.through.objects.bulk_create(
        [
            Scheme.communes.through(scheme_id=existing[s.key].pk, commune_id=communes[c.code].pk)
            for s in new_schemes
            for c in s.communes
        ]
    )

    # Posts, by their set of schemes.
    key_of = {scheme.pk: key for key, scheme in existing.items()}
    existing_posts = {}
    for post in Post.objects.prefetch_related("schemes"):
        existing_posts.setdefault(frozenset(key_of[s.pk] for s in post.schemes.all()), post)
    new_posts = [p for p in posts if p.key not in existing_posts]
    for planned, post in zip(
        new_posts,
        Post.objects.bulk_create(
            [
                Post(
                    fte=p.fte,
                    opened_on=p.opened_on,
                    closed_on=p.closed_on,
                    status_unknown=p.status_unknown,
                )
                for p in new_posts
            ]
        ),
        strict=True,
    ):
        existing_posts[planned.key] = post
    Post.schemes.through.objects.bulk_create(
        [
            Post.schemes.through(post_id=existing_posts[p.key].pk, scheme_id=existing[s.key].pk)
            for p in new_posts
            for s in p.schemes
        ]
    )

    # Histories, only for posts that have none yet; people by e-mail.
    with_history = set(Tenure.objects.values_list("post_id", flat=True))
    to_write = [p for p in posts if existing_posts[p.key].pk not in with_history]
    written = {id(p) for p in to_write}
    planned_people, last_post = {}, {}  # e-mail -> person, (start, post) of their last tenure
    for post in to_write:
        for tenure in post.tenures:
            planned_people.setdefault(tenure.person.email, tenure.person)
            latest = last_post.get(tenure.person.email)
            if latest is None or latest[0] <= tenure.started_on:
                last_post[tenure.person.email] = (tenure.started_on, post)
    users = {u.email: u for u in User.objects.filter(email__in=list(planned_people))}
    password_rng = random.Random(SEED + 1)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    first_start = {}
    for post in to_write:
        for tenure in post.tenures:
            email = tenure.person.email
            first_start[email] = min(first_start.get(email, tenure.started_on), tenure.started_on)
    new_users = []
    for email, person in planned_people.items():
        if email in users:
            continue
        secret = "".join(password_rng.choice(alphabet) for _ in range(40))
        new_users.append(
            User(
                email=email,
                first_name=person.first_name,
                last_name=person.last_name,
                password=UNUSABLE_PASSWORD_PREFIX + secret,
                date_joined=_aware(first_start[email]),
            )
        )
    User.objects.bulk_create(new_users)
    users = {u.email: u for u in User.objects.filter(email__in=list(planned_people))}

    Tenure.objects.bulk_create(
        [
            Tenure(
                post=existing_posts[p.key],
                person=users[t.person.email],
                started_on=t.started_on,
                ended_on=t.ended_on,
                end_reason=t.end_reason,
            )
            for p in to_write
            for t in p.tenures
        ]
    )

    # Profiles: approved, as `post_arrival` makes them; the demo accounts keep theirs.
    profiles = {
        p.user_id: p for p in CoordinatorProfile.objects.filter(user__in=list(users.values()))
    }
    topic_rng = random.Random(SEED + 2)
    new_profiles, profile_topics = [], []
    for email, person in planned_people.items():
        user = users[email]
        _started, post = last_post[email]
        if user.pk in profiles:
            profile = profiles[user.pk]
            if profile.background_id is None and person.background:
                profile.background = backgrounds[person.background]
                profile.diploma_level = person.diploma_level
                profile.save(update_fields=["background", "diploma_level"])
            continue
        is_current = any(t.person.email == email and t.ended_on is None for t in post.tenures)
        profile = CoordinatorProfile(
            user=user,
            commune=communes[post.main.code],
            employer=post.schemes[0].carrier_name,
            job_title=_job_title(person, post),
            background=backgrounds[person.background],
            diploma_level=person.diploma_level,
            status=CoordinatorProfile.Status.APPROVED,
            reviewed_at=_aware(first_start[email], 10),
        )
        kinds = {s.kind for s in post.schemes}
        chosen = topic_rng.sample(TOPICS[1:], topic_rng.randint(1, 3))
        if Scheme.Kind.CLSM in kinds:
            chosen = ["Santé mentale", *chosen]
        if is_current:
            if (today - first_start[email]).days > 365:
                profile.can_help_with = topic_rng.choice(HELP_WITH)
            profile.looking_for = topic_rng.choice(LOOKING_FOR)
            profile.needs_environment = topic_rng.choice(NEEDS_ENVIRONMENT)
            profile.needs_skills = topic_rng.choice(NEEDS_SKILLS)
            profile.needs_peers = topic_rng.choice(NEEDS_PEERS)
            if topic_rng.random() < 0.6:
                profile.directory_fields = sorted(
                    topic_rng.sample(DIRECTORY_CHOICES, topic_rng.randint(2, 5))
                )
        new_profiles.append(profile)
        profile_topics.append((user.pk, chosen))
    CoordinatorProfile.objects.bulk_create(new_profiles)
    profile_ids = dict(
        CoordinatorProfile.objects.filter(user__in=list(users.values())).values_list(
            "user_id", "pk"
        )
    )
    CoordinatorProfile.topics.through.objects.bulk_create(
        [
            CoordinatorProfile.topics.through(
                coordinatorprofile_id=profile_ids[user_id], topic_id=topics[name].pk
            )
            for user_id, names in profile_topics
            for name in names
        ]
    )

    # Handover files: every post has one (as `post_save` makes them); a few are filled in.
    with_file = set(HandoverFile.objects.values_list("post_id", flat=True))
    files = []
    for planned in posts:
        post = existing_posts[planned.key]
        if post.pk in with_file:
            continue
        handover = HandoverFile(post=post)
        last = planned.tenures[-1] if planned.tenures else None
        if planned.handover and id(planned) in written:
            author = planned.handover_author
            for name, text in planned.handover.items():
                setattr(handover, name, text)
            handover.updated_at = _aware(planned.handover_written_on, 17)
            handover.updated_by_name = f"{author.person.first_name} {author.person.last_name}"
        elif last is not None and last.ended_on is not None and planned.state != "closed":
            handover.completion_requested_on = last.ended_on  # asked at departure
        files.append(handover)
    HandoverFile.objects.bulk_create(files)
    return register_counts(today)


def register_counts(today):
    """What the register holds on `today`, in the words of the other seed functions."""
    figures = turnover_figures(date(today.year, 1, 1), today)
    return {
        "dispositifs": Scheme.objects.count(),
        "postes": figures["posts"],
        "postes pourvus": figures["filled"],
        "postes vacants": figures["vacant"],
        "postes au statut inconnu": figures["unknown"],
        "prises de poste": Tenure.objects.count(),
        "coordinateur·rices (actuel·les et ancien·nes)": CoordinatorProfile.objects.filter(
            user__tenures__isnull=False
        )
        .distinct()
        .count(),
        "dossiers de passation remplis": HandoverFile.objects.exclude(updated_at=None).count(),
    }
