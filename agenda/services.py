"""Writes on events and registrations. Capacity is decided under a lock on the event row, so
it is never exceeded, even when many people register at the same second."""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.access import TEAM
from accounts.models import Organisation, User
from coordinators.models import Tenure
from coordinators.selectors import person_is_newcomer, schemes_due_for_renewal, tenures_in_post
from core.forms import EARLIEST, LATEST
from notifications.emails import send_email_on_commit
from territories.models import Department

from . import hooks, reminders
from .calendar import event_ics
from .models import CalendarFeed, Event, Feedback, GuestInvitation, Registration, WorkingGroup

OFFER_DELAY = timedelta(hours=48)
# Invitations one person may send (guests are outside the network: the platform must not be a
# way to e-mail anyone without limit).
GUEST_INVITATIONS_PER_HOUR = 10
GUEST_INVITATIONS_PER_DAY = 30


class EventError(Exception):
    """Something the agenda refuses; the French message is shown as it is."""


def registration_url(registration):
    """Where a person manages their registration: the event's page for a member, the personal
    link for an invited guest (who has no account)."""
    if registration.is_guest:
        invitation = GuestInvitation.objects.filter(registration=registration).first()
        if invitation is not None:
            return settings.SITE_URL + reverse("guest_register", args=[invitation.token])
    return settings.SITE_URL + reverse("event", args=[registration.event_id])


def _notify(registration, template, **context):
    """Registration e-mails; a confirmed seat's carry the event's calendar file (a waitlist
    place or an offer is not a seat yet)."""
    event = registration.event
    to = registration.person.email if registration.person_id else registration.email
    if not to:
        return
    confirmed = registration.status == Registration.Status.CONFIRMED
    attachments = []
    if confirmed:
        attachments.append(
            (f"evenement-{event.pk}.ics", event_ics(event, show_video=True), "text/calendar")
        )
    send_email_on_commit(
        to=to,
        template=template,
        category="event",
        recipient=registration.person,
        about=reminders.about(registration),
        topic=reminders.topic(event),
        topic_label=reminders.topic_label(event),
        context={
            "registration": registration,
            "event": event,
            "url": registration_url(registration),
            "calendar_attached": bool(attachments),
            **context,
        },
        attachments=attachments,
    )


def _locked(event):
    return Event.objects.select_for_update().get(pk=event.pk)


def _seats_taken(event):
    return event.registrations.filter(status__in=Registration.SEATED).count()


def _has_free_seat(event):
    return event.capacity is None or _seats_taken(event) < event.capacity


def _check_open(event, now):
    if event.is_cancelled:
        raise EventError("Cet événement est annulé.")
    if event.starts_at <= now:
        raise EventError("Cet événement a déjà commencé : les inscriptions sont closes.")
    if event.registration_opens_at and now < event.registration_opens_at:
        opens = timezone.localtime(event.registration_opens_at)
        raise EventError(f"Les inscriptions ouvrent le {opens:%d/%m/%Y à %H:%M}.")
    if event.registration_closes_at and now >= event.registration_closes_at:
        raise EventError("Les inscriptions sont closes.")


def registration_closed_reason(event, now=None):
    """Why registration is closed right now (a French sentence), or None when it is open."""
    try:
        _check_open(event, now or timezone.now())
    except EventError as error:
        return str(error)
    return None


def _seat_or_waitlist(event):
    return (
        Registration.Status.CONFIRMED if _has_free_seat(event) else Registration.Status.WAITLISTED
    )


def person_department_codes(person):
    """The départements a coordinator works in: those of the schemes of their current posts,
    and of the commune their profile names."""
    codes = set(
        Tenure.objects.filter(person=person, ended_on__isnull=True)
        .exclude(post__schemes__department__isnull=True)
        .values_list("post__schemes__department__code", flat=True)
    )
    codes.update(
        Department.objects.filter(communes__coordinator_profiles__user=person).values_list(
            "code", flat=True
        )
    )
    return codes


