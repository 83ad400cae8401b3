"""The past the demo writes directly, and why.

The demo writes through the domains' services whatever a person or staff would do today. What
happened before today is different: a service stamps its rows with the present moment, and some
refuse the past by design (registering to an event that has begun) or have side effects that
belong to the present (asking a leaver for the handover file by e-mail, starting a welcome
sequence). So the demo's history (tenures since 2010, a year of registrations and attendance,
readings, the dates of what services recorded) is written here, in bulk, after each row has
been checked with the rules the services apply, so that the demo never holds a state the
platform would refuse. Nothing here sends an e-mail.
"""

from django.db import transaction
from django.db.models import Count, Q

from agenda import services as agenda_services
from agenda.models import Event, GuestInvitation, Registration
from coordinators import services as register_services
from coordinators.models import HandoverFile, Tenure
from resources.models import ResourceRead


class HistoryError(Exception):
    """A row of the demo's past that the platform's rules refuse (a bug in the demo's plan);
    nothing of the batch it belongs to is written."""


def backdate(model, field, rows):
    """Give saved rows the moment they happened: [(row, moment)] into `field`, which the service
    that created them stamped with the present."""
    for row, moment in rows:
        setattr(row, field, moment)
    model.objects.bulk_update([row for row, _ in rows], [field], batch_size=500)


# --- The register ------------------------------------------------------------------------------


@transaction.atomic
def tenures_record(tenures: list[Tenure]) -> list[Tenure]:
    """Tenures of the past (posts' histories since 2010), through
    `coordinators.services.tenure_record`: checked with the register's rules (dates in order,
    within the life of the post and of its schemes, a reason for each departure, no overlap),
    without the side effects of an arrival or a departure today. `tenure.post.schemes` should
    be prefetched. All or nothing: a refused tenure writes none of the batch."""
    recorded = []
    for tenure in sorted(tenures, key=lambda t: (t.post.pk, t.started_on)):
        try:
            recorded.append(
                register_services.tenure_record(
                    post=tenure.post,
                    person=tenure.person,
                    started_on=tenure.started_on,
                    ended_on=tenure.ended_on,
                    end_reason=tenure.end_reason,
                )
            )
        except register_services.RegisterError as error:
            raise HistoryError(f"{tenure.person} — poste {tenure.post.pk} : {error}") from error
    return recorded


@transaction.atomic
def handover_requests_record(requests):
    """[(handover file, day)]: the request to complete the file, made on the day the last
    holder left (`post_departure` also e-mails the leaver; the demo's leavers have no usable
    address)."""
    last_day = {}
    for post_id, ended_on in (
        Tenure.objects.filter(post_id__in=[handover.post_id for handover, _ in requests])
        .values_list("post_id", "ended_on")
        .order_by("post_id", "started_on")
    ):
        last_day[post_id] = ended_on
    for handover, day in requests:
        if last_day.get(handover.post_id) != day:
            raise HistoryError(f"Poste {handover.post_id} : la demande suit le dernier départ.")
    backdate(HandoverFile, "completion_requested_on", requests)


# --- The agenda --------------------------------------------------------------------------------


def _check_registration(registration, now):
    """What `event_register` (or `guest_register`), `registration_cancel` and a check-in would
    have required when each happened."""
    event = registration.event
    closed = agenda_services.registration_closed_reason(event, now=registration.created_at)
    if closed:
        raise HistoryError(f"{event} — inscription du {registration.created_at} : {closed}")
    if registration.person_id is None and Event.Audience.GUESTS not in event.audiences:
        raise HistoryError(f"{event} : cet événement n'est pas ouvert aux invité·es.")
    cancelled = registration.status == Registration.Status.CANCELLED
    if cancelled and not registration.created_at <= registration.cancelled_at < event.starts_at:
        raise HistoryError(f"{event} : une annulation se fait avant l'événement.")
    recorded = registration.attended is not None or registration.attendance_minutes is not None
    seat_taken = registration.status == Registration.Status.CONFIRMED and event.starts_at <= now
    if recorded and not seat_taken:
        raise HistoryError(f"{event} : une présence se note pour une place, l'événement venu.")


