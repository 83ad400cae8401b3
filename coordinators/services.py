"""Writes on the register (arrivals, departures, tenures, claims and handover files), on the lists
coordinators choose from, and on coordinators' profiles and accounts.

Tenures are half-open intervals: a person holds the post from `started_on` until `ended_on`
(exclusive); the post is vacant from `ended_on`. An arrival on the day of a departure leaves
no vacancy.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from core.text import de
from notifications import onboarding
from notifications.emails import send_email_on_commit

from . import hooks
from .models import (
    Background,
    CoordinatorProfile,
    HandoverFile,
    Post,
    PostClaim,
    Scheme,
    Tenure,
    Topic,
)
from .selectors import NEWCOMER_DAYS, person_seniority_days
from .vacancies import vacancy_close_for_arrival

# The onboarding triggers the register starts (registered with the engine in `handlers`).
ARRIVAL = "arrival"
ACTIVATION = "activation"


class RegisterError(Exception):
    """A change the register refuses; the message (French) is shown to the person."""


def _check_post_accepts_people(post, on):
    if post.closed_on and post.closed_on <= on:
        raise RegisterError(f"Ce poste a été supprimé le {post.closed_on:%d/%m/%Y}.")
    for scheme in post.schemes.all():
        # An ended scheme accepts history before its end date, nobody after it.
        if scheme.status == Scheme.Status.ENDED and (
            scheme.ends_on is None or scheme.ends_on <= on
        ):
            raise RegisterError(
                f"Le dispositif « {scheme.name} » est terminé : "
                "on ne peut plus y affecter personne."
            )


def _check_within_post_life(post, ended_on):
    if post.closed_on and (ended_on is None or ended_on > post.closed_on):
        raise RegisterError(
            f"Le poste a été supprimé le {post.closed_on:%d/%m/%Y} : le départ ne peut être "
            "postérieur à cette date."
        )


def check_no_overlap(*, post, started_on, ended_on, exclude=None):
    """No two tenures of one post may share a day ([start, end) intervals)."""
    clash = Tenure.objects.filter(post=post).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=started_on)
    )
    if ended_on is not None:
        clash = clash.filter(started_on__lt=ended_on)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    first = clash.select_related("person").first()
    if first:
        raise RegisterError(
            f"Ces dates chevauchent la prise de poste {de(str(first.person or 'une personne'))} "
            f"commencée le {first.started_on:%d/%m/%Y}."
        )


def _check_dates(started_on, ended_on):
    if ended_on and ended_on < started_on:
        raise RegisterError("La date de départ précède la date de prise de poste.")


@transaction.atomic
def tenure_record(*, post, person, started_on, ended_on=None, end_reason="") -> Tenure:
    """Record a tenure as it was (a post's history, an import, the demo): checked with the rules
    of `post_arrival` and `post_departure` (dates in order, within the life of the post and of
    its schemes, a reason for a departure, no overlap with the post's other tenures), without
    their side effects of today (no handover request, no onboarding e-mail, no open tenure
    closed)."""
    _check_dates(started_on, ended_on)
    if started_on < post.opened_on:
        raise RegisterError(f"Le poste n'est ouvert que depuis le {post.opened_on:%d/%m/%Y}.")
    _check_post_accepts_people(post, started_on)
    _check_within_post_life(post, ended_on)
    if ended_on is not None and not end_reason:
        raise RegisterError("Indiquez le motif du départ.")
    if ended_on is None and end_reason:
        raise RegisterError("Un motif de départ va avec une date de départ.")
    check_no_overlap(post=post, started_on=started_on, ended_on=ended_on)
    try:
        with transaction.atomic():
            return Tenure.objects.create(
                post=post,
                person=person,
                started_on=started_on,
                ended_on=ended_on,
                end_reason=end_reason or "",
            )
    except IntegrityError as error:  # a concurrent open tenure on the same post
        raise RegisterError("Ce poste vient d'être pourvu par ailleurs.") from error


@transaction.atomic
def post_arrival(*, post, person, started_on) -> Tenure:
    """`person` takes `post` on `started_on`; any open tenure of the post ends that day."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    _check_post_accepts_people(post, started_on)
    if started_on < post.opened_on:
        raise RegisterError(f"Le poste n'est ouvert que depuis le {post.opened_on:%d/%m/%Y}.")
    current = Tenure.objects.filter(post=post, ended_on__isnull=True).first()
    if current is not None:
        if current.person_id == person.pk:
            raise RegisterError(
                f"{person} occupe déjà ce poste depuis le {current.started_on:%d/%m/%Y}."
            )
        if current.started_on >= started_on:
            raise RegisterError(
                f"{current.person or 'La personne en poste'} y est depuis le "
                f"{current.started_on:%d/%m/%Y} : la nouvelle arrivée doit être postérieure."
            )
        current.ended_on = started_on
        current.end_reason = current.end_reason or Tenure.EndReason.OTHER
        current.save(update_fields=["ended_on", "end_reason"])
        _ask_for_handover(post=post, tenure=current)
    check_no_overlap(post=post, started_on=started_on, ended_on=None)
    try:
        with transaction.atomic():
            tenure = Tenure.objects.create(post=post, person=person, started_on=started_on)
    except IntegrityError as error:  # a concurrent arrival on the same post
        raise RegisterError(
            "Ce poste vient d'être pourvu par ailleurs : rechargez la page."
        ) from error
    if post.status_unknown:
        post.status_unknown = False
        post.save(update_fields=["status_unknown"])
    vacancy_close_for_arrival(post=post, started_on=started_on)  # the post is filled
    # The newcomer reads the file; the leaver's request to complete it is over.
    HandoverFile.objects.update_or_create(post=post, defaults={"completion_requested_on": None})
    CoordinatorProfile.objects.get_or_create(
        user=person,
        defaults={"status": CoordinatorProfile.Status.APPROVED, "reviewed_at": timezone.now()},
    )
    onboarding.sequence_start(
        person=person,
        trigger=ARRIVAL,
        source=f"tenure:{tenure.pk}",
        segments={scheme.kind for scheme in post.schemes.all()},
        newcomer=_is_new_to_the_job(person),
        happened_on=tenure.started_on,
    )
    return tenure


def _is_new_to_the_job(person):
    """No post on record yet (a fresh account) counts as new."""
    seniority = person_seniority_days(person, timezone.localdate())
    return seniority is None or seniority < NEWCOMER_DAYS


def _ask_for_handover(*, post, tenure):
    handover, _ = HandoverFile.objects.get_or_create(post=post)
    handover.completion_requested_on = tenure.ended_on
    handover.save(update_fields=["completion_requested_on"])
    person = tenure.person
    if person is not None and person.is_active and person.has_usable_password():
        send_email_on_commit(
            to=person.email,
            template="handover_request",
            context={
                "person": person,
                "tenure": tenure,
                "url": settings.SITE_URL + reverse("handover", args=[post.pk]),
            },
        )


@transaction.atomic
def post_departure(*, tenure, ended_on, reason) -> Tenure:
    """End `tenure` on `ended_on`: the post is vacant from that day; ask for the handover file."""
    tenure = (
        Tenure.objects.select_for_update(of=("self",))
        .select_related("post", "person")
        .get(pk=tenure.pk)
    )
    if tenure.ended_on is not None:
        raise RegisterError(f"Ce départ est déjà enregistré (le {tenure.ended_on:%d/%m/%Y}).")
    _check_dates(tenure.started_on, ended_on)
    _check_within_post_life(tenure.post, ended_on)
    tenure.ended_on = ended_on
    tenure.end_reason = reason
    tenure.save(update_fields=["ended_on", "end_reason"])
    _ask_for_handover(post=tenure.post, tenure=tenure)
    person = tenure.person
    if person and not Tenure.objects.filter(person=person, ended_on__isnull=True).exists():
        onboarding.sequences_stop(
            person=person,
            reason="La personne a quitté son poste.",
            trigger=ARRIVAL,
        )
    return tenure


@transaction.atomic
def tenure_update(*, tenure, started_on, ended_on, end_reason) -> Tenure:
    """Correct a tenure's dates; refuses overlaps and a second open tenure on the post."""
    tenure = Tenure.objects.select_for_update().get(pk=tenure.pk)
    _check_dates(started_on, ended_on)
    post = Post.objects.select_for_update().get(pk=tenure.post_id)
    if (
        ended_on is None
        and Tenure.objects.filter(post=post, ended_on__isnull=True).exclude(pk=tenure.pk).exists()
    ):
        raise RegisterError("Ce poste a déjà une personne en poste : indiquez une date de départ.")
    check_no_overlap(post=post, started_on=started_on, ended_on=ended_on, exclude=tenure.pk)
    _check_within_post_life(post, ended_on)
    if started_on < post.opened_on:
        raise RegisterError(f"Le poste n'est ouvert que depuis le {post.opened_on:%d/%m/%Y}.")
    tenure.started_on, tenure.ended_on = started_on, ended_on
    tenure.end_reason = end_reason if ended_on else ""
    tenure.save(update_fields=["started_on", "ended_on", "end_reason"])
    return tenure


@transaction.atomic
def scheme_save(*, scheme, communes) -> Scheme:
    """Create or update a scheme; its département is that of its communes."""
    departments = {c.department_id for c in communes}
    if not communes:
        raise RegisterError("Indiquez au moins une commune couverte.")
    if len(departments) > 1:
        raise RegisterError("Les communes d'un dispositif doivent être dans un même département.")
    if scheme.signed_on and scheme.ends_on and scheme.ends_on < scheme.signed_on:
        raise RegisterError("La date de fin précède la date de signature.")
    if (
        scheme.pk
        and scheme.status == Scheme.Status.ENDED
        and Tenure.objects.filter(post__schemes=scheme, ended_on__isnull=True).exists()
    ):
        raise RegisterError(
            "Un poste de ce dispositif est encore occupé : enregistrez d'abord le départ."
        )
    scheme.department_id = departments.pop()
    scheme.save()
    scheme.communes.set(communes)
    return scheme


@transaction.atomic
def post_save(*, post, schemes) -> Post:
    if not schemes:
        raise RegisterError("Un poste porte sur au moins un dispositif.")
    if len({s.department_id for s in schemes}) > 1:
        raise RegisterError("Les dispositifs d'un poste doivent être dans un même département.")
    if post.pk:
        tenures = Tenure.objects.filter(post=post)
        if tenures.filter(started_on__lt=post.opened_on).exists():
            raise RegisterError(
                "Une prise de poste commence avant cette date d'ouverture : corrigez l'une ou "
                "l'autre."
            )
        if (
            post.closed_on
            and tenures.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=post.closed_on)).exists()
        ):
            raise RegisterError(
                "Le poste est occupé après cette date de suppression : enregistrez d'abord le "
                "départ."
            )
    post.save()
    post.schemes.set(schemes)
    HandoverFile.objects.get_or_create(post=post)
    return post


