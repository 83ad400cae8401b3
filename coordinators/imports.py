"""Staff import and export of the register: schemes, posts, and people with their tenures.

Three kinds of file, CSV or XLSX, with French headers (see `KINDS`). An export re-imports with
no change, so staff export, edit in a spreadsheet and import back. An import is checked first
(`register_import(..., dry_run=True)`: a preview, nothing saved) and applied afterwards, checked
again, all or nothing.

The file is read by `core.tabular` (encodings, separator, XLSX, bounds: `LIMITS`), shared with
the attendance import. Why not django-import-export (installed as the style guide suggests; its
4.x sources were read before deciding):
- it decodes a CSV with one encoding fixed in advance; staff send UTF-8, UTF-8 with BOM and
  Windows-1252 files, which must be told apart, and files damaged by a double conversion, which
  must be refused;
- its XLSX reader reads the *active* sheet, without merged cells (a read-only sheet does not
  know them) and without bounds; staff files have a "first sheet that has the expected header",
  merged header cells, and must not cost more than a bounded time and memory;
- its errors are per row and per model field, numbered from the first data row, in Django's
  words; staff need one French sentence per cell with the row number their spreadsheet shows;
- writes must go through the register's services (`scheme_save`, `post_save`, `tenure_update`)
  and rules that span rows (two open tenures of one post in the same file), so every
  `Resource.save_instance` and `import_row` would be overridden; what would remain of the
  library, a dry run inside a rolled-back transaction, is `_apply_rows` below.
"""

import codecs
import csv
import io
import logging
import re
import unicodedata
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import openpyxl
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DataError, IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core import tabular
from core.tabular import CellError, FileRejected
from territories.models import Commune

from . import services
from .models import CoordinatorProfile, HandoverFile, Post, Scheme, Tenure
from .services import RegisterError
from .vacancies import vacancy_close_for_arrival

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
# Twice the largest kind of the real register (SPEC §1: 218 schemes, about 200 posts, about 500
# tenures: the holders and 18 arrivals a year since 2010). A row of people costs 5 to 20 ms of
# dry run on PostgreSQL, done again on confirmation: 1,000 rows keep each request under
# gunicorn's 30 s on a loaded server (docs/performance.md, "Imports : le pire fichier accepté").
MAX_ROWS = 1_000
HEADER_SEARCH_ROWS = 10  # the header may sit under a few title rows
DATE_FORMAT = tabular.DATE_FORMAT
# What an upload may cost. The widest kind has 10 columns; staff may add a few of their own.
LIMITS = tabular.Limits(
    max_bytes=MAX_BYTES,
    max_rows=MAX_ROWS,
    max_columns=100,
    max_cells=(HEADER_SEARCH_ROWS + MAX_ROWS) * 20,
    header_rows=HEADER_SEARCH_ROWS,
    max_merged_cells=1_000,
    max_unzipped_bytes=20 * 1024 * 1024,
)


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str
    columns: tuple[str, ...]


KINDS = {
    "dispositifs": Kind(
        "dispositifs",
        "Dispositifs",
        (
            "identifiant",
            "type",
            "nom",
            "communes",
            "structure porteuse",
            "type de porteur",
            "statut",
            "date de signature",
            "date de fin",
            "QPV",
        ),
    ),
    "postes": Kind(
        "postes",
        "Postes de coordination",
        ("identifiant", "dispositifs", "ETP", "ouvert le", "supprimé le", "statut inconnu"),
    ),
    "personnes": Kind(
        "personnes",
        "Personnes et prises de poste",
        (
            "identifiant",
            "e-mail",
            "prénom",
            "nom",
            "poste",
            "prise de poste",
            "départ",
            "motif du départ",
        ),
    ),
}
KIND_CHOICES = [(kind.slug, kind.label) for kind in KINDS.values()]

# Other spellings staff use for a column (compared as `tabular.header_key` reduces them).
HEADER_ALIASES = {
    "id": "identifiant",
    "email": "e-mail",
    "courriel": "e-mail",
    "adresse e mail": "e-mail",
    "quartiers prioritaires": "QPV",
    "type de structure porteuse": "type de porteur",
    "date de prise de poste": "prise de poste",
    "date de depart": "départ",
    "motif de depart": "motif du départ",
    "poste ouvert le": "ouvert le",
    "poste supprime le": "supprimé le",
}

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

ACTION_LABELS = {
    "create": "À créer",
    "update": "À modifier",
    "unchanged": "Inchangée",
    "error": "En erreur",
}


# --- Report --------------------------------------------------------------------------------


@dataclass
class RowResult:
    number: int
    description: str = ""
    action: str = ""
    changes: list[str] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    def error(self, column, message):
        self.errors.append(CellError(self.number, column, message))
        self.action = "error"

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, "")