def person_audiences(person, today):
    """The audiences a coordinator belongs to ("open to me", and who may register)."""
    audiences = {Event.Audience.ALL}
    if person_is_newcomer(person, today):
        audiences.add(Event.Audience.NEWCOMERS)
    renewing = schemes_due_for_renewal(12, today).filter(
        kind="CLS", posts__tenures__person=person, posts__tenures__ended_on__isnull=True
    )
    if renewing.exists():
        audiences.add(Event.Audience.CLS_RENEWAL)
    return audiences


def _department_names(departments):
    return ", ".join(f"{d.name} ({d.code})" for d in departments)


@dataclass(frozen=True)
class Contact:
    """Someone to write to, with the address to write to (and the subject of the e-mail)."""

    label: str
    email: str
    subject: str = ""

    @property
    def mailto(self):
        return f"mailto:{self.email}" + (f"?subject={quote(self.subject)}" if self.subject else "")


def organiser_contact(event) -> Contact:
    """Whom to write to about `event`. Organisations have no address on the platform: the team's
    address, which passes messages on to an organiser that is not PromoSanté."""
    label = "l'équipe PromoSanté"
    if event.organiser.kind != Organisation.Kind.PROMOSANTE:
        label += f", qui transmettra à l'organisateur ({event.organiser})"
    return Contact(label=label, email=settings.TEAM_EMAIL, subject=event.title)


# Kinds whose events are seen and joined only by the people registered to them: a tutoring
# session belongs to its pair (the peer network plans it and registers both).
PRIVATE_KINDS = (Event.Kind.TUTORING,)


def registration_refusal(event, person, *, now=None, with_contact=True) -> str | None:
    """Why `person` may not register to `event` themselves, given its audience and territory (a
    French sentence naming whom to ask), or None when they may. Staff can still add them
    (`registration_record`).

    The rule: an event for some départements takes the coordinators working there; an event for
    "tous les coordinateur·rices" takes every coordinator, otherwise the person must belong to one
    of its audiences (newcomers, CLS in renewal). Audiences of people outside the network
    (guests, partners) are not open to coordinators' own registration."""
    now = now or timezone.now()
    if event.kind in PRIVATE_KINDS:
        return "Cette séance est réservée aux personnes qui l’ont planifiée."
    contact = ""
    if with_contact:  # the event page gives it as a link
        to = organiser_contact(event)
        contact = f" Pour y participer malgré tout, écrivez à {to.label} : {to.email}."
    departments = list(event.departments.all())
    if departments:
        codes = person_department_codes(person)
        if not codes & {d.code for d in departments}:
            return (
                "Cet événement est réservé aux coordinateur·rices exerçant en "
                f"{_department_names(departments)}.{contact}"
            )
    audiences = set(event.audiences)
    if Event.Audience.ALL in audiences:
        return None
    if person_audiences(person, timezone.localdate(now)) & audiences:
        return None
    labels = [
        label.lower()
        if value != Event.Audience.CLS_RENEWAL
        else "coordinateur·rices de CLS en renouvellement"
        for value, label in Event.Audience.choices
        if value in audiences
    ]
    return f"Cet événement est réservé aux publics suivants : {', '.join(labels)}.{contact}"


@transaction.atomic
def event_register(*, event, person) -> Registration:
    """One click: a seat if one is free, else the waitlist."""
    event = _locked(event)
    _check_open(event, timezone.now())
    if event.registrations.filter(person=person, status__in=Registration.ACTIVE).exists():
        raise EventError("Vous êtes déjà inscrit·e à cet événement.")
    refusal = registration_refusal(event, person)
    if refusal:
        raise EventError(refusal)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event, person=person, status=_seat_or_waitlist(event)
            )
    except IntegrityError as error:  # the same person, twice at the same second
        raise EventError("Vous êtes déjà inscrit·e à cet événement.") from error
    _notify(
        registration,
        "registration_confirmed"
        if registration.status == Registration.Status.CONFIRMED
        else "registration_waitlisted",
    )
    reminders.registration_plan(registration)
    return registration