@transaction.atomic
def registrations_record(registrations: list[Registration], *, now) -> list[Registration]:
    """Registrations of the past (weeks before an event, or to an event that has taken place),
    with their attendance, written as the agenda's services would have left them.

    `event_register` stamps the present and refuses an event that has begun, and it e-mails a
    confirmation; so each row is checked with the agenda's rules at the moment it was made:
    the event open for registration (`registration_closed_reason`), guests only where guests
    are invited, a cancellation before the event, attendance only for a seat at an event that
    took place; then the events' capacity and waitlist are checked as a whole.
    """
    # Not `agenda.services.registration_record`: it records today's walk-ins (over capacity,
    # after the start), where this replays months of registrations one moment at a time; the
    # agenda's rules of each moment are checked here, and the seats as a whole below.
    for registration in registrations:
        _check_registration(registration, now)
    created_at = [(r, r.created_at) for r in registrations]  # auto_now_add: set after writing
    Registration.objects.bulk_create(registrations)
    backdate(Registration, "created_at", created_at)
    _check_seats({r.event_id for r in registrations}, now)
    return registrations


def _check_seats(event_ids, now):
    """No event has more seats taken than places, and nobody waits for a seat that is free:
    the agenda's own sweep (`waitlist_refresh`) finds nobody to promote."""
    events = Event.objects.filter(pk__in=event_ids).annotate(
        seated=Count("registrations", filter=Q(registrations__status__in=Registration.SEATED))
    )
    for event in events:
        if event.capacity is not None and event.seated > event.capacity:
            raise HistoryError(f"{event} : {event.seated} places prises sur {event.capacity}.")
        if event.starts_at > now and agenda_services.waitlist_refresh(event=event):
            raise HistoryError(f"{event} : une place libre et des personnes en attente.")


@transaction.atomic
def invitations_record(invitations: list[GuestInvitation]) -> list[GuestInvitation]:
    """Invitations of guests sent in the past, through `agenda.services.guest_invitation_record`
    at the moment each was sent (guests invited to the event, the event open then, one
    invitation per event and address; no e-mail, no per-sender bound: the demo's staff and
    coordinators sent them over weeks). The link lasts until the event ends, as the service
    decides. Invitations that were used are linked to their registration by `invitations_used`,
    once the registrations are recorded."""
    recorded = []
    for planned in invitations:
        try:
            invitation = agenda_services.guest_invitation_record(
                event=planned.event,
                invited_by=planned.invited_by,
                email=planned.email,
                first_name=planned.first_name,
                last_name=planned.last_name,
                function=planned.function,
                limit=False,
                now=planned.created_at,
            )
        except agenda_services.EventError as refused:
            raise HistoryError(
                f"{planned.event} — invitation du {planned.created_at} : {refused}"
            ) from refused
        recorded.append((invitation, planned.created_at))
    backdate(GuestInvitation, "created_at", recorded)
    return [invitation for invitation, _ in recorded]


@transaction.atomic
def invitations_used(uses: list[tuple[GuestInvitation, Registration]]) -> None:
    """The guests who registered through their link: the registration it made, when."""
    for invitation, registration in uses:
        if not invitation.created_at <= registration.created_at <= invitation.expires_at:
            raise HistoryError(f"{invitation.event} : un lien sert entre son envoi et sa fin.")
        invitation.used_at, invitation.registration = registration.created_at, registration
    GuestInvitation.objects.bulk_update(
        [invitation for invitation, _ in uses], ["used_at", "registration"], batch_size=500
    )


# --- The library -------------------------------------------------------------------------------


@transaction.atomic
def readings_record(reads: list[ResourceRead]) -> list[ResourceRead]:
    """Resources people opened in the past: `resources.services.resource_read` stamps the
    present (the pathway steps it completes are completed by `pathway_join`, which the demo
    calls afterwards). Only a published resource can be opened."""
    for read in reads:
        if not read.resource.is_published:
            raise HistoryError(f"{read.resource} n'est pas publiée : personne ne l'a ouverte.")
    read_at = [(r, r.read_at) for r in reads]
    ResourceRead.objects.bulk_create(reads)
    backdate(ResourceRead, "read_at", read_at)
    return reads