@dataclass
class ImportReport:
    kind: str
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[CellError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def kind_label(self):
        return KINDS[self.kind].label

    @property
    def errors(self):
        row_errors = [error for row in self.rows for error in row.errors]
        return self.file_errors + sorted(row_errors, key=lambda e: e.row)

    @property
    def ok(self):
        return not self.file_errors and not any(row.errors for row in self.rows)

    @property
    def counts(self):
        counts = dict.fromkeys(ACTION_LABELS, 0)
        for row in self.rows:
            counts[row.action or "error"] += 1
        return counts

    @property
    def changed_rows(self):
        return [row for row in self.rows if row.action in ("create", "update")]

    @property
    def has_changes(self):
        return bool(self.changed_rows)


class _RowFailed(Exception):
    """A row's checks failed: roll back what the row wrote and go on with the next row."""


class _Rollback(Exception):
    """End of a dry run, or an apply with errors: undo everything."""


# --- Text helpers ---------------------------------------------------------------------------


def _norm(value) -> str:
    """Lower case, no accents, spaces for hyphens and apostrophes: for names and choices."""
    text = _text(value).replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s\-_'’.]+", " ", text).strip()


_FORMULA_START = ("=", "+", "-", "@")


def _text(value) -> str:
    """A cell as trimmed text; undoes the apostrophe our CSV export puts before a formula sign."""
    text = tabular.cell_text(value)
    if text[:1] == "'" and text[1:2] in _FORMULA_START:
        text = text[1:]
    return text


def _choice_map(choices, *aliases):
    """{normalised label or code: value} for a TextChoices, plus (alias, value) pairs."""
    mapping = {}
    for value, label in choices.choices:
        mapping[_norm(label)] = value
        mapping[_norm(value)] = value
    for alias, value in aliases:
        mapping[_norm(alias)] = value
    return mapping


SCHEME_KINDS = _choice_map(Scheme.Kind)
CARRIER_KINDS = _choice_map(
    Scheme.CarrierKind,
    ("EPT", Scheme.CarrierKind.INTERCOMMUNALITY),
    ("EPCI", Scheme.CarrierKind.INTERCOMMUNALITY),
    ("EPT/EPCI", Scheme.CarrierKind.INTERCOMMUNALITY),
    ("intercommunalité", Scheme.CarrierKind.INTERCOMMUNALITY),
    ("hôpital", Scheme.CarrierKind.HOSPITAL),
    ("établissement de santé", Scheme.CarrierKind.HOSPITAL),
)
SCHEME_STATUSES = _choice_map(Scheme.Status, ("actif", Scheme.Status.ACTIVE))
END_REASONS = _choice_map(Tenure.EndReason)
YES = {"oui", "o", "vrai", "1", "x", "yes", "true"}
NO = {"non", "n", "faux", "0", "no", "false", ""}

_DATE_FR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_INSEE = re.compile(r"^\d[\dAB]\d{3}$")
_NAME_WITH_INSEE = re.compile(r"^(.*)\((\d[\dAB]\d{3})\)$")


def _split(text, separators):
    return [part.strip() for part in re.split(separators, text) if part.strip()]


# --- Reading a file -------------------------------------------------------------------------


def _columns(kind: Kind):
    return tabular.Columns(kind.columns, HEADER_ALIASES)


def _read_table(content: bytes, kind: Kind, report: ImportReport):
    """[(row number, {column: raw value})] of the data rows; raises FileRejected."""
    columns = _columns(kind)
    table = tabular.read_table(
        content,
        limits=LIMITS,
        header_score=lambda cells: len(columns.match(cells).positions),
    )
    try:
        header = tabular.find_header(table, columns)
    except tabular.HeaderNotFound as not_found:
        message = _header_message(kind, table, not_found.best)
        raise FileRejected(message, row=not_found.error.row) from not_found
    if table.format == "xlsx" and len(table.sheets) > 1:
        others = [sheet.title for sheet in table.sheets if sheet is not header.sheet]
        report.notes.append(
            f"Feuille lue : « {header.sheet.title} » ; autres feuilles ignorées : "
            + ", ".join(f"« {t} »" for t in others)
            + "."
        )
    if header.match.unknown:
        report.notes.append(
            "Colonnes ignorées : " + ", ".join(f"« {u} »" for u in header.match.unknown) + "."
        )
    return _data_rows(header, table.format == "csv", report)


def _header_message(kind: Kind, table, best):
    missing = best.match.missing
    message = (
        f"En-tête non reconnu pour un fichier « {kind.slug} » : "
        + ("il manque les colonnes " if len(missing) > 1 else "il manque la colonne ")
        + ", ".join(f"« {c} »" for c in missing)
        + ". La première ligne doit contenir : "
        + " ; ".join(kind.columns)
        + "."
    )
    if table.format == "xlsx":
        message += f" (Feuille « {best.sheet.title} ».)"
    for other in KINDS.values():
        if other is not kind and not _columns(other).match(best.row.cells).missing:
            message += f" Ce fichier ressemble à un fichier « {other.slug} » : choisissez ce type."
            break
    return message


def _data_rows(header, is_csv, report):
    mapping, header_number = header.match.positions, header.row.number
    header_width = len(header.row.cells)
    data = []
    for row in header.data_rows:
        number, cells = row.number, row.cells
        values = {}
        for column, position in mapping.items():
            # A header cell merged downwards is not data.
            if row.merged_from.get(position, number) <= header_number:
                values[column] = None
            else:
                values[column] = cells[position] if position < len(cells) else None
        if not any(_text(v) for v in values.values()):
            continue
        extra = [c for c in cells[header_width:] if _text(c)]
        if is_csv and extra:
            report.file_errors.append(
                CellError(
                    number,
                    None,
                    f"{len(cells)} valeurs pour {header_width} colonnes d'en-tête : un "
                    "séparateur en trop, ou une valeur contenant « ; » sans guillemets ?",
                )
            )
            continue
        data.append((number, values))
    if not data and not report.file_errors:
        raise FileRejected(
            "Le fichier ne contient que l'en-tête : aucune ligne à importer.", row=header_number
        )
    return data


# --- Reading cells --------------------------------------------------------------------------


class _Cells:
    """The raw values of one row; each getter records a French error on the row when wrong."""

    def __init__(self, result: RowResult, values: dict):
        self.result = result
        self.values = values

    def error(self, column, message):
        self.result.error(column, message)

    def raw(self, column):
        return self.values.get(column)

    def text(self, column, *, required=False, max_length=None):
        text = _text(self.raw(column))
        if not text and required:
            self.error(column, "case vide : cette valeur est obligatoire.")
        if max_length and len(text) > max_length:
            self.error(column, f"trop long ({len(text)} caractères pour {max_length} au plus).")
            return None
        return text

    def integer(self, column, *, required=False):
        text = self.text(column, required=required)
        if not text:
            return None
        if not re.fullmatch(r"\d{1,12}", text):
            self.error(column, f"« {text} » n'est pas un identifiant (nombre entier attendu).")
            return None
        return int(text)

    def integers(self, column, *, required=False):
        text = self.text(column, required=required)
        numbers = []
        for part in _split(text or "", r"[|,;\s]+"):
            if not re.fullmatch(r"\d{1,12}", part):
                self.error(
                    column, f"« {part} » n'est pas un identifiant (nombres séparés par « | »)."
                )
                return None
            numbers.append(int(part))
        return list(dict.fromkeys(numbers))

    def date(self, column, *, required=False):
        value = self.raw(column)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _TIME_SUFFIX.sub("", self.text(column, required=required) or "")
        if not text:
            return None
        match = _DATE_FR.match(text)
        parts = (match.group(3), match.group(2), match.group(1)) if match else None
        match = _DATE_ISO.match(text)
        if match:
            parts = match.groups()
        try:
            if parts is None:
                raise ValueError
            parsed = date(*(int(p) for p in parts))
        except ValueError:
            self.error(
                column,
                f"« {text} » n'est pas une date (attendu JJ/MM/AAAA, par exemple 15/03/2024).",
            )
            return None
        if not 1900 <= parsed.year <= 2100:
            self.error(
                column, f"« {text} » n'est pas une date plausible (année entre 1900 et 2100)."
            )
            return None
        return parsed

    def decimal(self, column, *, required=False):
        value = self.raw(column)
        text = self.text(column, required=required)
        if not text:
            return None
        try:
            if isinstance(value, float):
                number = Decimal(repr(round(value, 6)))
            else:
                number = Decimal(text.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error(column, f"« {text} » n'est pas un nombre (par exemple 1 ou 0,5).")
            return None
        if number <= 0 or number > Decimal("9.99") or number != number.quantize(Decimal("0.01")):
            self.error(
                column,
                f"« {text} » n'est pas un ETP possible : entre 0,01 et 9,99, "
                "deux décimales au plus.",
            )
            return None
        return number.quantize(Decimal("0.01"))

    def boolean(self, column):
        text = _norm(self.raw(column))
        if text in YES:
            return True
        if text in NO:
            return False
        self.error(
            column,
            f"« {_text(self.raw(column))} » n'est pas une réponse possible : « oui » ou « non ».",
        )
        return None

    def choice(self, column, mapping, choices, *, required=False):
        text = self.text(column, required=required)
        if not text:
            return "" if not required else None
        value = mapping.get(_norm(text))
        if value is None:
            labels = ", ".join(label for _, label in choices.choices)
            self.error(column, f"« {text} » n'est pas une valeur possible ({labels}).")
        return value


class _CommuneIndex:
    def __init__(self):
        communes = Commune.objects.only("pk", "code_insee", "name", "department_id")
        self.by_code = {c.code_insee: c for c in communes}
        self.by_name = defaultdict(list)
        for commune in self.by_code.values():
            self.by_name[_norm(commune.name)].append(commune)

    def find(self, token):
        """(commune, None) or (None, French error)."""
        match = _NAME_WITH_INSEE.match(token)
        code = match.group(2) if match else token if _INSEE.match(token) else None
        if code is not None:
            commune = self.by_code.get(code)
            if commune is None:
                return None, f"code INSEE inconnu en Île-de-France : « {code} »."
            return commune, None
        found = self.by_name.get(_norm(token), [])
        if not found:
            return (
                None,
                f"commune inconnue en Île-de-France : « {token} » (vérifiez l'orthographe ou "
                "indiquez le code INSEE).",
            )
        if len(found) > 1:
            codes = ", ".join(sorted(c.code_insee for c in found))
            return None, (
                f"« {token} » désigne plusieurs communes ({codes}) : indiquez le code INSEE."
            )
        return found[0], None


@contextmanager
def _refusal_in(result: RowResult, column):
    """A RegisterError raised by a service becomes the row's error in `column`."""
    try:
        yield
    except RegisterError as error:
        result.error(column, str(error))
        raise _RowFailed from error


def _same_text(current, wanted):
    return (current or "").strip() == wanted


# --- Importers ------------------------------------------------------------------------------


class _Importer:
    kind: Kind

    def clean(self, cells: _Cells):
        raise NotImplementedError

    def check_file(self, plans):
        """Rules across rows of the file; `plans` is [(RowResult, values)]."""

    def order(self, plans):
        return plans

    def apply(self, result: RowResult, values):
        raise NotImplementedError

    @staticmethod
    def _duplicate_ids(plans, label):
        seen = {}
        for result, values in plans:
            pk = values.get("pk")
            if pk is None:
                continue
            if pk in seen:
                result.error("identifiant", f"{label} {pk} figure déjà à la ligne {seen[pk]}.")
            else:
                seen[pk] = result.number


class _SchemeImporter(_Importer):
    kind = KINDS["dispositifs"]

    def __init__(self):
        self.schemes = {s.pk: s for s in Scheme.objects.prefetch_related("communes")}
        self.by_name = {(s.kind, _norm(s.name)): s.pk for s in self.schemes.values()}
        self.communes = _CommuneIndex()

    def clean(self, cells):
        pk = cells.integer("identifiant")
        if pk is not None and pk not in self.schemes:
            cells.error("identifiant", f"aucun dispositif n'a l'identifiant {pk}.")
        values = {
            "pk": pk,
            "kind": cells.choice("type", SCHEME_KINDS, Scheme.Kind, required=True),
            "name": cells.text("nom", required=True, max_length=200),
            "communes": self._communes(cells),
            "carrier_name": cells.text("structure porteuse", required=True, max_length=200),
            "carrier_kind": cells.choice(
                "type de porteur", CARRIER_KINDS, Scheme.CarrierKind, required=True
            ),
            "status": cells.choice("statut", SCHEME_STATUSES, Scheme.Status, required=True),
            "signed_on": cells.date("date de signature"),
            "ends_on": cells.date("date de fin"),
            "qpv": _split(cells.text("QPV") or "", r"[|\n]"),
        }
        if values["signed_on"] and values["ends_on"] and values["ends_on"] < values["signed_on"]:
            cells.error("date de fin", "la date de fin précède la date de signature.")
        cells.result.description = f"{values['kind'] or ''} {values['name'] or ''}".strip()
        return values

    def _communes(self, cells):
        text = cells.text("communes", required=True)
        communes = []
        for token in _split(text or "", r"[|;,\n]"):
            commune, error = self.communes.find(token)
            if error:
                cells.error("communes", error)
            elif commune not in communes:
                communes.append(commune)
        departments = sorted({c.code_insee[:2] for c in communes})
        if len(departments) > 1:
            cells.error(
                "communes",
                "les communes d'un dispositif doivent être dans un même département (ici : "
                + ", ".join(departments)
                + ").",
            )
        return communes

    def check_file(self, plans):
        self._duplicate_ids(plans, "Le dispositif")
        seen = {}
        for result, values in plans:
            if values["pk"] is not None or not values["name"]:
                continue
            key = (values["kind"], _norm(values["name"]))
            if key in seen:
                result.error("nom", f"ce dispositif figure déjà à la ligne {seen[key]}.")
            seen[key] = result.number

    @staticmethod
    def current(scheme):
        return {
            "type": scheme.kind,
            "nom": scheme.name.strip(),
            "communes": {c.code_insee for c in scheme.communes.all()},
            "structure porteuse": scheme.carrier_name.strip(),
            "type de porteur": scheme.carrier_kind,
            "statut": scheme.status,
            "date de signature": scheme.signed_on,
            "date de fin": scheme.ends_on,
            "QPV": scheme.qpv_list,
        }

    def apply(self, result, values):
        wanted = {
            "type": values["kind"],
            "nom": values["name"],
            "communes": {c.code_insee for c in values["communes"]},
            "structure porteuse": values["carrier_name"],
            "type de porteur": values["carrier_kind"],
            "statut": values["status"],
            "date de signature": values["signed_on"],
            "date de fin": values["ends_on"],
            "QPV": values["qpv"],
        }
        if values["pk"] is None:
            existing = self.by_name.get((values["kind"], _norm(values["name"])))
            if existing is not None:
                result.error(
                    "nom",
                    f"un dispositif {values['kind']} de ce nom existe déjà (identifiant "
                    f"{existing}) : indiquez son identifiant pour le modifier.",
                )
                raise _RowFailed
            scheme = Scheme()
            result.action = "create"
        else:
            scheme = self.schemes[values["pk"]]
            current = self.current(scheme)
            result.changes = [name for name in wanted if current[name] != wanted[name]]
            if not result.changes:
                result.action = "unchanged"
                return
            result.action = "update"
        was_ended = scheme.pk is not None and scheme.status == Scheme.Status.ENDED
        scheme.kind = values["kind"]
        scheme.name = values["name"]
        scheme.carrier_name = values["carrier_name"]
        scheme.carrier_kind = values["carrier_kind"]
        scheme.status = values["status"]
        scheme.signed_on = values["signed_on"]
        scheme.ends_on = values["ends_on"]
        scheme.qpv_names = "\n".join(values["qpv"])
        # Checked here first for a message naming the holder; scheme_save refuses it too.
        if scheme.status == Scheme.Status.ENDED and not was_ended:
            held = (
                Tenure.objects.filter(post__schemes=scheme, ended_on__isnull=True)
                .select_related("person")
                .first()
            )
            if held is not None:
                result.error(
                    "statut",
                    f"{held.person or 'une personne'} occupe encore le poste n° {held.post_id} de "
                    "ce dispositif : enregistrez son départ avant de terminer le dispositif.",
                )
                raise _RowFailed
        with _refusal_in(result, "communes"):
            services.scheme_save(scheme=scheme, communes=values["communes"])


class _PostImporter(_Importer):
    kind = KINDS["postes"]

    def __init__(self):
        self.posts = {p.pk: p for p in Post.objects.prefetch_related("schemes")}
        self.schemes = {s.pk: s for s in Scheme.objects.all()}

    def clean(self, cells):
        pk = cells.integer("identifiant")
        if pk is not None and pk not in self.posts:
            cells.error("identifiant", f"aucun poste n'a l'identifiant {pk}.")
        scheme_ids = cells.integers("dispositifs", required=True) or []
        for scheme_id in scheme_ids:
            if scheme_id not in self.schemes:
                cells.error("dispositifs", f"aucun dispositif n'a l'identifiant {scheme_id}.")
        values = {
            "pk": pk,
            "schemes": [self.schemes[i] for i in scheme_ids if i in self.schemes],
            "fte": cells.decimal("ETP", required=True),
            "opened_on": cells.date("ouvert le", required=True),
            "closed_on": cells.date("supprimé le"),
            "status_unknown": cells.boolean("statut inconnu"),
        }
        if (
            values["opened_on"]
            and values["closed_on"]
            and values["closed_on"] < values["opened_on"]
        ):
            cells.error("supprimé le", "la date de suppression précède la date d'ouverture.")
        cells.result.description = (
            f"Poste n° {pk}"
            if pk
            else "Nouveau poste (dispositifs " + ", ".join(map(str, scheme_ids)) + ")"
        )
        return values

    def check_file(self, plans):
        self._duplicate_ids(plans, "Le poste")

    @staticmethod
    def current(post):
        return {
            "dispositifs": {s.pk for s in post.schemes.all()},
            "ETP": post.fte,
            "ouvert le": post.opened_on,
            "supprimé le": post.closed_on,
            "statut inconnu": post.status_unknown,
        }

    def apply(self, result, values):
        wanted = {
            "dispositifs": {s.pk for s in values["schemes"]},
            "ETP": values["fte"],
            "ouvert le": values["opened_on"],
            "supprimé le": values["closed_on"],
            "statut inconnu": values["status_unknown"],
        }
        if values["pk"] is None:
            post = Post()
            result.action = "create"
        else:
            post = self.posts[values["pk"]]
            current = self.current(post)
            result.changes = [name for name in wanted if current[name] != wanted[name]]
            if not result.changes:
                result.action = "unchanged"
                return
            result.action = "update"
        post.fte = values["fte"]
        post.opened_on = values["opened_on"]
        post.closed_on = values["closed_on"]
        post.status_unknown = values["status_unknown"]
        with _refusal_in(result, "dispositifs"):
            services.post_save(post=post, schemes=values["schemes"])
        if result.action == "update":
            self._check_tenures(result, post, values)

    @staticmethod
    def _check_tenures(result, post, values):
        """A changed post must still agree with its tenures (checked on what changed only)."""
        tenures = Tenure.objects.filter(post=post).select_related("person")
        early = None
        if "ouvert le" in result.changes:
            early = tenures.filter(started_on__lt=post.opened_on).order_by("started_on").first()
        if early is not None:
            result.error(
                "ouvert le",
                f"{early.person or 'une personne'} y a pris son poste le "
                f"{early.started_on:%d/%m/%Y}, avant cette date d'ouverture.",
            )
        if post.closed_on and "supprimé le" in result.changes:
            late = tenures.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=post.closed_on)).first()
            if late is not None:
                result.error(
                    "supprimé le",
                    f"{late.person or 'une personne'} occupe ce poste après cette date : "
                    "enregistrez son départ avant de supprimer le poste.",
                )
        ended = [s for s in values["schemes"] if s.status == Scheme.Status.ENDED]
        if (
            ended
            and "dispositifs" in result.changes
            and tenures.filter(ended_on__isnull=True).exists()
        ):
            result.error(
                "dispositifs",
                f"le dispositif « {ended[0].name} » est terminé et ce poste est occupé : "
                "enregistrez le départ avant de rattacher le poste à ce dispositif.",
            )
        if result.errors:
            raise _RowFailed