@transaction.atomic
def registration_cancel(*, registration, by=None) -> Registration:
    """Cancel (by the person, or by staff or the organiser: `by`); the person is told by e-mail
    and a freed seat is offered to the first person waiting."""
    event = _locked(registration.event)
    registration = Registration.objects.select_related("event", "person").get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise EventError("Cette inscription est déjà annulée.")
    if event.starts_at <= timezone.now():
        raise EventError("L'événement a commencé : signalez plutôt votre absence à l'équipe.")
    was_waiting = registration.status == Registration.Status.WAITLISTED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.offered_until = None
    registration.save(update_fields=["status", "cancelled_at", "offered_until"])
    reminders.registration_unplan(registration, "Inscription annulée.")
    _notify(
        registration,
        "registration_cancelled",
        by_organiser=by is not None and by.pk != registration.person_id,
        was_waiting=was_waiting,
    )
    waitlist_refresh(event=event)
    return registration


def _offer_deadline(event, now):
    return min(now + OFFER_DELAY, event.starts_at - timedelta(hours=2))


@transaction.atomic
def waitlist_refresh(*, event) -> list[Registration]:
    """Expire unanswered offers, then offer free seats to the waitlist in order."""
    event = _locked(event)
    now = timezone.now()
    expired = event.registrations.filter(status=Registration.Status.OFFERED, offered_until__lte=now)
    for registration in expired:
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
    offered = []
    if event.is_cancelled or event.starts_at <= now:
        return offered
    deadline = _offer_deadline(event, now)
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "created_at", "pk"
    )
    for registration in waiting:
        if not _has_free_seat(event):
            break
        if deadline <= now:  # too close to the event to wait for an answer: seat them
            registration.status = Registration.Status.CONFIRMED
            registration.offered_until = None
        else:
            registration.status = Registration.Status.OFFERED
            registration.offered_until = deadline
        registration.save(update_fields=["status", "offered_until"])
        _notify(registration, "waitlist_promoted")
        reminders.registration_plan(registration)
        offered.append(registration)
    return offered


@transaction.atomic
def offer_accept(*, registration) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CONFIRMED:
        return registration
    expired_offer = registration.offered_until and registration.offered_until <= timezone.now()
    if registration.status == Registration.Status.CANCELLED and expired_offer:
        raise EventError("Le délai pour confirmer cette place est passé.")
    if registration.status != Registration.Status.OFFERED:
        raise EventError("Aucune place ne vous est proposée pour cet événement.")
    if registration.offered_until <= timezone.now():
        raise EventError("Le délai pour confirmer cette place est passé.")
    return _seat(registration)


def _seat(registration) -> Registration:
    """A confirmed seat: the person is told, their reminders are planned."""
    registration.status = Registration.Status.CONFIRMED
    registration.offered_until = None
    registration.save(update_fields=["status", "offered_until"])
    _notify(registration, "registration_confirmed")
    reminders.registration_plan(registration)
    return registration


# --- Staff and organisers acting on registrations ---------------------------------------


@transaction.atomic
def registration_staff_confirm(*, registration) -> Registration:
    """Confirm, for the person, the seat offered to them (they said yes by phone)."""
    _locked(registration.event)
    registration = Registration.objects.select_related("event", "person").get(pk=registration.pk)
    if registration.status != Registration.Status.OFFERED:
        raise EventError("Aucune place n'est proposée à cette personne : rien à confirmer.")
    return _seat(registration)


@transaction.atomic
def registration_give_seat(*, registration, over_capacity=False) -> Registration:
    """Give a confirmed seat to a person waiting (or offered one). A full event is refused
    unless `over_capacity` says staff chose to go beyond its capacity."""
    event = _locked(registration.event)
    registration = Registration.objects.select_related("event", "person").get(pk=registration.pk)
    if event.is_cancelled:
        raise EventError("Cet événement est annulé.")
    if registration.status == Registration.Status.CONFIRMED:
        raise EventError("Cette personne a déjà une place.")
    if registration.status == Registration.Status.CANCELLED:
        raise EventError("Cette inscription est annulée : ajoutez plutôt la personne.")
    full = registration.status == Registration.Status.WAITLISTED and not _has_free_seat(event)
    if full and not over_capacity:
        seats = f"{event.capacity} place{'s' if event.capacity > 1 else ''}"
        raise EventError(
            f"L'événement est complet ({seats}) : confirmez pour donner une place en surnombre."
        )
    return _seat(registration)