@transaction.atomic
def post_claim_create(*, person, post, started_on, message="") -> PostClaim:
    if Tenure.objects.filter(post=post, person=person, ended_on__isnull=True).exists():
        raise RegisterError("Vous êtes déjà enregistré·e sur ce poste.")
    if PostClaim.objects.filter(person=person, post=post, status=PostClaim.Status.PENDING).exists():
        raise RegisterError("Votre demande pour ce poste attend déjà la confirmation de l'équipe.")
    _check_post_accepts_people(post, started_on)
    return PostClaim.objects.create(
        person=person, post=post, started_on=started_on, message=message
    )


@transaction.atomic
def post_claim_review(*, claim, reviewer, accept: bool) -> PostClaim:
    claim = (
        PostClaim.objects.select_for_update(of=("self",))
        .select_related("post", "person")
        .get(pk=claim.pk)
    )
    if claim.status != PostClaim.Status.PENDING:
        raise RegisterError("Cette demande a déjà été traitée.")
    if accept:
        post_arrival(post=claim.post, person=claim.person, started_on=claim.started_on)
    claim.status = PostClaim.Status.ACCEPTED if accept else PostClaim.Status.REFUSED
    claim.reviewed_by = reviewer
    claim.reviewed_at = timezone.now()
    claim.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return claim


