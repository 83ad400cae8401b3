"""Packs for elected officials and managers (issue #13), and links coordinators shared
(`data/packs.yaml`). The packs hold public resources: those of the library's demo when it has
them (by title), otherwise created here with a small generated PDF. Julien Moreau shared three
links: one opened 4 times, one revoked, one expired. Written through the packs' services; a pack
or a link already there (by its title, by its sharer and label) is left as it is."""

from dataclasses import field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from resources.models import Resource
from resources.models.packs import Pack, PackLink
from resources.services import packs as services
from resources.services import resource_save

from . import loaders


@loaders.record
class PackResourceData:
    title: str
    kind: str
    summary: str
    lines: list[str] = field(default_factory=list)


@loaders.record
class PackEntryData:
    title: str
    note: str = ""


@loaders.record
class PackData:
    title: str
    audience_line: str
    introduction: str
    resources: list[PackEntryData]


@loaders.record
class LinkData:
    pack: str
    label: str
    days_ago: int
    opened: int = 0
    revoked: bool = False
    expired: bool = False


@loaders.record
class PacksData:
    resources: list[PackResourceData]
    packs: list[PackData]
    links: list[LinkData]


def _pdf_text(text):
    encoded = text.encode("cp1252", errors="replace").decode("latin-1")
    return encoded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_pdf(title, lines) -> bytes:
    """A one-page PDF (Helvetica, WinAnsi) showing `title` and `lines`: the demo's documents."""
    rows = [("F2", 16, title), *(("F1", 11, line) for line in lines)]
    text = ["BT", "56 780 Td", "16 TL"]
    for font, size, line in rows:
        text.append(f"/{font} {size} Tf ({_pdf_text(line)}) Tj T*")
    footer = _pdf_text("PromoSanté Île-de-France — document de démonstration")
    text += [f"/F1 9 Tf T* ({footer}) Tj", "ET"]
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _public_resources(data: PacksData):
    """{title: resource}: a public, published resource of each title, created when missing."""
    found = {}
    for resource in Resource.objects.filter(
        title__in=[r.title for r in data.resources],
        is_published=True,
        audience=Resource.Audience.PUBLIC,
    ).order_by("pk"):
        found.setdefault(resource.title, resource)
    for item in data.resources:
        if item.title in found:
            continue
        if item.kind not in Resource.Kind.values:
            raise loaders.DataError(
                f"packs.yaml, ressource « {item.title} » : type {item.kind!r} inconnu."
            )
        resource = Resource(
            title=item.title,
            kind=item.kind,
            summary=item.summary,
            audience=Resource.Audience.PUBLIC,
            is_published=True,
        )
        resource.file.save(
            f"{slugify(item.title)[:60]}.pdf",
            ContentFile(demo_pdf(item.title, item.lines)),
            save=False,
        )
        found[item.title] = resource_save(resource=resource, competencies=[])
    return found


def _packs(data: PacksData, resources, staff):
    packs = {p.title: p for p in Pack.objects.filter(title__in=[p.title for p in data.packs])}
    for item in data.packs:
        if item.title in packs:
            continue
        pack = services.pack_save(
            pack=Pack(
                title=item.title,
                audience_line=item.audience_line,
                introduction=item.introduction,
                created_by=staff,
            )
        )
        for entry in item.resources:
            if entry.title not in resources:
                raise loaders.DataError(
                    f"packs.yaml, pack « {item.title} » : la ressource « {entry.title} » n'est "
                    "pas dans la liste `resources`."
                )
            services.pack_item_add(pack=pack, resource=resources[entry.title], note=entry.note)
        pack.is_published = True
        packs[item.title] = services.pack_save(pack=pack)
    return packs


def _links(data: PacksData, packs, sharer):
    existing = set(PackLink.objects.filter(created_by=sharer).values_list("label", flat=True))
    now = timezone.now()
    for item in data.links:
        if item.label in existing:
            continue
        if item.pack not in packs:
            raise loaders.DataError(f"packs.yaml, lien « {item.label} » : pack inconnu.")
        created = now - timedelta(days=item.days_ago)
        day = timezone.localtime(created).date()
        expires_on = day + timedelta(days=services.LINK_DAYS)
        link = services.pack_link_create(
            pack=packs[item.pack],
            person=sharer,
            label=item.label,
            expires_on=expires_on,
            today=day,
        )
        for _ in range(item.opened):
            services.pack_link_opened(link=link)
        if item.revoked:
            services.pack_link_revoke(link=link, person=sharer)
        # Dated as it happened (the services write "now").
        history = {"created_at": created}
        if item.revoked:
            history["revoked_at"] = created + timedelta(days=10)
        if item.opened:
            history["last_opened_at"] = created + timedelta(days=3)
        PackLink.objects.filter(pk=link.pk).update(**history)
        if item.expired and link.expires_at > now:
            raise loaders.DataError(
                f"packs.yaml, lien « {item.label} » : créé il y a {item.days_ago} jours, il "
                f"n'a pas encore expiré ({services.LINK_DAYS} jours)."
            )


def seed_packs():
    """Idempotent; returns the figures `seed_demo` prints."""
    data = loaders.read_yaml("packs.yaml", PacksData)
    people = {a.key: a.email for a in loaders.accounts().accounts}
    staff = User.objects.get(email=people["staff"])
    sharer = User.objects.get(email=people["experienced"])
    resources = _public_resources(data)
    packs = _packs(data, resources, staff)
    _links(data, packs, sharer)
    return {
        "packs pour les élu·es": Pack.objects.filter(is_published=True).count(),
        "liens de partage de packs": PackLink.objects.count(),
    }
