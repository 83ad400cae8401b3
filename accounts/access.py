"""What a user may see and do: the one place where roles and territorial scope are computed.

Views never test roles: they name the permission they need with `core.permissions.requires`
(which asks `request.access.can(...)`), and every queryset of personal data goes through
`Access.scope(...)`.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from django.urls import reverse

from territories.models import Department

from . import hooks
from .models import Organisation


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    PENDING = "pending"  # a coordinator whose sign-up staff have not approved yet
    NONE = "none"  # an account with neither profile nor membership (refused, or left)
    COORDINATOR = "coordinator"
    STAFF = "staff"
    PARTNER = "partner"
    SUPERUSER = "superuser"


ROLE_LABELS = {
    Role.COORDINATOR: "Coordinateur·rice",
    Role.STAFF: "Équipe PromoSanté",
    Role.PARTNER: "Partenaire",
    Role.SUPERUSER: "Administrateur·rice",
    Role.PENDING: "Inscription en attente",
    Role.NONE: "Sans rôle",
    Role.ANONYMOUS: "Visiteur",
}

MEMBERS = {Role.COORDINATOR, Role.STAFF, Role.PARTNER, Role.SUPERUSER}
TEAM = {Role.STAFF, Role.SUPERUSER}

# permission -> roles that hold it. Territorial limits are applied on top by `scope`.
PERMISSIONS = {
    "space.view": MEMBERS,
    "profile.view": MEMBERS | {Role.NONE},
    "profile.edit": MEMBERS,
    # Dashboards: staff the region, partners their territory (`dashboards.filters.scope_for`);
    # the same figures export as CSV/XLSX. The needs' texts are read by the team only; the team
    # writes the yearly activity report.
    "dashboard.view": TEAM | {Role.PARTNER},
    "dashboard.export": TEAM | {Role.PARTNER},
    # The named lists behind the figures that no other page shows (arrivals and departures): a
    # partner's dashboard says « < 3 » about few people, so the names stay with the team.
    "dashboard.lists": TEAM,
    "needs.texts": TEAM,
    "reports.edit": TEAM,
    # The staff back-office: its index (/gestion/) and each of its pages.
    "manage.view": TEAM,
    "manage.invite": TEAM,
    "manage.approve_signups": TEAM,
    "manage.outbox": TEAM,
    "notifications.rules": TEAM,
    "notifications.sequences": TEAM,
    "lists.edit": TEAM,
    "admin.view": {Role.SUPERUSER},
    # The register: schemes and posts are public inside the network; people's history is not.
    "schemes.view": MEMBERS,
    "schemes.edit": TEAM,
    "register.history": TEAM | {Role.PARTNER},
    "register.import": TEAM,
    "register.export": TEAM,
    "posts.claim": {Role.COORDINATOR},
    # Events: everyone in the network sees the agenda; coordinators register. Staff publish any
    # event, a CRPV or an ARS DD its own (`can_publish_events`, `can_manage_event` on top).
    # Staff, an event's organiser and the people registered invite guests (`may_invite_guests`).
    "events.view": MEMBERS,
    "events.register": {Role.COORDINATOR},
    "events.publish": TEAM | {Role.PARTNER},
    "events.invite_guests": MEMBERS,
    # Staff manage the registrations and attendance of any event (act on a registration, add a
    # walk-in, export, check in, import the webinar tool's file, print a certificate); a CRPV or an
    # ARS DD those of the events it organises (`can_manage_event` on top).
    "attendance.manage": TEAM | {Role.PARTNER},
    # Pathways, offers and competencies: the catalogue is public inside the network; coordinators
    # follow pathways and assess themselves; staff and partners see only aggregates of people.
    "pathways.view": MEMBERS,
    "pathways.join": {Role.COORDINATOR},
    "pathways.edit": TEAM,
    "offers.view": MEMBERS,
    # Staff manage every offer, a CRPV or an ARS DD those it provides (`can_manage_offer`).
    "offers.publish": TEAM | {Role.PARTNER},
    "offers.complementarity": TEAM | {Role.PARTNER},
    "competencies.view": MEMBERS,
    "competencies.edit": TEAM,
    "assessment.submit": {Role.COORDINATOR},
    "assessment.aggregates": TEAM | {Role.PARTNER},
    # The library: each resource names its audience (coordinators, partners, the network, or the
    # public without an account: `resources.selectors.library.readable`); the team edits it.
    "resources.view": MEMBERS,
    "resources.edit": TEAM,
    # Resources distributed on request (the Boussole): coordinators ask, the team processes.
    "resources.request": {Role.COORDINATOR},
    "resources.requests_manage": TEAM,
    # Packs for elected officials and managers: the team assembles them; coordinators (and the
    # team) share them by a link that needs no account.
    "packs.share": {Role.COORDINATOR} | TEAM,
    "packs.edit": TEAM,
    # The news board: the network reads it; the team posts for the region, a CRPV or an ARS DD
    # for its départements (`Access.publishing_organisations` on top).
    "news.view": MEMBERS,
    "news.publish": TEAM | {Role.PARTNER},
    # Vacancies: the team publishes any; the holder of a post who announced their departure,
    # for their employer, that post's (`coordinators.vacancies.may_publish_vacancy` on top).
    # The open vacancies are public (no account needed).
    "vacancies.publish": TEAM | {Role.COORDINATOR},
    # The directory of peers: each person shows what they chose; partners see their territory
    # only (`scope`), coordinators and staff the region.
    "directory.view": MEMBERS,
    # Mutual help (/entraide/): its index shows each role what it may use. Peers write to each
    # other through the platform (relayed e-mail); staff may write too.
    "mutual_help.view": MEMBERS,
    "peers.contact": {Role.COORDINATOR} | TEAM,
    # Tutoring pairs are personal: the coordinators concerned and staff (who propose pairs and
    # follow them); partners see none.
    "tutoring.view": {Role.COORDINATOR} | TEAM,
    "tutoring.request": {Role.COORDINATOR},
    "tutoring.manage": TEAM,
    # Experience notes, once published, are the network's shared knowledge (partners read those
    # of their territory); coordinators and staff write them and comment.
    "notes.view": MEMBERS,
    "notes.write": {Role.COORDINATOR} | TEAM,
    # Questions between peers stay among peers (and the team who runs the network).
    "questions.view": {Role.COORDINATOR} | TEAM,
    "questions.ask": {Role.COORDINATOR} | TEAM,
}

# Partner organisations that publish their own departmental offers and events.
PUBLISHING_KINDS = {Organisation.Kind.CRPV, Organisation.Kind.ARS_DD}

# Roles whose accounts must have two-factor authentication when REQUIRE_MFA is on.
MFA_ROLES = {Role.STAFF, Role.PARTNER, Role.SUPERUSER}

# (label, url name, permission), in the order of the navigation bar.
NAVIGATION = [
    ("Mon espace", "home", "space.view"),
    ("Parcours", "pathways", "pathways.view"),
    ("Agenda", "agenda", "events.view"),
    ("Annuaire", "directory", "directory.view"),
    ("Entraide", "mutual_help", "mutual_help.view"),
    ("Ressources", "resources", "resources.view"),
    ("Actualités", "news", "news.view"),
    ("Dispositifs", "schemes", "schemes.view"),
    ("Tableau de bord", "dashboard", "dashboard.view"),
    ("Gestion", "manage:index", "manage.view"),
    ("Administration", "admin:index", "admin.view"),
]

# The account menu (under the person's name), in order.
ACCOUNT_MENU = [
    ("Mon profil", "profile", "profile.view"),
    ("Mes e-mails", "own_emails", "profile.edit"),
    ("Mes notifications", "notification_preferences", "profile.edit"),
    ("Mes messages envoyés", "peer_messages", "peers.contact"),
]

LANDING = {
    Role.COORDINATOR: "home",
    Role.STAFF: "manage:index",
    Role.SUPERUSER: "manage:index",
    Role.PARTNER: "dashboard",
    Role.PENDING: "account_pending",
    Role.NONE: "profile",
    Role.ANONYMOUS: "home",
}


@dataclass(frozen=True)
class Access:
    role: Role
    organisations: tuple = ()
    # Codes of the départements whose individual data the user may see; None means all.
    department_codes: frozenset | None = field(default_factory=frozenset)
    user_id: int | None = None

    @property
    def role_label(self):
        return ROLE_LABELS[self.role]

    @property
    def is_regional(self):
        return self.department_codes is None

    def can(self, permission):
        return self.role in PERMISSIONS[permission]

    def sees_department(self, code):
        return self.department_codes is None or code in self.department_codes

    def scope(self, queryset, department_field):
        """Restrict `queryset` to the user's territory; `department_field` leads to a Department."""
        if self.department_codes is None:
            return queryset
        prefix = f"{department_field}__" if department_field else ""
        return queryset.filter(**{f"{prefix}code__in": self.department_codes})

    def departments(self):
        return self.scope(Department.objects.all(), department_field="")

    def navigation(self):
        return [(label, reverse(name)) for label, name, perm in NAVIGATION if self.can(perm)]

    def account_menu(self):
        return [(label, reverse(name)) for label, name, perm in ACCOUNT_MENU if self.can(perm)]

    def sees_history_of(self, department_code):
        """Tenure history (who held a post, when, why they left) is personal data."""
        return self.can("register.history") and self.sees_department(department_code)

    def can_read_handover(self, *, department_code, author_ids):
        """Staff, partners of the territory, and the people who hold or just left the post."""
        return self.sees_history_of(department_code) or self.user_id in author_ids

    def can_edit_handover(self, *, author_ids):
        return self.role in TEAM or self.user_id in author_ids

    @cached_property
    def publishing_organisations(self):
        """Organisations in whose name the user may publish events."""
        if self.role in TEAM:
            return list(Organisation.objects.all())
        if self.role == Role.PARTNER:
            return [org for org in self.organisations if org.kind in PUBLISHING_KINDS]
        return []

    @property
    def can_publish_events(self):
        return self.role in TEAM or bool(self.publishing_organisations)

    def can_manage_offer(self, offer):
        """Staff manage every offer; a CRPV or DD manages the offers it provides (possibly with
        others: co-built offers are managed by each of their providers)."""
        if self.role in TEAM:
            return True
        mine = {org.pk for org in self.publishing_organisations}
        return any(org.pk in mine for org in offer.providers.all())

    def can_manage_event(self, event):
        """Staff manage every event; a CRPV or DD manages the events it organises."""
        if self.role in TEAM:
            return True
        return any(org.pk == event.organiser_id for org in self.publishing_organisations)

    def can_manage_attendance(self, event):
        """Registrations, attendance and certificates of an event: staff, or its organiser."""
        return self.can("attendance.manage") and self.can_manage_event(event)

    def scope_listing(self, queryset, department_field):
        """Lists of the register: partners follow their territory, members see the network."""
        if self.role == Role.PARTNER:
            return self.scope(queryset, department_field)
        return queryset

    @property
    def landing_url(self):
        return reverse(LANDING[self.role])

    @property
    def requires_mfa(self):
        return self.role in MFA_ROLES


ANONYMOUS = Access(role=Role.ANONYMOUS)


def access_for(user):
    """Compute the role and territory of `user` (two queries at most)."""
    if not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    organisations = tuple(
        Organisation.objects.filter(memberships__user=user).prefetch_related("departments")
    )
    uid = user.pk
    if user.is_superuser:
        return Access(Role.SUPERUSER, organisations, department_codes=None, user_id=uid)
    if any(org.kind == Organisation.Kind.PROMOSANTE for org in organisations):
        return Access(Role.STAFF, organisations, department_codes=None, user_id=uid)
    if organisations:
        codes = frozenset(d.code for org in organisations for d in org.departments.all())
        return Access(Role.PARTNER, organisations, department_codes=codes, user_id=uid)
    # The register says whether the account is a coordinator's (see coordinators.handlers).
    status = next((s for s in hooks.coordinator_status.send(user=user) if s), None)
    if status == "approved":
        # Coordinators meet peers across the region; what they see of a peer is that peer's choice.
        return Access(Role.COORDINATOR, department_codes=None, user_id=uid)
    if status == "pending":
        return Access(Role.PENDING, user_id=uid)
    return Access(Role.NONE, user_id=uid)