RECORDABLE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


def _existing_registration(event, *, person, email, first_name, last_name):
    """The person's registration to the event, active first, else their last cancelled one."""
    registrations = Registration.objects.select_for_update().filter(event=event)
    if person is not None:
        registrations = registrations.filter(person=person)
    elif email:
        registrations = registrations.filter(person__isnull=True, email__iexact=email)
    else:
        registrations = registrations.filter(
            person__isnull=True,
            email="",
            first_name__iexact=first_name,
            last_name__iexact=last_name,
        )
    candidates = list(registrations.order_by("-created_at", "-pk"))
    active = [r for r in candidates if r.status != Registration.Status.CANCELLED]
    return (active or candidates or [None])[0]


@transaction.atomic
def registration_record(
    *,
    event,
    person=None,
    first_name="",
    last_name="",
    email="",
    structure="",
    commune=None,
    status=Registration.Status.CONFIRMED,
    attended=None,
    recorded_by=None,
    notify=True,
) -> Registration:
    """Add someone by hand (a walk-in, a phone call): a member (`person`) or a guest by name and
    e-mail. One registration per person and event: an existing one is updated, never duplicated.
    Staff may add anyone, over capacity and after the event started (not to a cancelled event);
    audiences and territory do not apply. `notify=False` sends no e-mail (the demo's history)."""
    event = _locked(event)
    if event.is_cancelled:
        raise EventError("Cet événement est annulé.")
    if status not in RECORDABLE:
        raise EventError("Choisissez « inscrit·e » ou « sur liste d'attente ».")
    first_name, last_name = first_name.strip(), last_name.strip()
    email = email.strip().lower()
    if person is None and not (email or (first_name and last_name)):
        raise EventError("Indiquez le prénom et le nom de la personne, ou son adresse e-mail.")
    if attended and not check_in_open(event):
        raise EventError(
            "La présence se note à partir du jour de l'événement : inscrivez la personne "
            "sans cocher « Présent·e »."
        )
    registration = _existing_registration(
        event, person=person, email=email, first_name=first_name, last_name=last_name
    )
    before = registration.status if registration else None
    if registration is None:
        registration = Registration(event=event, person=person, invited_by=recorded_by)
    if person is None:
        registration.first_name = first_name or registration.first_name
        registration.last_name = last_name or registration.last_name
        registration.email = email or registration.email
    registration.structure = structure.strip() or registration.structure
    registration.commune = commune or registration.commune
    registration.status = status
    registration.offered_until = None
    registration.cancelled_at = None
    if attended is not None:
        registration.attended = attended
        registration.checked_in_at = timezone.now() if attended else None
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # the same person added twice at once
        raise EventError("Cette personne est déjà inscrite à cet événement.") from error
    upcoming = event.starts_at > timezone.now()
    if notify and upcoming and before != status:
        _notify(
            registration,
            "registration_confirmed"
            if status == Registration.Status.CONFIRMED
            else "registration_waitlisted",
        )
    reminders.registration_plan(registration)
    if attended:
        hooks.attendance_recorded.send(registrations=[registration])
    return registration


# --- Guests -------------------------------------------------------------------------------


def guest_invite_warning(event) -> str | None:
    """What the person inviting should know first (the guest would be waitlisted)."""
    if event.capacity is not None and not _has_free_seat(event):
        return (
            "L'événement est complet : la personne invitée sera placée sur liste d'attente et "
            "prévenue si une place se libère."
        )
    return None


def _check_invitation_quota(invited_by, now):
    if invited_by is None:
        return
    sent = GuestInvitation.objects.filter(invited_by=invited_by)
    if sent.filter(created_at__gt=now - timedelta(hours=1)).count() >= GUEST_INVITATIONS_PER_HOUR:
        raise EventError(
            f"Vous avez envoyé {GUEST_INVITATIONS_PER_HOUR} invitations dans l'heure : "
            "réessayez plus tard. Pour inviter davantage de personnes, écrivez à l'équipe "
            "PromoSanté."
        )
    if sent.filter(created_at__gt=now - timedelta(days=1)).count() >= GUEST_INVITATIONS_PER_DAY:
        raise EventError(
            f"Vous avez envoyé {GUEST_INVITATIONS_PER_DAY} invitations en 24 heures : réessayez "
            "demain. Pour inviter davantage de personnes, écrivez à l'équipe PromoSanté."
        )


