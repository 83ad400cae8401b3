"""Reads of the directory's map: per commune, the schemes by type, the vacant posts and the
people of the directory, always through the reader's territory and the directory's filters.

Every figure is one SQL aggregate grouped by the commune's outline (Paris's arrondissements are
drawn as Paris), so a page runs the same queries with 10 or 2,000 coordinators."""

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.template.defaultfilters import pluralize

from coordinators.models import Scheme
from coordinators.selectors import CURRENT_SCHEMES, POST_VACANT, posts_at
from core.text import fold
from territories.models import Commune
from territories.outlines import PARIS, outline_code, outlines

from .directory import directory_cards, directory_entries, with_peer_offers

KINDS = [kind for kind, _label in Scheme.Kind.choices]
# Filters that say which people, not which schemes: with one of them, a commune matches only
# through its people.
PERSON_FILTERS = ("q", "seniority", "background", "topic", "competency")
PANEL_SIZE = 20  # people listed in a commune's panel (the directory lists them all)
MARGIN = 0.04  # around a territory the map zooms on, as a share of its size


@dataclass
class MapCommune:
    """A commune as the map draws it (`code` is its outline's)."""

    code: str
    name: str
    department_code: str
    department_name: str
    path: str = ""
    schemes: dict = field(default_factory=dict)  # kind → number of schemes
    vacant: int = 0
    people: int = 0
    matches: bool = False
    filtered: bool = False  # whether `people` counts those who match filters

    @property
    def has_content(self):
        return bool(self.schemes or self.people)

    @property
    def kinds(self):
        return [kind for kind in KINDS if kind in self.schemes]

    @property
    def schemes_label(self):
        return ", ".join(f"{self.schemes[kind]} {kind}" for kind in self.kinds)

    @property
    def summary(self):
        """What a screen reader says of the commune's link."""
        parts = [self.schemes_label or "aucun dispositif"]
        if self.vacant:
            parts.append(
                f"{self.vacant} poste{pluralize(self.vacant)} vacant{pluralize(self.vacant)}"
            )
        people = (
            f"{self.people} personne{pluralize(self.people)}" if self.people else "aucune personne"
        )
        parts.append(people + (" correspondant aux filtres" if self.filtered else ""))
        return f"{self.name} ({self.department_code}) : " + ", ".join(parts)


def _outline_of(lookup):
    """The outline code of the commune at `lookup`, in SQL: Paris for its arrondissements."""
    return Case(
        When(**{f"{lookup}__startswith": "751"}, then=Value(PARIS)),
        default=F(lookup),
        output_field=CharField(),
    )


def _scheme_links(access, filters):
    """The (scheme, commune) links of the schemes in progress the reader sees (a partner: its
    territory, on both sides), narrowed by the filters that apply to schemes: type and place."""
    schemes = access.scope_listing(Scheme.objects.filter(status__in=CURRENT_SCHEMES), "department")
    if kind := filters.get("kind"):
        schemes = schemes.filter(kind=kind)
    links = access.scope_listing(
        Scheme.communes.through.objects.filter(scheme__in=schemes), "commune__department"
    )
    if department := filters.get("department"):
        links = links.filter(commune__department=department)
    if intercommunality := filters.get("intercommunality"):
        links = links.filter(Q(commune__ept=intercommunality) | Q(commune__epci=intercommunality))
    if commune := filters.get("commune"):
        links = links.filter(commune=commune)
    return links.annotate(outline=_outline_of("commune__code_insee"))


def _vacant_posts(access, today):
    return posts_at(today, access).filter(status_at=POST_VACANT).values("pk")


def _box(boxes):
    """The smallest box holding `boxes`, with a margin."""
    x1 = min(b[0] for b in boxes)
    y1 = min(b[1] for b in boxes)
    x2 = max(b[0] + b[2] for b in boxes)
    y2 = max(b[1] + b[3] for b in boxes)
    margin = round(max(x2 - x1, y2 - y1) * MARGIN)
    return [x1 - margin, y1 - margin, x2 - x1 + 2 * margin, y2 - y1 + 2 * margin]