class _PersonImporter(_Importer):
    """One row per tenure; the person is found (or created) by e-mail."""

    kind = KINDS["personnes"]

    def __init__(self):
        self.posts = {p.pk: p for p in Post.objects.prefetch_related("schemes")}
        self.tenures = {t.pk: t for t in Tenure.objects.select_related("person")}
        self.by_key = {
            (t.person.email.lower(), t.post_id, t.started_on): t
            for t in self.tenures.values()
            if t.person is not None
        }
        self.users = {}
        self.touched = {}

    def clean(self, cells):
        pk = cells.integer("identifiant")
        tenure = self.tenures.get(pk) if pk is not None else None
        if pk is not None and tenure is None:
            cells.error("identifiant", f"aucune prise de poste n'a l'identifiant {pk}.")
        email = (cells.text("e-mail", max_length=254) or "").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                cells.error("e-mail", f"« {email} » n'est pas une adresse e-mail valide.")
        elif not (tenure is not None and tenure.person is None):
            cells.error("e-mail", "case vide : l'adresse e-mail de la personne est obligatoire.")
        post_id = cells.integer("poste", required=True)
        if post_id is not None and post_id not in self.posts:
            cells.error("poste", f"aucun poste n'a l'identifiant {post_id}.")
        values = {
            "pk": pk,
            "email": email,
            "first_name": cells.text("prénom", max_length=150),
            "last_name": cells.text("nom", max_length=150),
            "post": self.posts.get(post_id),
            "started_on": cells.date("prise de poste", required=True),
            "ended_on": cells.date("départ"),
            "end_reason": cells.choice("motif du départ", END_REASONS, Tenure.EndReason),
        }
        started_on, ended_on = values["started_on"], values["ended_on"]
        if started_on and ended_on and ended_on < started_on:
            cells.error("départ", "la date de départ précède la date de prise de poste.")
        if values["end_reason"] and not _text(cells.raw("départ")):
            cells.error("motif du départ", "un motif de départ sans date de départ.")
        name = f"{values['first_name'] or ''} {values['last_name'] or ''}".strip()
        cells.result.description = (
            f"{name or email or 'Personne inconnue'} — poste n° {post_id or '?'}"
            + (f" depuis le {started_on:%d/%m/%Y}" if started_on else "")
        )
        return values

    def check_file(self, plans):
        self._duplicate_ids(plans, "La prise de poste")
        names, open_rows = {}, {}
        for result, values in plans:
            email = values["email"]
            if email:
                name = (values["first_name"], values["last_name"])
                first = names.setdefault(email, (result.number, name))
                for column, index in (("prénom", 0), ("nom", 1)):
                    if name[index] != first[1][index]:
                        result.error(
                            column,
                            f"« {name[index]} » ne correspond pas à la ligne {first[0]} "
                            f"(« {first[1][index]} ») pour la même adresse e-mail.",
                        )
            post = values["post"]
            if post is not None and values["started_on"] and values["ended_on"] is None:
                if post.pk in open_rows:
                    result.error(
                        "départ",
                        f"le poste n° {post.pk} a déjà une prise de poste en cours à la ligne "
                        f"{open_rows[post.pk]} : un poste n'a qu'une personne en poste à la fois. "
                        "Indiquez la date de départ de l'une des deux.",
                    )
                else:
                    open_rows[post.pk] = result.number
        emails = {values["email"] for _, values in plans if values["email"]}
        user_model = get_user_model()
        for user in user_model.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=emails
        ):
            self.users[user.email.lower()] = user

    def order(self, plans):
        """Known tenures first (a departure frees the post), then arrivals by date."""
        known = [p for p in plans if self._existing(p[1]) is not None]
        new = [p for p in plans if self._existing(p[1]) is None]
        return known + sorted(new, key=lambda p: p[1]["started_on"] or date.min)

    def _existing(self, values):
        if values["pk"] is not None:
            return self.tenures.get(values["pk"])
        if values["post"] is None:
            return None
        return self.by_key.get((values["email"], values["post"].pk, values["started_on"]))

    def apply(self, result, values):
        tenure = self._existing(values)
        if tenure is not None:
            if tenure.pk in self.touched:
                result.error(
                    "identifiant",
                    f"cette prise de poste figure déjà à la ligne {self.touched[tenure.pk]}.",
                )
                raise _RowFailed
            self.touched[tenure.pk] = result.number
            self._apply_known(result, tenure, values)
        else:
            self._apply_new(result, values)

    def _apply_known(self, result, tenure, values):
        person = tenure.person
        if person is not None and values["email"] != person.email.lower():
            result.error(
                "e-mail",
                f"la prise de poste n° {tenure.pk} est celle de {person.email} : on ne change "
                "pas la personne d'une prise de poste. Laissez l'identifiant vide pour en créer "
                "une nouvelle.",
            )
        if person is None and values["email"]:
            result.error(
                "e-mail",
                f"la prise de poste n° {tenure.pk} n'a plus de personne (compte supprimé) : "
                "laissez l'e-mail vide ou l'identifiant vide pour en créer une nouvelle.",
            )
        if tenure.post_id != values["post"].pk:
            result.error(
                "poste",
                f"la prise de poste n° {tenure.pk} porte sur le poste n° {tenure.post_id} : on ne "
                "change pas le poste d'une prise de poste. Laissez l'identifiant vide pour en "
                "créer une nouvelle.",
            )
        if result.errors:
            raise _RowFailed
        changes = self._name_changes(person, values) if person is not None else []
        dates_changed = (tenure.started_on, tenure.ended_on) != (
            values["started_on"],
            values["ended_on"],
        )
        if dates_changed:
            changes += [
                column
                for column, old, new in (
                    ("prise de poste", tenure.started_on, values["started_on"]),
                    ("départ", tenure.ended_on, values["ended_on"]),
                )
                if old != new
            ]
        if tenure.end_reason != values["end_reason"]:
            changes.append("motif du départ")
        result.changes = changes
        if not changes:
            result.action = "unchanged"
            return
        result.action = "update"
        if person is not None:
            self._save_names(person, values)
        if dates_changed:
            self._check_post_rules(result, values, exclude=tenure.pk)
        if dates_changed or tenure.end_reason != values["end_reason"]:
            with _refusal_in(result, "prise de poste"):
                services.tenure_update(
                    tenure=tenure,
                    started_on=values["started_on"],
                    ended_on=values["ended_on"],
                    end_reason=values["end_reason"],
                )

    def _apply_new(self, result, values):
        person = self.users.get(values["email"])
        if person is None and not (values["first_name"] and values["last_name"]):
            for column, key in (("prénom", "first_name"), ("nom", "last_name")):
                if not values[key]:
                    result.error(column, "case vide : obligatoire pour une nouvelle personne.")
            raise _RowFailed
        result.action = "create"
        post = values["post"]
        self._check_post_rules(result, values, exclude=None)
        with _refusal_in(result, "prise de poste"):
            services.check_no_overlap(
                post=post, started_on=values["started_on"], ended_on=values["ended_on"]
            )
        if person is None:
            person = get_user_model().objects.create_user(
                email=values["email"],
                password=None,
                first_name=values["first_name"],
                last_name=values["last_name"],
            )
            EmailAddress.objects.create(
                user=person, email=person.email, verified=False, primary=True
            )
            result.changes = ["nouvelle personne"]
        else:
            result.changes = self._name_changes(person, values)
            self._save_names(person, values)
        Tenure.objects.create(
            post=post,
            person=person,
            started_on=values["started_on"],
            ended_on=values["ended_on"],
            end_reason=values["end_reason"] if values["ended_on"] else "",
        )
        HandoverFile.objects.get_or_create(post=post)
        self.users[values["email"]] = person  # known to the next rows once its row is saved
        if values["ended_on"] is None:
            # What post_arrival does for a current holder; past holders get no profile.
            vacancy_close_for_arrival(post=post, started_on=values["started_on"])
            if post.status_unknown:
                post.status_unknown = False
                post.save(update_fields=["status_unknown"])
            CoordinatorProfile.objects.get_or_create(
                user=person, defaults={"status": CoordinatorProfile.Status.APPROVED}
            )

    @staticmethod
    def _name_changes(person, values):
        return [
            column
            for column, attribute in (("prénom", "first_name"), ("nom", "last_name"))
            if values[attribute] and not _same_text(getattr(person, attribute), values[attribute])
        ]

    @staticmethod
    def _save_names(person, values):
        fields = [
            attribute
            for attribute in ("first_name", "last_name")
            if values[attribute] and not _same_text(getattr(person, attribute), values[attribute])
        ]
        if fields:
            for attribute in fields:
                setattr(person, attribute, values[attribute])
            person.save(update_fields=fields)

    @staticmethod
    def _check_post_rules(result, values, exclude):
        """What an arrival checks (services._check_post_accepts_people), for a dated history.

        A past tenure on a scheme that has since ended is history, not an error: only a tenure
        still open, or one going on after the scheme's end, is refused.
        """
        post, started_on, ended_on = values["post"], values["started_on"], values["ended_on"]
        if started_on < post.opened_on:
            result.error(
                "prise de poste",
                f"le poste n'est ouvert que depuis le {post.opened_on:%d/%m/%Y}.",
            )
        if post.closed_on and started_on >= post.closed_on:
            result.error("prise de poste", f"ce poste a été supprimé le {post.closed_on:%d/%m/%Y}.")
        elif post.closed_on and (ended_on is None or ended_on > post.closed_on):
            result.error(
                "départ",
                f"ce poste a été supprimé le {post.closed_on:%d/%m/%Y} : le départ doit avoir "
                "lieu au plus tard ce jour-là.",
            )
        for scheme in post.schemes.all():
            if scheme.status != Scheme.Status.ENDED:
                continue
            if ended_on is None:
                result.error(
                    "poste",
                    f"le dispositif « {scheme.name} » est terminé : on ne peut plus y affecter "
                    "personne. Indiquez une date de départ, ou choisissez un autre poste.",
                )
            elif scheme.ends_on and ended_on > scheme.ends_on:
                result.error(
                    "départ",
                    f"le dispositif « {scheme.name} » s'est terminé le "
                    f"{scheme.ends_on:%d/%m/%Y} : le départ ne peut pas être plus tardif.",
                )
        if ended_on is None:
            holder = (
                Tenure.objects.filter(post=post, ended_on__isnull=True)
                .exclude(pk=exclude)
                .select_related("person")
                .first()
            )
            if holder is not None:
                result.error(
                    "départ",
                    f"le poste n° {post.pk} a déjà une personne en poste "
                    f"({holder.person or 'compte supprimé'}, depuis le "
                    f"{holder.started_on:%d/%m/%Y}) : un poste n'a qu'une personne en poste à la "
                    "fois. Indiquez une date de départ, ici ou pour cette personne.",
                )
        if result.errors:
            raise _RowFailed