@transaction.atomic
def guest_invitation_record(
    *, event, invited_by, email, first_name, last_name, function="", limit=True, now=None
) -> GuestInvitation:
    """Create a guest's personal link under the agenda's rules, without e-mailing it (the demo,
    and `guest_invite`): the event takes guests and is open (at `now`, the present unless the
    demo records the past), one invitation per event and address, and (`limit`) a bound on what
    one person may send."""
    event = _locked(event)
    if Event.Audience.GUESTS not in event.audiences:
        raise EventError("Cet événement n'est pas ouvert aux invité·es (hiérarchie, élu·es).")
    now = now or timezone.now()
    _check_open(event, now)
    email = email.strip().lower()
    previous = event.guest_invitations.filter(email__iexact=email).first()
    if previous is not None:
        raise EventError(
            f"{email} a déjà été invité·e à cet événement (le "
            f"{timezone.localtime(previous.created_at):%d/%m/%Y}) : l'invitation n'est pas "
            "renvoyée."
        )
    if event.registrations.filter(
        Q(person__isnull=True, email__iexact=email) | Q(person__email__iexact=email),
        status__in=Registration.ACTIVE,
    ).exists():
        raise EventError(f"{email} est déjà inscrit·e à cet événement.")
    if limit:
        _check_invitation_quota(invited_by, now)
    return GuestInvitation.objects.create(
        event=event,
        invited_by=invited_by,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        function=function.strip(),
        expires_at=event.ends_at,
    )


@transaction.atomic
def guest_invite(
    *, event, invited_by, email, first_name, last_name, function=""
) -> GuestInvitation:
    """Invite a manager or an elected official: their personal link, by e-mail."""
    invitation = guest_invitation_record(
        event=event,
        invited_by=invited_by,
        email=email,
        first_name=first_name,
        last_name=last_name,
        function=function,
    )
    event = invitation.event
    send_email_on_commit(
        to=invitation.email,
        template="guest_invitation",
        category="event",
        topic=reminders.topic(event),
        topic_label=reminders.topic_label(event),
        context={
            "invitation": invitation,
            "event": event,
            "url": settings.SITE_URL + reverse("guest_register", args=[invitation.token]),
            "full": guest_invite_warning(event) is not None,
        },
    )
    return invitation


def guest_invitation_check(invitation, now=None):
    """The personal link works until the event ends (it then manages the registration)."""
    if invitation.expires_at <= (now or timezone.now()):
        raise EventError("Ce lien d'invitation a expiré : l'événement est passé.")


@transaction.atomic
def guest_register(
    *, invitation, first_name, last_name, function, commune, email=None, structure=""
) -> Registration:
    """Register the invited address (the seat is the invited person's: the link does not
    register another address)."""
    invitation = GuestInvitation.objects.select_for_update().get(pk=invitation.pk)
    guest_invitation_check(invitation)
    if email is not None and email.strip().lower() != invitation.email.lower():
        raise EventError(
            f"Cette invitation est personnelle : elle inscrit {invitation.email}. Pour inviter "
            "une autre personne, adressez-vous à la personne qui vous a invité·e."
        )
    if invitation.registration_id and invitation.registration.status != (
        Registration.Status.CANCELLED
    ):
        raise EventError("Vous êtes déjà inscrit·e : votre lien gère votre inscription.")
    event = _locked(invitation.event)
    _check_open(event, timezone.now())
    if event.registrations.filter(
        person__isnull=True, email__iexact=invitation.email, status__in=Registration.ACTIVE
    ).exists():
        raise EventError("Cette adresse e-mail est déjà inscrite à cet événement.")
    registration = Registration.objects.create(
        event=event,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=invitation.email.lower(),
        function=function,
        structure=structure,
        commune=commune,
        invited_by=invitation.invited_by,
        status=_seat_or_waitlist(event),
    )
    invitation.used_at = timezone.now()
    invitation.registration = registration
    invitation.save(update_fields=["used_at", "registration"])
    _notify(
        registration,
        "registration_confirmed"
        if registration.status == Registration.Status.CONFIRMED
        else "registration_waitlisted",
    )
    reminders.registration_plan(registration)
    return registration