@transaction.atomic
def handover_update(*, handover, author, data) -> HandoverFile:
    """Write a post's handover file; the request to complete it is over. `handover` may be the
    empty file of a post nobody wrote for yet (`selectors.handover_file_of`): it is created.
    `data` holds the sections (`HandoverFile.SECTIONS`) to change."""
    if handover.pk is None:  # written meanwhile by someone else? Then it is that file.
        handover = HandoverFile.objects.filter(post_id=handover.post_id).first() or handover
    for name, label in HandoverFile.SECTIONS:
        value = data.get(name, getattr(handover, name))
        if not isinstance(value, str):
            raise RegisterError(f"« {label} » : un texte est attendu.")
        setattr(handover, name, value)
    handover.updated_at = timezone.now()
    handover.updated_by_name = author.get_full_name() or author.email
    handover.completion_requested_on = None
    try:
        with transaction.atomic():
            handover.save()
    except IntegrityError as error:  # created at the same moment by someone else
        raise RegisterError(
            "Le dossier vient d'être enregistré par quelqu'un d'autre : rechargez la page."
        ) from error
    return handover


def _new_person(*, email, first_name, last_name):
    try:
        return account_services.user_create(email=email, first_name=first_name, last_name=last_name)
    except account_services.AccountError as error:
        raise RegisterError(str(error)) from error


