"""A small demo-like world for the route matrix (`tests/test_routes.py`): the demo's
organisations and accounts, and one object of every kind a URL can point at.

Objects are chosen so that territory and ownership matter: `coordinator` (Val-d'Oise, the
experienced CLSM coordinator of the demo) owns what the URLs open (his post, its handover file,
his registrations, enrolment, claim, calendar feed…); `other_coordinator` (the Seine-Saint-Denis
newcomer) is a peer who owns none of it; the CRPV 95 organises the webinar and provides the offer;
the ARS DD 93 is a partner of another territory for all of it.
"""

import datetime
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Organisation
from agenda.models import CalendarFeed, GuestInvitation, Registration, WorkingGroup
from agenda.reminders import rules_seed_defaults
from coordinators.models import Background, HandoverFile, PostClaim, Scheme, Topic
from dashboards.services import narrative_save, report_open
from network.models.notes import ExperienceNote
from network.services.notes import note_attachment_add, note_publish, note_save
from network.services.questions import answer_add, question_ask
from notifications import preferences
from notifications.models import (
    Delivery,
    Preference,
    ReminderRule,
    Sequence,
    SequenceRun,
    SequenceStep,
)
from territories.models import Department

from .factories import (
    CoordinatorProfileFactory,
    EventFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    PostFactory,
    SchemeFactory,
    TenureFactory,
    UserFactory,
    commune,
    in_days,
    promosante_organisation,
)
from .learning.pathway_factories import (
    CompetencyFactory,
    EnrolmentFactory,
    OfferFactory,
    PathwayFactory,
    PathwayStepFactory,
    PriorLearningRequestFactory,
    ResourceFactory,
    ResourceReadFactory,
    SelfAssessmentFactory,
    StepCompletionFactory,
)

ALL_DEPARTMENTS = ["75", "77", "78", "91", "92", "93", "94", "95"]
SAINT_DENIS, SARCELLES = "93066", "95585"

# The roles of the matrix, in the order of its report.
ROLES = [
    "anonymous",
    "pending",  # a coordinator's sign-up staff have not approved yet
    "no_role",  # an account with neither profile nor membership
    "coordinator",  # owns the objects the URLs open
    "other_coordinator",  # a peer: owns none of them
    "staff",
    "partner_dd93",
    "partner_crpv95",
    "partner_ars",
    "superuser",
]


@dataclass
class World:
    users: dict  # role -> User (None for anonymous)
    objects: dict = field(default_factory=dict)  # name -> object, see `demo_world`

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError as error:
            raise AttributeError(name) from error