# --- Events -------------------------------------------------------------------------------


def working_groups_usable(access):
    """The working groups an event of this organiser may belong to: every group for staff, the
    groups its own organisations lead for a CRPV or an ARS DD."""
    if access.role in TEAM:
        return WorkingGroup.objects.all()
    return WorkingGroup.objects.filter(
        organiser__in=[org.pk for org in access.publishing_organisations]
    )


def working_group_usable(group, *, access) -> bool:
    return working_groups_usable(access).filter(pk=group.pk).exists()


def event_hosts_usable(access, *, keep_id=None):
    """The people who may host a site visit: coordinators in post (`tenures_in_post`), in the
    partner's départements for a partner (individual data stays in its territory), anywhere for
    staff. `keep_id`, the current host of an edited event, stays a choice."""
    tenures = access.scope(tenures_in_post(), department_field="post__schemes__department")
    hosts = Q(pk__in=tenures.values("person"))
    if keep_id is not None:
        hosts |= Q(pk=keep_id)
    return User.objects.filter(hosts).order_by("last_name", "first_name", "pk")


@transaction.atomic
def event_save(*, event, departments, topics, extra=None, access=None) -> Event:
    """Create or change an event; registered people are told when its time or place moves.

    `extra` holds the fields higher floors added to the event form (`hooks.event_form`); they
    save them in this transaction (`hooks.event_saved`)."""
    if event.ends_at <= event.starts_at:
        raise EventError("La fin de l'événement doit être postérieure à son début.")
    typed = (
        event.starts_at,
        event.ends_at,
        event.registration_opens_at,
        event.registration_closes_at,
    )
    if any(moment and not EARLIEST <= moment.date() <= LATEST for moment in typed):
        # Past these bounds a calendar file or a registration could not be computed.
        raise EventError(
            f"Les dates d'un événement vont du {EARLIEST:%d/%m/%Y} au {LATEST:%d/%m/%Y}."
        )
    if (
        access is not None
        and event.working_group_id
        and not working_group_usable(event.working_group, access=access)
    ):
        raise EventError(
            "Ce groupe de travail est animé par une autre structure : choisissez un groupe "
            "que vous animez."
        )
    moved = False
    before = _locked(event) if event.pk else None
    if (
        access is not None
        and event.host_id
        and event.host_id != (before and before.host_id)
        and not event_hosts_usable(access).filter(pk=event.host_id).exists()
    ):
        raise EventError(
            "Choisissez pour accueillir une personne en poste de coordination sur votre territoire."
        )
    if before is not None:
        seated = _seats_taken(before)
        if event.capacity is not None and event.capacity < seated:
            raise EventError(
                f"{seated} personnes ont déjà une place : la capacité ne peut pas descendre "
                "en dessous."
            )
        moved = (before.starts_at, before.ends_at, before.location, before.video_url) != (
            event.starts_at,
            event.ends_at,
            event.location,
            event.video_url,
        )
        event.sequence = before.sequence + (1 if moved else 0)
    event.save()
    event.departments.set(departments)
    event.topics.set(topics)
    hooks.event_saved.send(event=event, data=extra or {}, access=access)
    # Guests' personal links last until the event ends, wherever it moves.
    event.guest_invitations.exclude(expires_at=event.ends_at).update(expires_at=event.ends_at)
    if moved:
        for registration in event.registrations.filter(status__in=Registration.ACTIVE):
            _notify(registration, "event_changed")
    reminders.event_plan(event)  # pending reminders follow the event's new time or kind
    waitlist_refresh(event=event)  # more seats may have opened
    return event


