"""What a user may see and do: the one place where roles and territorial scope are computed.

Views never test roles: they ask `request.access.can(...)` (or use `@requires`), and every
queryset of personal data goes through `Access.scope(...)`.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from coordinators.models import CoordinatorProfile, Department, Organisation


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
    "dashboard.view": TEAM | {Role.PARTNER},
    "manage.view": TEAM,
    "manage.invite": TEAM,
    "manage.approve_signups": TEAM,
    "admin.view": {Role.SUPERUSER},
}

# Roles whose accounts must have two-factor authentication when REQUIRE_MFA is on.
MFA_ROLES = {Role.STAFF, Role.PARTNER, Role.SUPERUSER}

# (label, url name, permission), in the order of the navigation bar.
NAVIGATION = [
    ("Mon espace", "home", "space.view"),
    ("Tableau de bord", "dashboard", "dashboard.view"),
    ("Gestion", "manage:index", "manage.view"),
    ("Administration", "admin:index", "admin.view"),
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
    if user.is_superuser:
        return Access(Role.SUPERUSER, organisations, department_codes=None)
    if any(org.kind == Organisation.Kind.PROMOSANTE for org in organisations):
        return Access(Role.STAFF, organisations, department_codes=None)
    if organisations:
        codes = frozenset(d.code for org in organisations for d in org.departments.all())
        return Access(Role.PARTNER, organisations, department_codes=codes)
    status = CoordinatorProfile.objects.filter(user=user).values_list("status", flat=True).first()
    if status == CoordinatorProfile.Status.APPROVED:
        # Coordinators meet peers across the region; what they see of a peer is that peer's choice.
        return Access(Role.COORDINATOR, department_codes=None)
    if status == CoordinatorProfile.Status.PENDING:
        return Access(Role.PENDING)
    return Access(Role.NONE)


def requires(permission):
    """View decorator: 403 unless the request's user holds `permission`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.access.can(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
