import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Invitation, Membership, Organisation, User
from coordinators.models import CoordinatorProfile, Post, Scheme, Tenure
from territories.models import Commune, Department

PASSWORD = "un-mot-de-passe-solide"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = Organisation.Kind.ARS_DD

    @factory.post_generation
    def department_codes(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(Department.objects.filter(code__in=extracted))


def commune(code_insee):
    return Commune.objects.get(code_insee=code_insee)


class CoordinatorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoordinatorProfile

    user = factory.SubFactory(UserFactory)
    commune = factory.LazyFunction(lambda: commune("93066"))
    employer = "Ville de Saint-Denis"
    job_title = "Coordinatrice CLS"
    status = CoordinatorProfile.Status.APPROVED
    reviewed_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invite{n}@exemple.fr")
    first_name = "Camille"
    last_name = "Martin"
    role = Invitation.Role.COORDINATOR


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        skip_postgeneration_save = True

    kind = Scheme.Kind.CLS
    name = factory.Sequence(lambda n: f"Contrat local de santé n° {n}")
    department = factory.LazyAttribute(lambda o: Department.objects.get(code="93"))
    carrier_name = "Ville de Saint-Denis"
    carrier_kind = Scheme.CarrierKind.COMMUNE
    status = Scheme.Status.ACTIVE

    @factory.post_generation
    def commune_codes(self, create, extracted, **kwargs):
        if create:
            codes = extracted or ["93066"]
            self.communes.set(Commune.objects.filter(code_insee__in=codes))


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    opened_on = datetime.date(2015, 1, 1)

    @factory.post_generation
    def schemes(self, create, extracted, **kwargs):
        if create:
            self.schemes.set(extracted or [SchemeFactory()])


class TenureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenure

    person = factory.SubFactory(UserFactory)
    post = factory.SubFactory(PostFactory)
    started_on = datetime.date(2020, 1, 1)


def promosante_organisation():
    org, created = Organisation.objects.get_or_create(
        name="PromoSanté IdF", defaults={"kind": Organisation.Kind.PROMOSANTE}
    )
    if created:
        org.departments.set(Department.objects.all())
    return org


def in_days(days, hour=10, minute=0):
    """An aware datetime `days` from now at a Paris wall-clock time."""
    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "agenda.Event"
        skip_postgeneration_save = True

    kind = "webinar"
    title = factory.Sequence(lambda n: f"Webinaire n° {n}")
    starts_at = factory.LazyFunction(lambda: in_days(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1, minutes=30))
    video_url = "https://visio.example.org/webinaire"
    capacity = 20
    audiences = factory.LazyFunction(lambda: ["all"])
    organiser = factory.LazyFunction(lambda: promosante_organisation())

    @factory.post_generation
    def offer(self, create, extracted, **kwargs):
        """`offer=`: the event is a session of that catalogue offer (`learning.OfferSession`)."""
        if create and extracted is not None:
            from learning.models import OfferSession

            OfferSession.objects.create(event=self, offer=extracted)