IMPORTERS = {
    "dispositifs": _SchemeImporter,
    "postes": _PostImporter,
    "personnes": _PersonImporter,
}


# --- Import ---------------------------------------------------------------------------------


def register_import(*, kind: str, content: bytes, dry_run: bool = True) -> ImportReport:
    """Check `content` (CSV or XLSX bytes) and, unless `dry_run`, apply it all or nothing.

    The dry run and the apply run the same code, writes included, inside a transaction that a
    dry run always rolls back: what the preview announces is what the apply does.
    """
    report = ImportReport(kind=kind)
    try:
        table = _read_table(content, KINDS[kind], report)
    except FileRejected as rejected:
        report.file_errors.append(rejected.error)
        return report
    except Exception:  # an untrusted file must never end in a server error
        logger.exception("Unreadable register import file (%s)", kind)
        report.file_errors.append(
            CellError(
                None,
                None,
                "Le fichier n'a pas pu être lu : enregistrez-le à nouveau depuis votre tableur, "
                "au format CSV UTF-8 ou Excel (.xlsx).",
            )
        )
        return report
    importer = IMPORTERS[kind]()
    plans = []
    for number, raw in table:
        result = RowResult(number=number)
        plans.append((result, importer.clean(_Cells(result, raw))))
        report.rows.append(result)
    importer.check_file(plans)
    _apply_rows(importer, plans, report, dry_run=dry_run)
    return report