def map_communes(access, filters, today):
    """What the map draws: {"communes": every commune of the outlines (a `MapCommune`, by
    département and name), "listed": those with a scheme or someone (those
    that match, when filtered), "departments": [(code, name, path)], "viewbox": the reader's
    territory or the filtered département, "filtered": whether filters apply}. Five queries."""
    shapes = outlines()
    communes = {}
    departments = {}
    for code, name, department_code, department_name in (
        Commune.objects.filter(kind=Commune.Kind.COMMUNE)
        .values_list("code_insee", "name", "department__code", "department__name")
        .order_by()
    ):
        departments[department_code] = department_name
        if code in shapes["communes"]:
            communes[code] = MapCommune(
                code=code,
                name=name,
                department_code=department_code,
                department_name=department_name,
                path=shapes["communes"][code],
            )

    links = _scheme_links(access, filters)
    for row in links.values("outline", "scheme__kind").annotate(n=Count("scheme", distinct=True)):
        if row["outline"] in communes:
            communes[row["outline"]].schemes[row["scheme__kind"]] = row["n"]
    vacant = links.filter(scheme__posts__in=_vacant_posts(access, today))
    for row in vacant.values("outline").annotate(n=Count("scheme__posts", distinct=True)):
        if row["outline"] in communes:
            communes[row["outline"]].vacant = row["n"]

    entries = directory_entries(access, filters, today).order_by()
    for row in (
        entries.filter(commune__isnull=False)
        .annotate(outline=_outline_of("commune__code_insee"))
        .values("outline")
        .annotate(n=Count("pk"))
    ):
        if row["outline"] in communes:
            communes[row["outline"]].people = row["n"]

    filtered = bool(filters)
    by_people = any(name in filters for name in PERSON_FILTERS)
    for commune in communes.values():
        commune.matches = bool(commune.people or (commune.schemes and not by_people))
        commune.filtered = filtered

    if department := filters.get("department"):
        zoom = [shapes["departments"][department.code]["box"]]
    elif not access.is_regional:
        zoom = [
            shapes["departments"][code]["box"]
            for code in sorted(access.department_codes)
            if code in shapes["departments"]
        ]
    else:
        zoom = []
    viewbox = _box(zoom) if zoom else shapes["viewbox"]
    size = max(2, round(viewbox[2] / 110))  # the patterns' tile: about 9 px, whatever the zoom
    drawn = sorted(communes.values(), key=lambda c: (c.department_code, fold(c.name)))
    return {
        "communes": drawn,
        "listed": sorted(
            (c for c in communes.values() if c.has_content and (c.matches or not filtered)),
            key=lambda c: (c.department_code, fold(c.name)),
        ),
        "departments": [
            (code, departments.get(code, code), shape["path"])
            for code, shape in sorted(shapes["departments"].items())
        ],
        "viewbox": viewbox,
        # Numbers written for SVG (a template would localise a float: "10,8").
        "pattern": {
            name: f"{value:g}"
            for name, value in (
                ("size", size),
                ("stripe", size * 0.4),
                ("half", size / 2),
                ("radius", size / 4),
            )
        },
        "filtered": filtered,
        "kinds": Scheme.Kind.choices,
    }


def commune_panel(access, code, filters, today):
    """What a click on a commune shows: its schemes in progress (with their vacant posts) and
    the people of the directory working there who match the filters (a page of them), only
    what each shows. A commune outside the reader's territory shows nothing of it. None for
    an unknown code."""
    commune = (
        Commune.objects.select_related("department")
        .filter(code_insee=code, kind=Commune.Kind.COMMUNE)
        .first()
    )
    if commune is None:
        return None
    codes = Q(code_insee=commune.code_insee)
    if outline_code(commune.code_insee) == PARIS:
        codes |= Q(code_insee__startswith="751")
    places = Commune.objects.filter(codes).values("pk")
    if not access.sees_department(commune.department.code):
        return {"commune": commune, "outside": True}
    schemes = (
        access.scope_listing(Scheme.objects.filter(status__in=CURRENT_SCHEMES), "department")
        .filter(pk__in=Scheme.communes.through.objects.filter(commune__in=places).values("scheme"))
        .annotate(
            vacant=Coalesce(
                Count("posts", filter=Q(posts__in=_vacant_posts(access, today)), distinct=True),
                0,
            )
        )
        .order_by("kind", "name")
    )
    entries = directory_entries(access, filters, today).filter(commune__in=places)
    cards = directory_cards(entries)
    people = with_peer_offers(cards[:PANEL_SIZE])
    return {
        "commune": commune,
        "outside": False,
        "schemes": list(schemes),
        "people": people,
        "people_count": entries.count(),  # always: a page's queries never depend on the data
    }