@transaction.atomic
def post_arrival_new_person(*, post, email, first_name, last_name, started_on) -> Tenure:
    """A person new to the platform takes `post`: their account (no password yet: they will
    be invited or reset it) is created with the arrival, or neither is."""
    person = _new_person(email=email, first_name=first_name, last_name=last_name)
    return post_arrival(post=post, person=person, started_on=started_on)


# --- The lists coordinators choose from (staff, /gestion/listes/<kind>/) -----------------------

# The code of a list in its URL → the model of its items.
CHOICE_LISTS = {"parcours": Background, "thematiques": Topic}


def _list_item_name(name):
    name = (name or "").strip()
    if not name:
        raise RegisterError("Indiquez un libellé.")
    if len(name) > Topic._meta.get_field("name").max_length:
        raise RegisterError("Un libellé fait au plus 100 caractères.")
    return name


def _list_item_write(item, name):
    taken = RegisterError("Ce libellé existe déjà dans la liste.")
    if type(item).objects.filter(name=name).exclude(pk=item.pk).exists():
        raise taken
    item.name = name
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:  # the same label added at the same moment elsewhere
        raise taken from error
    return item


@transaction.atomic
def list_item_add(*, kind: str, name: str, position: int | None = None) -> Background | Topic:
    """Add a label to a list (`CHOICE_LISTS`): coordinators can choose it on their profile.
    `position` orders a list that has an order (the initial backgrounds); the others are
    alphabetical."""
    if kind not in CHOICE_LISTS:
        raise RegisterError("Cette liste n'existe pas.")
    item = CHOICE_LISTS[kind]()
    if position is not None and hasattr(item, "position"):
        item.position = position
    return _list_item_write(item, _list_item_name(name))


@transaction.atomic
def list_item_rename(*, item: Background | Topic, name: str) -> Background | Topic:
    """Rename a label: it changes on every profile (and event) that chose it."""
    return _list_item_write(item, _list_item_name(name))


@transaction.atomic
def list_item_delete(*, item: Background | Topic) -> None:
    """Remove a label: the profiles (and events) that chose it lose it, nothing else goes."""
    item.delete()


# --- A person's own profile (/profil/) -----------------------------------------------------------

