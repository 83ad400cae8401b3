"""People of the directory: one in post with a few calls, or thousands in a handful of queries."""

from datetime import date

from accounts.models import User
from competencies.models import Competency, CompetencyDomain
from coordinators.models import Background, CoordinatorProfile, Post, Scheme, Tenure, Topic
from demo.seed import refresh_planner_statistics
from network.models import PeerProfile
from territories.models import Commune, Department
from tests.factories import (
    CoordinatorProfileFactory,
    PostFactory,
    SchemeFactory,
    TenureFactory,
    UserFactory,
    commune,
)


def person_in_post(
    *,
    first_name="Camille",
    last_name="Martin",
    commune_code="93066",
    department_code="93",
    kind=Scheme.Kind.CLS,
    scheme_name=None,
    started_on=date(2020, 1, 1),
    shows=(),
    topics=(),
    **profile,
):
    """A coordinator holding a post of one scheme, who shows the fields `shows`."""
    user = UserFactory(first_name=first_name, last_name=last_name)
    profile = CoordinatorProfileFactory(
        user=user, commune=commune(commune_code), directory_fields=list(shows), **profile
    )
    profile.topics.set([Topic.objects.get_or_create(name=name)[0] for name in topics])
    scheme = SchemeFactory(
        kind=kind,
        department=Department.objects.get(code=department_code),
        commune_codes=[commune_code],
        **({"name": scheme_name} if scheme_name else {}),
    )
    TenureFactory(person=user, post=PostFactory(schemes=[scheme]), started_on=started_on)
    return profile


def background(name="Travail social"):
    return Background.objects.get_or_create(name=name)[0]


# Varied texts, as people write them: a search matches some, not all.
HELP = [
    "Le plaidoyer auprès des élus",
    "Monter un diagnostic local de santé avec les habitants",
    "Animer un comité de pilotage avec l'ARS",
    "Rédiger et renouveler un contrat local de santé",
    "Mobiliser les bailleurs sociaux sur l'habitat indigne",
    "Travailler avec les médiateurs en santé",
    "Organiser les Semaines d'information sur la santé mentale",
    "Répondre à un appel à projets",
    "Évaluer un plan d'action avec des indicateurs simples",
    "Lancer un groupe de travail sur l'accès aux droits",
]
LOOKING_FOR = [
    "Des retours sur la santé mentale",
    "Des outils pour faire participer les habitants",
    "Un ou une tutrice pour ma première année",
    "Des contacts en santé environnementale",
    "Comprendre les financements de la politique de la ville",
    "Des fiches actions sur la nutrition des enfants",
    "Échanger sur la place du coordinateur face aux élus",
]


def bulk_people(count, *, department_code="93"):
    """`count` coordinators in post (each on a scheme of their own) who show everything, with a
    topic, and offer and look for a competency and a topic: bulk inserts, a fraction of a
    second for thousands."""
    department = Department.objects.get(code=department_code)
    communes = list(Commune.objects.filter(department=department, kind="commune-actuelle")[:30])
    topic = Topic.objects.get_or_create(name="Santé mentale")[0]
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(
            email=f"masse{start + i}@exemple.fr",
            first_name=f"Prénom{start + i}",
            last_name=f"Nom{start + i}",
        )
        for i in range(count)
    )
    profiles = CoordinatorProfile.objects.bulk_create(
        CoordinatorProfile(
            user=user,
            commune=communes[i % len(communes)],
            status=CoordinatorProfile.Status.APPROVED,
            directory_fields=[key for key, _label in CoordinatorProfile.DIRECTORY_FIELDS],
            can_help_with=HELP[i % len(HELP)],
            looking_for=LOOKING_FOR[i % len(LOOKING_FOR)],
        )
        for i, user in enumerate(users)
    )
    CoordinatorProfile.topics.through.objects.bulk_create(
        CoordinatorProfile.topics.through(coordinatorprofile_id=p.pk, topic_id=topic.pk)
        for p in profiles
    )
    competency = Competency.objects.get_or_create(
        name="Plaidoyer des masses",
        defaults={
            "domain": CompetencyDomain.objects.get_or_create(name="Domaine des masses")[0],
            **dict.fromkeys(("level_1", "level_2", "level_3", "level_4"), "Niveau"),
        },
    )[0]
    peers = PeerProfile.objects.bulk_create(PeerProfile(person=user) for user in users)
    for name, item in (
        ("offered_competencies", competency),
        ("sought_competencies", competency),
        ("offered_topics", topic),
        ("sought_topics", topic),
    ):
        through = getattr(PeerProfile, name).through
        key = "competency_id" if name.endswith("competencies") else "topic_id"
        through.objects.bulk_create(
            through(peerprofile_id=peer.pk, **{key: item.pk}) for peer in peers
        )
    schemes = Scheme.objects.bulk_create(
        Scheme(
            kind=("ASV", "CLS", "CLSM")[i % 3],
            name=f"Dispositif {start + i}",
            department=department,
            carrier_name="Ville",
            carrier_kind="commune",
        )
        for i in range(count)
    )
    posts = Post.objects.bulk_create(Post(opened_on=date(2015, 1, 1)) for _ in schemes)
    Post.schemes.through.objects.bulk_create(
        Post.schemes.through(post_id=p.pk, scheme_id=s.pk)
        for p, s in zip(posts, schemes, strict=True)
    )
    Tenure.objects.bulk_create(
        Tenure(post=post, person=user, started_on=date(2016 + i % 9, 1, 1))
        for i, (post, user) in enumerate(zip(posts, users, strict=True))
    )
    refresh_planner_statistics()  # as after the demo's bulk load: no plan for empty tables
    return users