def _apply_rows(importer, plans, report, *, dry_run):
    try:
        with transaction.atomic():
            for result, values in importer.order(plans):
                if result.errors:
                    continue
                try:
                    with transaction.atomic():
                        importer.apply(result, values)
                except _RowFailed:
                    result.action = "error"
                except (IntegrityError, DataError) as error:
                    result.error(None, f"refusé par la base de données ({error}).")
            if dry_run or not report.ok:
                raise _Rollback
            report.applied = True
    except _Rollback:
        pass


# --- Export ---------------------------------------------------------------------------------


def _export_rows(kind):
    if kind == "dispositifs":
        for scheme in Scheme.objects.prefetch_related("communes").order_by("pk"):
            yield [
                scheme.pk,
                scheme.kind,
                scheme.name.strip(),
                "|".join(sorted(c.code_insee for c in scheme.communes.all())),
                scheme.carrier_name.strip(),
                scheme.get_carrier_kind_display(),
                scheme.get_status_display(),
                scheme.signed_on,
                scheme.ends_on,
                "|".join(scheme.qpv_list),
            ]
    elif kind == "postes":
        for post in Post.objects.prefetch_related("schemes").order_by("pk"):
            yield [
                post.pk,
                "|".join(str(pk) for pk in sorted(s.pk for s in post.schemes.all())),
                post.fte,
                post.opened_on,
                post.closed_on,
                post.status_unknown,
            ]
    else:
        tenures = Tenure.objects.select_related("person").order_by("post_id", "started_on", "pk")
        for tenure in tenures:
            person = tenure.person
            yield [
                tenure.pk,
                person.email.lower() if person else "",
                person.first_name.strip() if person else "",
                person.last_name.strip() if person else "",
                tenure.post_id,
                tenure.started_on,
                tenure.ended_on,
                tenure.get_end_reason_display() if tenure.end_reason else "",
            ]


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    text = str(value)
    # A spreadsheet would run "=…" as a formula: the apostrophe keeps it text (and is undone).
    return "'" + text if text.startswith(_FORMULA_START) else text


def register_export(*, kind: str, file_format: str) -> bytes:
    """The register as a file `register_import` takes back unchanged."""
    columns = KINDS[kind].columns
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(columns)
        for row in _export_rows(kind):
            writer.writerow([_csv_value(v) for v in row])
        return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = kind
    for index, name in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(name) + 4)
    sheet.freeze_panes = "A2"
    for number, row in enumerate(_export_rows(kind), start=2):
        for index, value in enumerate(row, start=1):
            if isinstance(value, bool):
                value = "oui" if value else "non"
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=number, column=index, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(kind: str, file_format: str, on: date | None = None) -> str:
    return f"registre-{kind}-{(on or date.today()):%Y-%m-%d}.{file_format}"
