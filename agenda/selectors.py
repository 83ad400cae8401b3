"""Reads on events: the agenda, an event page and what its visitor may do there, a person's
calendar, the attendance certificate and the feedback form."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import Organisation, User

from . import hooks, services
from .attendance import event_attendance_counts
from .models import CalendarFeed, Event, Feedback, GuestInvitation, Registration
from .services import (
    PRIVATE_KINDS,
    Contact,
    guest_invite_warning,
    organiser_contact,
    person_audiences,
    person_department_codes,
    registration_closed_reason,
    registration_refusal,
)


def visible_to(events, user):
    """`events` without the private ones (`PRIVATE_KINDS`: tutoring sessions) `user` is not
    registered to: the agenda, the month and an event's page show a pair's session to the pair
    only."""
    if user is None or not user.is_authenticated:
        return events.exclude(kind__in=PRIVATE_KINDS)
    mine = Registration.objects.filter(
        event=OuterRef("pk"), person=user, status__in=Registration.ACTIVE
    )
    return events.exclude(Q(kind__in=PRIVATE_KINDS) & ~Exists(mine))


def _with_counts(events, user):
    seated = Count("registrations", filter=Q(registrations__status__in=Registration.SEATED))
    waiting = Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED))
    events = events.select_related("organiser").prefetch_related("departments")
    attended = Count("registrations", filter=Q(registrations__attended=True))
    events = events.annotate(
        seats_taken=seated, waiting_count=waiting, attended_count=attended
    ).annotate(
        is_full=Case(
            When(capacity__gt=0, seats_taken__gte=F("capacity"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    if user is not None and user.is_authenticated:
        mine = Registration.objects.filter(
            event=OuterRef("pk"), person=user, status__in=Registration.ACTIVE
        )
        ahead = (
            Registration.objects.filter(
                event=OuterRef("event"), status=Registration.Status.WAITLISTED
            )
            .filter(
                Q(created_at__lt=OuterRef("created_at"))
                | Q(created_at=OuterRef("created_at"), pk__lte=OuterRef("pk"))
            )
            .values("event")
            .annotate(rank=Count("pk"))
            .values("rank")
        )
        waiting = mine.filter(status=Registration.Status.WAITLISTED).annotate(
            rank=Subquery(ahead[:1])
        )
        events = events.annotate(
            my_status=Subquery(mine.values("status")[:1]),
            my_position=Subquery(waiting.values("rank")[:1]),
        )
    return events


def audiences_for(user, today):
    """The audiences a coordinator belongs to, for "open to me"."""
    return person_audiences(user, today)


def agenda(*, user, filters, access=None, now=None):
    """Upcoming events (or past ones, latest first, with `past`) matching the agenda's filters
    (a list: "open to me" is read in Python, since audiences are a JSON list that SQLite cannot
    search). Each event says whether it `is_over` and whether `access` may see its attendance
    (`shows_attendance`: staff and its organiser)."""
    now = now or timezone.now()
    past = filters.get("past")
    events = (
        Event.objects.filter(ends_at__lt=now) if past else Event.objects.filter(ends_at__gte=now)
    )
    if filters.get("kind"):
        events = events.filter(kind=filters["kind"])
    if filters.get("department"):
        # A département's agenda: its own offers and the regional ones.
        events = events.filter(
            Q(departments=filters["department"]) | Q(departments__isnull=True)
        ).distinct()
    if filters.get("organiser"):
        events = events.filter(organiser=filters["organiser"])
    if filters.get("registered"):
        events = events.filter(
            Exists(
                Registration.objects.filter(
                    event=OuterRef("pk"), person=user, status__in=Registration.ACTIVE
                )
            )
        )
    order = ("-starts_at", "-pk") if past else ("starts_at", "pk")
    events = list(_with_counts(visible_to(events, user), user).order_by(*order))
    if filters.get("audience"):
        events = [e for e in events if filters["audience"] in e.audiences]
    if filters.get("open_to_me"):  # the rule of `registration_refusal`, for the whole list
        mine = audiences_for(user, now.date())
        codes = person_department_codes(user)
        events = [
            e
            for e in events
            if mine & set(e.audiences)
            and not e.is_cancelled
            and (not e.departments.all() or codes & {d.code for d in e.departments.all()})
        ]
    for event in events:
        event.is_over = event.ends_at < now
        event.shows_attendance = access is not None and access.can_manage_attendance(event)
    return events


def month(*, year, month_number, user):
    """Weeks of the month, each a list of (day, events of that day)."""
    first = date(year, month_number, 1)
    last = date(year, month_number, calendar.monthrange(year, month_number)[1])
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    events = list(
        _with_counts(
            visible_to(Event.objects.filter(starts_at__lt=end, ends_at__gte=start), user), user
        ).order_by("starts_at")
    )
    by_day = {}
    for event in events:
        day = timezone.localtime(event.starts_at).date()
        by_day.setdefault(day, []).append(event)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month_number)
    return [
        [(day, by_day.get(day, []), day.month == month_number) for day in week] for week in weeks
    ]


def event_page(pk, user):
    registrations = Registration.objects.select_related("person", "commune").order_by(
        "created_at", "pk"
    )
    return (
        _with_counts(visible_to(Event.objects.filter(pk=pk), user), user)
        .select_related("working_group", "host")
        .prefetch_related("topics", Prefetch("registrations", queryset=registrations))
        .get()
    )


@dataclass
class EventPage:
    """What the visitor of an event's page sees of it and may do there, decided once: the
    template only displays it."""

    event: Event
    mine: Registration | None  # the visitor's registration, unless cancelled
    manages: bool  # staff, or the organiser: registrations, counts, edit and cancel
    can_register: bool
    closed_reason: str | None  # why registration is closed now (None: open)
    video_url: str  # the video link, for those who may see it ("" otherwise)
    video_hidden: bool  # a video link exists that the visitor does not see yet
    seats_left: int | None  # None: no limit
    full: bool  # registering puts one on the waitlist
    may_unregister: bool  # cancel one's registration: the event is to come
    may_excuse: bool  # say one will be absent: confirmed, to come, not yet excused
    invites_guests: bool  # show the form to invite a manager or an elected official
    can_check_in: bool
    may_cancel_event: bool
    is_member: bool  # of the event's working group
    facts: list = field(default_factory=list)  # lines higher floors add (core.hooks.Fact)
    materials: list = field(default_factory=list)  # its replay, slides… the visitor may read
    overlaps: list = field(default_factory=list)  # same audience, same time (for managers)
    counts: dict | None = None  # attendance counts (for managers)
    refusal: str | None = None  # why the visitor may not register (audience, territory)
    contact: Contact | None = None  # whom to write to when refused
    waitlist_position: int | None = None  # the visitor's rank on the waitlist
    invite_warning: str | None = None  # what to know before inviting (the event is full)
    offers_ics: bool = False  # the calendar file: a confirmed seat, staff and the organiser
    is_over: bool = False  # ended: no seats to speak of


def event_materials(event, access) -> list:
    """The documents attached to `event` (replay, slides…) that `access` may read: lines from
    the floors above (`hooks.event_materials`)."""
    return [
        line for lines in hooks.event_materials.send(event=event, access=access) for line in lines
    ]


def _invites_guests(*, manages, registration):
    """Staff, the organiser and the people registered invite guests."""
    return manages or registration is not None


def event_page_for(event, *, user, access, now=None) -> EventPage:
    """The page of `event` (read by `event_page`, registrations prefetched) for `user`."""
    now = now or timezone.now()
    mine = next(
        (
            r
            for r in event.registrations.all()
            if r.person_id == user.pk and r.status != Registration.Status.CANCELLED
        ),
        None,
    )
    manages = access.can_manage_event(event)
    upcoming = event.starts_at > now and not event.is_cancelled
    confirmed = mine is not None and mine.status == Registration.Status.CONFIRMED
    shows_video = manages or confirmed
    seats_left = None if event.capacity is None else max(event.capacity - event.seats_taken, 0)
    group = event.working_group
    invites = (
        Event.Audience.GUESTS in event.audiences
        and _invites_guests(manages=manages, registration=mine)
        and upcoming
    )
    return EventPage(
        event=event,
        mine=mine,
        manages=manages,
        can_register=access.can("events.register"),
        closed_reason=registration_closed_reason(event, now),
        video_url=event.video_url if shows_video else "",
        video_hidden=bool(event.video_url) and not shows_video,
        seats_left=seats_left,
        full=event.is_full,
        may_unregister=mine is not None and upcoming,
        may_excuse=confirmed and not mine.excused and upcoming,
        invites_guests=invites,
        can_check_in=access.can_manage_attendance(event),
        may_cancel_event=manages and not event.is_cancelled,
        is_member=group is not None and group.members.filter(pk=user.pk).exists(),
        facts=[fact for facts in hooks.event_facts.send(event=event) for fact in facts],
        materials=event_materials(event, access),
        overlaps=overlapping_events(event) if manages else [],
        counts=event_attendance_counts(event) if manages else None,
        refusal=registration_refusal(event, user, now=now, with_contact=False)
        if mine is None and access.can("events.register")
        else None,
        contact=organiser_contact(event),
        waitlist_position=waitlist_position(mine),
        invite_warning=guest_invite_warning(event) if invites else None,
        offers_ics=manages or confirmed,
        is_over=event.ends_at < now,
    )


def may_invite_guests(event, *, user, access) -> bool:
    """Whether `user` may invite guests to `event` (whether the event takes guests now is the
    service's to say)."""
    manages = access.can_manage_event(event)
    registration = (
        None
        if manages
        else Registration.objects.filter(
            event=event, person=user, status__in=Registration.ACTIVE
        ).first()
    )
    return _invites_guests(manages=manages, registration=registration)


def person_is_confirmed(event, user) -> bool:
    """A confirmed seat: the event's calendar file then carries its video link."""
    return Registration.objects.filter(
        event=event, person=user, status=Registration.Status.CONFIRMED
    ).exists()


def calendar_feed_of(user):
    """The person's private calendar address, or None before they create one."""
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_events(token):
    """The events of the person whose private address `token` is, for their calendar app; None
    when the address is unknown (renewed since) or the account closed."""
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        return None
    return person_events(feed.user)


# --- Attendance: certificate and feedback -------------------------------------------------


def certificate_registration(pk, *, user, access) -> Registration:
    """A registration recorded present, for its certificate: the person's own, or anyone's for
    those who manage the event's attendance. Raises Registration.DoesNotExist otherwise (a 404:
    whether someone else attended is not revealed)."""
    registration = (
        Registration.objects.select_related("event__organiser", "person__coordinator_profile")
        .exclude(status=Registration.Status.CANCELLED)
        .get(pk=pk, attended=True)
    )
    if registration.person_id != user.pk and not access.can_manage_attendance(registration.event):
        raise Registration.DoesNotExist
    return registration


def attendee_position(registration) -> str:
    """What the certificate says the person does: "Coordinatrice CLS, Ville de Saint-Denis",
    or a guest's function."""
    if registration.is_guest:
        return registration.function
    profile = getattr(registration.person, "coordinator_profile", None)
    if profile is None:
        return ""
    return ", ".join(part for part in (profile.job_title, profile.employer) if part)


def own_registration(pk, user) -> Registration:
    """The person's own registration (not cancelled) with its event; raises
    Registration.DoesNotExist for anyone else's."""
    return (
        Registration.objects.select_related("event")
        .exclude(status=Registration.Status.CANCELLED)
        .get(pk=pk, person=user)
    )


def feedback_closed_reason(registration) -> str | None:
    """Why the person cannot give their opinion on the event (None: they can)."""
    if not registration.attended:
        return "Seules les personnes présentes à l'événement peuvent donner leur avis."
    if Feedback.objects.filter(registration=registration).exists():
        return "Vous avez déjà donné votre avis sur cet événement. Merci !"
    return None


def my_registration(event, user):
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, person=user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def overlapping_events(event):
    """Other events at the same time for at least one common audience (a warning for staff)."""
    if not event.pk and not (event.starts_at and event.ends_at):
        return []
    others = (
        Event.objects.filter(starts_at__lt=event.ends_at, ends_at__gt=event.starts_at)
        .exclude(pk=event.pk)
        .exclude(status=Event.Status.CANCELLED)
        .select_related("organiser")
    )
    audiences = set(event.audiences)
    return [other for other in others if audiences & set(other.audiences)]


def person_events(user):
    """Events a person holds a seat or a waitlist place at, with `my_status`, for their feed."""
    mine = Registration.objects.filter(
        event=OuterRef("pk"), person=user, status__in=Registration.ACTIVE
    )
    return list(
        Event.objects.filter(Exists(mine))
        .annotate(my_status=Subquery(mine.values("status")[:1]))
        .select_related("organiser")
        .order_by("starts_at")
    )


def next_events(user, limit=5):
    """A person's next events, with their registration status (one query)."""
    mine = Registration.objects.filter(
        event=OuterRef("pk"), person=user, status__in=Registration.ACTIVE
    )
    return list(
        Event.objects.filter(ends_at__gte=timezone.now())
        .filter(Exists(mine))
        .annotate(my_status=Subquery(mine.values("status")[:1]))
        .order_by("starts_at")[:limit]
    )


def next_welcome_day(now=None):
    return (
        Event.objects.filter(
            is_welcome_day=True, starts_at__gt=now or timezone.now(), status=Event.Status.PUBLISHED
        )
        .order_by("starts_at")
        .first()
    )


# --- Guests' invitations and the waitlist -----------------------------------------------------


def pending_guest_invitations(event, now=None):
    """The event's guest invitations, newest first, each with `state` (GuestInvitation.State:
    sent, registered, cancelled, expired) and `state_label`, for the staff page (two queries)."""
    now = now or timezone.now()
    invitations = list(
        event.guest_invitations.select_related("invited_by", "registration").order_by(
            "-created_at", "-pk"
        )
    )
    for invitation in invitations:
        invitation.state = invitation.state_on(now)
        invitation.state_label = invitation.state.label
    return invitations


def waitlist_position(registration) -> int | None:
    """The person's rank on the event's waitlist (1 = next to be offered a seat), or None."""
    if registration is None or registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def freed_seat_goes_to_waitlist(event) -> bool:
    """Whether a seat cancelled now is offered to someone: a person waits, and the event is not
    over its capacity (one query)."""
    counts = event.registrations.aggregate(
        seated=Count("pk", filter=Q(status__in=Registration.SEATED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
    )
    if not counts["waiting"]:
        return False
    return event.capacity is None or counts["seated"] <= event.capacity


def guest_invitation_page(token):
    """A guest's personal link with its event and registration; None when unknown."""
    return (
        GuestInvitation.objects.filter(token=token)
        .select_related("event__organiser", "registration", "invited_by__coordinator_profile")
        .first()
    )


def guest_contacts(invitation) -> list[Contact]:
    """Whom a guest writes to with a question: the coordinator who invited them if they show
    their address in the directory, and the team (which passes messages on to the inviter and
    the organiser)."""
    event, inviter = invitation.event, invitation.invited_by
    profile = getattr(inviter, "coordinator_profile", None) if inviter else None
    contacts, passes_on = [], []
    if profile is not None and profile.shows_email:
        name = f"{inviter.get_full_name()}, qui vous a invité·e"
        contacts.append(Contact(name, inviter.email, event.title))
    elif inviter is not None:
        passes_on.append(f"{inviter.get_full_name()}, qui vous a invité·e,")
    if event.organiser.kind != Organisation.Kind.PROMOSANTE:
        passes_on.append("l'organisateur")
    team = "l'équipe PromoSanté"
    if passes_on:
        team += ", qui transmettra à " + " ou à ".join(passes_on)
    contacts.append(Contact(team, settings.TEAM_EMAIL, event.title))
    return contacts


def walk_in_people(access):
    """Whom staff may add by hand to an event: any member of the network (an approved
    coordinator, staff, a partner); an organising partner, the coordinators in post of its
    départements only (individual data stays in its territory)."""
    if access.department_codes is not None:
        return services.event_hosts_usable(access)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(coordinator_profile__status="approved") | Q(memberships__isnull=False))
        .distinct()
        .only("pk", "first_name", "last_name", "email")
    )