def demo_world():
    """Build the world, once per test (a fraction of a second)."""
    dept = {d.code: d for d in Department.objects.filter(code__in=ALL_DEPARTMENTS)}
    promosante = promosante_organisation()
    ars = OrganisationFactory(
        name="ARS siège", kind=Organisation.Kind.ARS_HQ, department_codes=ALL_DEPARTMENTS
    )
    dd93 = OrganisationFactory(
        name="ARS DD 93", kind=Organisation.Kind.ARS_DD, department_codes=["93"]
    )
    crpv95 = OrganisationFactory(
        name="CRPV 95", kind=Organisation.Kind.CRPV, department_codes=["95"]
    )

    def member(org, email):
        return MembershipFactory(organisation=org, user__email=email).user

    coordinator = CoordinatorProfileFactory(
        user__email="coordinateur@demo.example.org",
        user__first_name="Julien",
        user__last_name="Moreau",
        commune=commune(SARCELLES),
        employer="Ville de Sarcelles",
        job_title="Coordinateur CLSM",
    ).user
    other = CoordinatorProfileFactory(
        user__email="coordinatrice@demo.example.org",
        user__first_name="Awa",
        user__last_name="Diallo",
    ).user
    users = {
        "anonymous": None,
        "pending": CoordinatorProfileFactory(
            user__email="en-attente@exemple.fr", status="pending", reviewed_at=None
        ).user,
        "no_role": UserFactory(email="sans-role@exemple.fr"),
        "coordinator": coordinator,
        "other_coordinator": other,
        "staff": member(promosante, "equipe@demo.example.org"),
        "partner_dd93": member(dd93, "dd93@demo.example.org"),
        "partner_crpv95": member(crpv95, "crpv95@demo.example.org"),
        "partner_ars": member(ars, "ars@demo.example.org"),
        "superuser": UserFactory(email="admin@demo.example.org", is_staff=True, is_superuser=True),
    }
    staff = users["staff"]
    # Staff and partners use two factors; `staff` has its TOTP (allauth's mfa_* pages differ).
    TOTP.activate(staff, generate_totp_secret())
    Group.objects.create(name="Équipe")

    w = World(users=users)
    o = w.objects
    o.update(promosante=promosante, ars=ars, dd93=dd93, crpv95=crpv95)

    # Accounts: an open invitation, an address not yet confirmed, a password-reset key.
    o["invitation"] = InvitationFactory(invited_by=staff)
    o["unconfirmed_address"] = EmailAddress.objects.create(
        user=UserFactory(email="nouvelle@exemple.fr", verified=False),
        email="nouvelle@exemple.fr",
        verified=False,
        primary=True,
    )
    o["email_key"] = EmailConfirmationHMAC(o["unconfirmed_address"]).key
    o["reset_uid"] = user_pk_to_url_str(coordinator)
    o["reset_key"] = default_token_generator.make_token(coordinator)

    # The register: a CLSM in Val-d'Oise whose post `coordinator` holds, a CLS in
    # Seine-Saint-Denis where `other_coordinator` just arrived, a vacant post claimed.
    o["scheme95"] = SchemeFactory(
        kind=Scheme.Kind.CLSM,
        name="CLSM de Sarcelles",
        department=dept["95"],
        carrier_name="Ville de Sarcelles",
        commune_codes=[SARCELLES],
    )
    o["scheme93"] = SchemeFactory(name="CLS de Saint-Denis", commune_codes=[SAINT_DENIS])
    o["post95"] = PostFactory(schemes=[o["scheme95"]], opened_on=datetime.date(2016, 1, 1))
    o["tenure95"] = TenureFactory(
        person=coordinator, post=o["post95"], started_on=datetime.date(2018, 9, 1)
    )
    o["handover95"] = HandoverFile.objects.create(
        post=o["post95"], tips="Le conseil local se réunit en juin."
    )
    o["post93"] = PostFactory(schemes=[o["scheme93"]], opened_on=datetime.date(2015, 1, 1))
    TenureFactory(person=other, post=o["post93"], started_on=timezone.localdate())
    o["vacant95"] = PostFactory(schemes=[o["scheme95"]], opened_on=datetime.date(2020, 1, 1))
    o["claim"] = PostClaim.objects.create(
        person=coordinator, post=o["vacant95"], started_on=datetime.date(2024, 1, 1)
    )
    o["background"] = Background.objects.get_or_create(name="Santé publique")[0]
    o["topic"] = Topic.objects.get_or_create(name="Santé mentale")[0]

    # The agenda: a CRPV 95 webinar open to guests (coordinator registered, a guest invited),
    # a past PromoSanté webinar he attended, a working group meeting, his calendar feed.
    o["webinar"] = EventFactory(
        title="Webinaire santé mentale et CLSM",
        organiser=crpv95,
        audiences=["all", "guests"],
        created_by=users["partner_crpv95"],
    )
    o["webinar"].departments.set([dept["95"]])
    o["registration"] = Registration.objects.create(
        event=o["webinar"], person=coordinator, status=Registration.Status.CONFIRMED
    )
    o["guest_invitation"] = GuestInvitation.objects.create(
        event=o["webinar"],
        email="elu@ville-sarcelles.example.org",
        first_name="Karim",
        last_name="Benali",
        function="Adjoint au maire délégué à la santé",
        invited_by=coordinator,
        expires_at=o["webinar"].starts_at,
    )
    o["past_webinar"] = EventFactory(
        title="Webinaire diagnostic local",
        starts_at=in_days(-10),
        ends_at=in_days(-10, hour=11, minute=30),
    )
    o["attended"] = Registration.objects.create(
        event=o["past_webinar"],
        person=coordinator,
        status=Registration.Status.CONFIRMED,
        attended=True,
        attendance_minutes=85,
    )
    o["working_group"] = WorkingGroup.objects.create(name="La boussole", organiser=promosante)
    o["working_group"].members.add(coordinator)
    o["meeting"] = EventFactory(
        title="Groupe de travail — La boussole",
        kind="working_group",
        working_group=o["working_group"],
        starts_at=in_days(21),
        ends_at=in_days(21, hour=12),
    )
    o["calendar_feed"] = CalendarFeed.objects.create(user=coordinator)

    # Competencies, the library, the catalogue and a pathway he follows.
    o["competency"] = CompetencyFactory(name="Animer un conseil local", domain__name="Animer")
    o["domain"] = o["competency"].domain
    o["resource"] = ResourceFactory(title="La boussole de la démarche locale en santé")
    ResourceReadFactory(resource=o["resource"], person=coordinator)
    o["offer"] = OfferFactory(
        title="Atelier départemental CLSM",
        providers=[crpv95],
        departments=[dept["95"]],
        competencies=[o["competency"]],
    )
    o["offer"].resources.add(o["resource"])
    o["pathway"] = PathwayFactory(title="Prendre son poste")
    o["step"] = PathwayStepFactory(pathway=o["pathway"], title="Rencontrer ses partenaires")
    o["event_step"] = PathwayStepFactory(pathway=o["pathway"], kind="event", offer=o["offer"])
    o["prior_step"] = PathwayStepFactory(pathway=o["pathway"], title="Écrire son diagnostic")
    o["enrolment"] = EnrolmentFactory(pathway=o["pathway"], person=coordinator)
    StepCompletionFactory(enrolment=o["enrolment"], step=o["event_step"])
    o["prior_learning"] = PriorLearningRequestFactory(
        enrolment=o["enrolment"], step=o["prior_step"]
    )
    SelfAssessmentFactory(person=coordinator, levels={o["competency"]: 2})

    # Notifications: a failed e-mail to him, the reminder rules, a sequence that accompanies him.
    if not ReminderRule.objects.exists():
        rules_seed_defaults()
    o["rule"] = ReminderRule.objects.order_by("pk").first()
    o["sequence"] = Sequence.objects.create(name="Bienvenue", trigger="arrival")
    o["sequence_step"] = SequenceStep.objects.create(
        sequence=o["sequence"], delay_days=0, subject="Bienvenue {prenom}", body="Bonjour !"
    )
    SequenceRun.objects.create(
        sequence=o["sequence"], person=coordinator, started_at=timezone.now()
    )
    o["delivery"] = Delivery.objects.create(
        key="routes:1",
        category="reminder",
        kind="message",
        recipient=coordinator,
        email=coordinator.email,
        due_at=timezone.now(),
        status=Delivery.Status.FAILED,
        subject="Rappel : webinaire",
        text="Bonjour, le webinaire commence demain.",
        html="<p>Bonjour, le webinaire commence demain.</p>",
    )
    Preference.objects.create(user=coordinator, muted=["news"])
    o["unsubscribe_token"] = preferences.unsubscribe_token(coordinator, "reminder")

    # --- network: suggestions and contact ---
    # --- network: tutoring ---
    from network.models.tutoring import TutoringPair, TutoringSession

    # Awa is tutored by Julien; Inès's request waits for his answer; a session is planned.
    o["tutoring_pair"] = TutoringPair.objects.create(
        newcomer=other, tutor=coordinator, status="active", started_on=timezone.localdate()
    )
    o["tutoring_request"] = TutoringPair.objects.create(
        newcomer=CoordinatorProfileFactory(user__first_name="Inès").user, tutor=coordinator
    )
    o["tutoring_session"] = TutoringSession.objects.create(
        pair=o["tutoring_pair"], event=EventFactory(kind="tutoring", starts_at=in_days(3))
    )
    # --- network: experience notes ---
    o["note"] = note_save(
        note=ExperienceNote(author=coordinator, title="La cellule de concertation", action="…")
    )
    note_publish(note=o["note"])
    o["note_attachment"] = note_attachment_add(note=o["note"], name="charte.pdf", content=b"%PDF")
    o["note_draft"] = note_save(
        note=ExperienceNote(author=coordinator, title="Brouillon", action="En cours.")
    )
    # --- network: questions ---
    # His question (the asker marks the useful answer), answered by the newcomer.
    o["question"] = question_ask(
        author=coordinator,
        title="Comment présenter le CLSM aux élus ?",
        body="Le conseil municipal hésite.",
        competencies=[o["competency"]],
    )
    o["answer"] = answer_add(question=o["question"], author=other, body="Par la commission.")
    # --- resources: library ---
    from resources.models.library import ResourceVersion

    o["resource_version"] = ResourceVersion.objects.create(
        resource=o["resource"], url=o["resource"].url, note="Première version"
    )
    # --- resources: requests ---
    from resources.models import Resource
    from resources.services.requests import request_create

    # A guide distributed on request; he asked for 3 printed copies (waiting for the team).
    o["requested_resource"] = Resource.objects.create(
        title="Guide imprimé de la démarche locale",
        kind="guide",
        url="https://ressources.example.org/guide.pdf",
        on_request=True,
    )
    o["resource_request"] = request_create(
        resource=o["requested_resource"],
        requester=coordinator,
        format="printed",
        quantity=3,
        recipient="Julien Moreau",
        street="1 place de la Mairie",
        postcode="95200",
        city="Sarcelles",
        notify=False,
    )
    # --- resources: packs ---
    from resources.models.packs import Pack
    from resources.services.packs import pack_item_add, pack_link_create, pack_save

    # A published pack of one public resource; Julien shared it with his town council.
    o["public_resource"] = ResourceFactory(title="Le CLSM en deux pages", audience="public")
    o["pack"] = pack_save(
        pack=Pack(title="Le CLSM", audience_line="Pour les élu·es.", created_by=staff)
    )
    o["pack_item"] = pack_item_add(pack=o["pack"], resource=o["public_resource"])
    o["pack"].is_published = True
    pack_save(pack=o["pack"])
    o["pack_link"] = pack_link_create(
        pack=o["pack"], person=coordinator, label="Conseil municipal de Sarcelles"
    )
    # --- network: news and weekly digest ---
    from accounts.access import access_for
    from network.models.news import NewsPost
    from network.services.news import news_feed_renew, news_save

    # The CRPV 95's post for Val-d'Oise; the coordinator's secret feed address.
    crpv95_user = users["partner_crpv95"]
    o["news_post"] = news_save(
        post=NewsPost(
            author=crpv95_user, organisation=crpv95, title="Appel à projets 95", body="…"
        ),
        departments=[dept["95"]],
        access=access_for(crpv95_user),
        publish=True,
    )
    o["news_feed"] = news_feed_renew(user=coordinator)
    # --- coordinators: vacancies ---
    from coordinators.vacancies import vacancy_publish

    # Julien left another post of the CLSM twenty days ago and published its vacancy (he changes
    # and closes it); `vacant95` is for staff to publish.
    o["left95"] = PostFactory(schemes=[o["scheme95"]], opened_on=datetime.date(2019, 1, 1))
    TenureFactory(
        person=coordinator,
        post=o["left95"],
        started_on=datetime.date(2019, 1, 1),
        ended_on=timezone.localdate() - datetime.timedelta(days=20),
        end_reason="left",
    )
    o["vacancy"] = vacancy_publish(
        post=o["left95"],
        by=coordinator,
        title="Coordinateur·rice du CLSM de Sarcelles",
        description="Animer le conseil local de santé mentale.",
        fte="1",
        employer="Ville de Sarcelles",
        commune=commune(SARCELLES),
        contact_name="Direction de la santé",
        contact_email="sante@ville-sarcelles.example.org",
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
    )

    # The yearly activity report of the region, with one text.
    o["report"] = report_open(year=timezone.localdate().year, department_codes=[], by=staff)[0]
    o["report_version"] = narrative_save(
        report=o["report"], part="introduction", text="L’année du réseau.", by=staff
    )
    return w


def admin_object(world, model):
    """The object an admin page of `model` opens: the world's own if it has one."""
    for obj in world.objects.values():
        if type(obj) is model:
            return obj
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the route world has no {model.__name__} for its admin pages"
    return obj


def admin_models():
    """{"app_model": model} of the models in the admin, as their URL names spell them."""
    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


def content_type_pk(model):
    return ContentType.objects.get_for_model(model).pk
