"""The library's files: what an upload may be (its type read from its content, its size, its
name), and how a resource's content is served (only ever through a view that has checked who
asks: never a public URL guessed from an id).

An upload is checked before anything is stored: its first bytes say what it is (a PDF, a PNG, a
JPEG, a zip holding an Office or OpenDocument document, or UTF-8 text), and its extension must
say the same ("rapport.pdf" holding a program is refused). Nothing a browser would run (HTML,
SVG, scripts) is accepted: files are served from the platform's own address.
"""

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.text import get_valid_filename

from core.text import fold

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
NAME_MAX_LENGTH = 100  # the stored path ("ressources/2026/11/…") must fit in 200 characters


@dataclass(frozen=True)
class FileType:
    label: str  # as a person names it, in French
    extensions: tuple  # the first one is the one a name gets when it needs one
    content_type: str


PDF = FileType("un PDF", ("pdf",), "application/pdf")
PNG = FileType("une image PNG", ("png",), "image/png")
JPEG = FileType("une image JPEG", ("jpg", "jpeg"), "image/jpeg")
DOCX = FileType(
    "un document Word",
    ("docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = FileType(
    "un classeur Excel",
    ("xlsx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
PPTX = FileType(
    "une présentation PowerPoint",
    ("pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)
ODT = FileType("un texte OpenDocument", ("odt",), "application/vnd.oasis.opendocument.text")
ODS = FileType(
    "un classeur OpenDocument", ("ods",), "application/vnd.oasis.opendocument.spreadsheet"
)
ODP = FileType(
    "une présentation OpenDocument", ("odp",), "application/vnd.oasis.opendocument.presentation"
)
TEXT_FILE = FileType("un texte", ("txt", "csv"), "text/plain; charset=utf-8")

TYPES = [PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, ODP, TEXT_FILE]
EXTENSIONS = [extension for kind in TYPES for extension in kind.extensions]
ACCEPTED = "PDF, Word, Excel, PowerPoint, OpenDocument (odt, ods, odp), PNG, JPEG, texte ou CSV"

OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
ODF_MIMETYPES = {kind.content_type.encode(): kind for kind in (ODT, ODS, ODP)}

INLINE = {".pdf", ".txt", ".csv", ".png", ".jpg", ".jpeg"}  # shown by the browser, else saved
TEXT = {  # text is written in UTF-8 here: say so, or browsers read it as Latin-1
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
}


def max_upload_bytes() -> int:
    return getattr(settings, "RESOURCES_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def _zip_type(upload):
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    names = {member.filename for member in members}
    if members and members[0].filename == "mimetype":
        try:
            mimetype = archive.read(members[0]).strip()
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
            return None
        return ODF_MIMETYPES.get(mimetype)
    if "[Content_Types].xml" in names:
        for part, kind in OOXML_PARTS.items():
            if part in names:
                return kind
    return None


def _is_text(upload):
    upload.seek(0)
    data = upload.read()
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def content_type_of(upload) -> FileType | None:
    """What `upload` holds, read from its bytes (never from its name); None: not accepted."""
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_type(upload)
    elif _is_text(upload):
        kind = TEXT_FILE
    else:
        kind = None
    upload.seek(0)
    return kind


def size_label(size: int) -> str:
    """ "20 Mo", "20,5 Mo", "3 Ko", as French writes sizes."""
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} Ko"
    megabytes = f"{size / 1024 / 1024:.1f}".removesuffix(".0").replace(".", ",")
    return f"{megabytes} Mo"


def safe_name(name: str, *, extension: str) -> str:
    """A stored file's name: no folder (`../../etc/passwd` → "passwd"), no accent or special
    character ("Fiche repère (v2).pdf" → "fiche-repere-v2.pdf"), at most NAME_MAX_LENGTH
    characters with its extension kept. Storage adds a suffix if the name is taken."""
    base = PurePath(name.replace("\\", "/")).name
    stem = base[: -len(extension) - 1] if base.lower().endswith("." + extension) else base
    stem = re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-")
    stem = get_valid_filename(stem).strip("-.") if stem else ""
    stem = stem or "document"
    return f"{stem[: NAME_MAX_LENGTH - len(extension) - 1].rstrip('-.')}.{extension}"


def validate_upload(upload):
    """Check an uploaded file before anything is stored, and give it a safe name (in place).
    Raises ValidationError with a French message saying what is wrong."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            f"Ce fichier fait {size_label(upload.size)} : {size_label(limit)} au plus.",
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError("Ce fichier est vide.", code="empty")
    base = PurePath((upload.name or "").replace("\\", "/")).name
    extension = PurePath(base).suffix.lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise ValidationError(
            f"Ce type de fichier n'est pas accepté : {ACCEPTED}.", code="forbidden_type"
        )
    kind = content_type_of(upload)
    if kind is None:
        raise ValidationError(
            f"Le contenu de ce fichier n'est pas d'un type accepté ({ACCEPTED}), quel que soit "
            "son nom.",
            code="forbidden_content",
        )
    if extension not in kind.extensions:
        raise ValidationError(
            f"Le nom de ce fichier se termine par « .{extension} » mais son contenu est "
            f"{kind.label} : renommez-le en « .{kind.extensions[0]} » ou choisissez le bon "
            "fichier.",
            code="lying_extension",
        )
    upload.name = safe_name(base, extension=extension)
    return upload


def file_response(field_file):
    """The response that serves a stored file; None when it is missing. On a remote storage (S3
    in production) a redirect to a signed URL of short life, else the file streamed with a safe
    disposition, never sniffed as another type. (The storage's bucket is private: its URLs
    without a signature are refused.)"""
    if not field_file:
        return None
    storage = field_file.storage
    if getattr(storage, "querystring_auth", False):  # django-storages' S3: a signed URL
        return redirect(storage.url(field_file.name))
    try:
        content = field_file.open("rb")
    except FileNotFoundError:
        return None
    name = PurePath(field_file.name).name
    suffix = PurePath(name).suffix.lower()
    response = FileResponse(
        content,
        filename=name,
        as_attachment=suffix not in INLINE,
        content_type=TEXT.get(suffix),  # None: guessed from the (checked) name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def content_response(resource):
    """The response that opens `resource`'s content (or a version's: anything with `file` and
    `url`): its file, else its link. None when the file is missing and there is no link. The
    caller has checked that the person may open it."""
    response = file_response(resource.file)
    if response is not None:
        return response
    return redirect(resource.url) if resource.url else None