@transaction.atomic
def event_cancel(*, event, reason) -> Event:
    event = _locked(event)
    if event.is_cancelled:
        raise EventError("Cet événement est déjà annulé.")
    event.status = Event.Status.CANCELLED
    event.cancellation_reason = reason
    event.sequence += 1
    event.save(update_fields=["status", "cancellation_reason", "sequence", "updated_at"])
    reminders.event_plan(event)
    for registration in event.registrations.filter(status__in=Registration.ACTIVE):
        _notify(registration, "event_cancelled")
    return event


# --- Attendance and feedback --------------------------------------------------------------


PARIS = ZoneInfo("Europe/Paris")


def check_in_open(event, today: date | None = None) -> bool:
    """People are checked in from the day of the event on (Paris time): on the check-in page,
    and as walk-ins noted present."""
    today = today or timezone.localdate()
    return not event.is_cancelled and timezone.localdate(event.starts_at, PARIS) <= today


@transaction.atomic
def registration_check_in(*, registration, present=True) -> Registration:
    """A tap on the check-in page; tapping again undoes it (back to "not recorded")."""
    registration.attended = True if present else None
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["attended", "checked_in_at"])
    if present:
        hooks.attendance_recorded.send(registrations=[registration])
    else:
        hooks.attendance_undone.send(registration=registration)
    return registration


@transaction.atomic
def registration_excuse(*, registration) -> Registration:
    if registration.event.starts_at <= timezone.now():
        raise EventError("L'événement a commencé : il est trop tard pour vous excuser.")
    if registration.status == Registration.Status.CANCELLED:
        raise EventError("Cette inscription est annulée.")
    registration.excused = True
    registration.save(update_fields=["excused"])
    reminders.registration_plan(registration)
    return registration


FEEDBACK_SCORES = range(1, 6)
FEEDBACK_COMMENT_MAX_LENGTH = 2000


@transaction.atomic
def feedback_submit(*, registration, satisfaction, usefulness, comment="") -> Feedback:
    """A person recorded present gives their opinion on the event, once."""
    if not registration.attended:
        raise EventError("Seules les personnes présentes peuvent donner leur avis.")
    if satisfaction not in FEEDBACK_SCORES or usefulness not in FEEDBACK_SCORES:
        raise EventError("Donnez une note de 1 à 5.")
    comment = (comment or "").strip()
    if len(comment) > FEEDBACK_COMMENT_MAX_LENGTH:
        raise EventError(f"Un commentaire fait au plus {FEEDBACK_COMMENT_MAX_LENGTH} caractères.")
    given = EventError("Vous avez déjà donné votre avis sur cet événement. Merci !")
    if Feedback.objects.filter(registration=registration).exists():
        raise given
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                registration=registration,
                satisfaction=satisfaction,
                usefulness=usefulness,
                comment=comment,
            )
    except IntegrityError as error:  # the same form sent twice at once
        raise given from error


# --- A person's calendar ------------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, user) -> CalendarFeed:
    """Give the person a private calendar address, or a new one: the old one stops working."""
    token = CalendarFeed._meta.get_field("token").get_default()
    feed, created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": token})
    if not created:
        feed.token = token
        feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def working_group_join(*, group, person) -> list[Registration]:
    """One registration for the whole series: membership and a seat at every upcoming meeting."""
    group.members.add(person)
    now = timezone.now()
    registrations = []
    for meeting in group.meetings.filter(starts_at__gt=now, status=Event.Status.PUBLISHED):
        if meeting.registrations.filter(person=person, status__in=Registration.ACTIVE).exists():
            continue
        try:
            registrations.append(event_register(event=meeting, person=person))
        except EventError:
            continue  # a meeting whose registration is closed is simply skipped
    if not registrations and not group.meetings.filter(starts_at__gt=now).exists():
        raise EventError("Ce groupe de travail n'a pas de réunion à venir.")
    return registrations


@transaction.atomic
def working_group_leave(*, group, person) -> int:
    """Leave the group: cancel the registrations to its upcoming meetings."""
    group.members.remove(person)
    cancelled = 0
    for registration in Registration.objects.filter(
        event__working_group=group,
        event__starts_at__gt=timezone.now(),
        person=person,
        status__in=Registration.ACTIVE,
    ):
        registration_cancel(registration=registration)
        cancelled += 1
    return cancelled