PHONE_CHARACTERS = set("0123456789 +.-()")


def phone_checked(phone: str) -> str:
    """A phone number as typed, or RegisterError: ten digits at least, usual separators only."""
    phone = (phone or "").strip()
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone and (len(digits) < 10 or any(ch not in PHONE_CHARACTERS for ch in phone)):
        raise RegisterError("Saisissez un numéro de téléphone valide, par exemple 01 23 45 67 89.")
    return phone


NAME_MAX_LENGTH = 150


@transaction.atomic
def profile_update(*, user, profile=None, topics=None, extra=None):
    """Save what a person changed on their profile: their name (`user`, changed in place) and,
    for a coordinator, what they tell the network (`profile`, changed in place, and `topics`).
    `extra` holds the fields higher floors added to the form (`hooks.profile_form`); they save
    them in this transaction (`hooks.profile_saved`). All or nothing."""
    user.first_name = (user.first_name or "").strip()
    user.last_name = (user.last_name or "").strip()
    if not user.first_name or not user.last_name:
        raise RegisterError("Indiquez votre prénom et votre nom.")
    if max(len(user.first_name), len(user.last_name)) > NAME_MAX_LENGTH:
        raise RegisterError(f"Un prénom ou un nom fait au plus {NAME_MAX_LENGTH} caractères.")
    if profile is not None:
        if profile.user_id != user.pk:
            raise RegisterError("Ce profil est celui d'une autre personne.")
        profile.phone = phone_checked(profile.phone)
        known = {code for code, _label in CoordinatorProfile.DIRECTORY_FIELDS}
        unknown = [code for code in profile.directory_fields or [] if code not in known]
        if unknown:
            raise RegisterError("Information d'annuaire inconnue : " + ", ".join(unknown) + ".")
    user.save(update_fields=["first_name", "last_name"])
    if profile is not None:
        profile.save()
        if topics is not None:
            profile.topics.set(topics)
        if extra is not None:
            hooks.profile_saved.send(profile=profile, data=extra)
    return user


# --- Coordinators' accounts: sign-up approval and activation ------------------------------------


@transaction.atomic
def signup_create_profile(
    *, user, first_name, last_name, commune, employer, job_title
) -> CoordinatorProfile:
    """A coordinator who signs up on their own (their account was just created by the sign-up
    form) gives their name and where they work, then waits for staff approval."""
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    return CoordinatorProfile.objects.create(
        user=user, commune=commune, employer=employer, job_title=job_title
    )


def _start_activation(person):
    onboarding.sequence_start(
        person=person,
        trigger=ACTIVATION,
        source=f"user:{person.pk}",
        newcomer=_is_new_to_the_job(person),
    )


def profile_activate(*, user, commune, by) -> CoordinatorProfile:
    """An invited coordinator's account exists: their profile is approved at once."""
    profile = CoordinatorProfile.objects.create(
        user=user,
        commune=commune,
        status=CoordinatorProfile.Status.APPROVED,
        reviewed_by=by,
        reviewed_at=timezone.now(),
    )
    _start_activation(user)
    return profile


@transaction.atomic
def signup_review(*, profile, reviewer, approve: bool) -> CoordinatorProfile:
    """Approve or refuse a coordinator's sign-up and tell them by e-mail."""
    profile = (
        CoordinatorProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    )
    if profile.status != CoordinatorProfile.Status.PENDING:
        raise RegisterError("Cette inscription a déjà été traitée.")
    profile.status = (
        CoordinatorProfile.Status.APPROVED if approve else CoordinatorProfile.Status.REFUSED
    )
    profile.reviewed_by = reviewer
    profile.reviewed_at = timezone.now()
    profile.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    send_email_on_commit(
        to=profile.user.email,
        template="signup_approved" if approve else "signup_refused",
        recipient=profile.user,
        context={"user": profile.user, "url": settings.SITE_URL + reverse("account_login")},
    )
    if approve:
        _start_activation(profile.user)
    return profile
