"""Import and export of the register: round trip, bad files, encodings, XLSX quirks and pages."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from coordinators import imports
from coordinators.models import CoordinatorProfile, HandoverFile, Post, Scheme, Tenure
from demo.seed import seed_demo
from territories.models import Department
from tests.core.files import merged_bomb, raw_xlsx, text_cell
from tests.factories import PostFactory, SchemeFactory, TenureFactory, UserFactory

D = date
KIND_ORDER = ["dispositifs", "postes", "personnes"]
SCHEME_HEADER = imports.KINDS["dispositifs"].columns
POST_HEADER = imports.KINDS["postes"].columns
PERSON_HEADER = imports.KINDS["personnes"].columns


@pytest.fixture
def register(db):
    """Four schemes (one ended), four posts (one on two schemes, one closed), five tenures."""
    val_d_oise = Department.objects.get(code="95")
    cls = SchemeFactory(
        kind=Scheme.Kind.CLS,
        name="Contrat local de santé de Saint-Denis",
        commune_codes=["93066"],
        carrier_name="Ville de Saint-Denis",
        signed_on=D(2019, 1, 15),
        ends_on=D(2025, 12, 31),
        qpv_names="Franc-Moisin – Bel-Air\nFloréal – Saussaie – Courtille",
    )
    asv = SchemeFactory(
        kind=Scheme.Kind.ASV,
        name="Atelier santé ville de Saint-Denis",
        commune_codes=["93066"],
        carrier_name="CCAS de Saint-Denis",
        carrier_kind=Scheme.CarrierKind.CCAS,
        status=Scheme.Status.RENEWING,
        signed_on=D(2015, 3, 1),
    )
    clsm = SchemeFactory(
        kind=Scheme.Kind.CLSM,
        name="CLSM de l'Est du Val-d'Oise",
        department=val_d_oise,
        commune_codes=["95585", "95680", "95268"],
        carrier_name="Communauté d'agglomération Roissy Pays de France",
        carrier_kind=Scheme.CarrierKind.INTERCOMMUNALITY,
    )
    ended = SchemeFactory(
        kind=Scheme.Kind.ASV,
        name="Atelier santé ville de Montreuil",
        commune_codes=["93048"],
        status=Scheme.Status.ENDED,
        carrier_name="Ville de Montreuil",
        signed_on=D(2012, 1, 1),
        ends_on=D(2020, 6, 30),
    )
    both = PostFactory(schemes=[cls, asv], opened_on=D(2019, 2, 1))
    half = PostFactory(schemes=[cls], fte=Decimal("0.5"), opened_on=D(2021, 1, 1))
    unknown = PostFactory(schemes=[clsm], status_unknown=True, opened_on=D(2018, 9, 1))
    closed = PostFactory(schemes=[ended], opened_on=D(2012, 1, 1), closed_on=D(2020, 6, 30))
    alice = UserFactory(email="alice.martin@exemple.fr", first_name="Alice", last_name="Martin")
    berenice = UserFactory(
        email="berenice.ndiaye@exemple.fr", first_name="Bérénice", last_name="N'Diaye"
    )
    denis = UserFactory(email="denis.leroy@exemple.fr", first_name="Denis", last_name="Leroy")
    TenureFactory(
        person=alice,
        post=both,
        started_on=D(2019, 3, 1),
        ended_on=D(2022, 5, 31),
        end_reason=Tenure.EndReason.OTHER_POST,
    )
    TenureFactory(person=berenice, post=both, started_on=D(2022, 9, 1))
    TenureFactory(person=alice, post=half, started_on=D(2022, 6, 1))
    TenureFactory(
        person=denis,
        post=closed,
        started_on=D(2012, 2, 1),
        ended_on=D(2020, 6, 30),
        end_reason=Tenure.EndReason.POST_REMOVED,
    )
    TenureFactory(  # the account of this person was deleted: the tenure stays
        person=None,
        post=unknown,
        started_on=D(2018, 9, 1),
        ended_on=D(2021, 1, 4),
        end_reason=Tenure.EndReason.LEFT,
    )
    return {
        "cls": cls,
        "asv": asv,
        "clsm": clsm,
        "ended": ended,
        "both": both,
        "half": half,
        "unknown": unknown,
        "closed": closed,
        "alice": alice,
    }


def snapshot():
    """Everything an import may write, in comparable form."""
    return {
        "schemes": sorted(
            (
                s.pk,
                s.kind,
                s.name,
                s.department_id,
                s.carrier_name,
                s.carrier_kind,
                s.status,
                s.signed_on,
                s.ends_on,
                s.qpv_names,
                tuple(sorted(c.code_insee for c in s.communes.all())),
            )
            for s in Scheme.objects.prefetch_related("communes")
        ),
        "posts": sorted(
            (
                p.pk,
                p.fte,
                p.opened_on,
                p.closed_on,
                p.status_unknown,
                tuple(sorted(s.pk for s in p.schemes.all())),
            )
            for p in Post.objects.prefetch_related("schemes")
        ),
        "tenures": sorted(
            Tenure.objects.values_list(
                "pk", "person_id", "post_id", "started_on", "ended_on", "end_reason"
            )
        ),
        "users": sorted(User.objects.values_list("pk", "email", "first_name", "last_name")),
        "profiles": CoordinatorProfile.objects.count(),
        "handovers": HandoverFile.objects.count(),
    }


def csv_file(header, rows, *, delimiter=";", encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def messages_of(report):
    return [str(error) for error in report.errors]


def assert_refused(kind, content, expected):
    """The file is refused with `expected` among its messages, and nothing is saved."""
    before = snapshot()
    dry = imports.register_import(kind=kind, content=content)
    applied = imports.register_import(kind=kind, content=content, dry_run=False)
    assert not applied.applied
    assert snapshot() == before
    for report in (dry, applied):
        assert not report.ok
        assert any(expected in message for message in messages_of(report)), messages_of(report)
    return applied


def scheme_row(**overrides):
    row = {
        "identifiant": "",
        "type": "CLS",
        "nom": "Contrat local de santé de Drancy",
        "communes": "93029",
        "structure porteuse": "Ville de Drancy",
        "type de porteur": "Commune",
        "statut": "En cours",
        "date de signature": "01/02/2023",
        "date de fin": "31/01/2028",
        "QPV": "Gaston Roulaud|Avenir Parisien",
    }
    row.update(overrides)
    return [row[column] for column in SCHEME_HEADER]


def person_row(**overrides):
    row = {
        "identifiant": "",
        "e-mail": "camille.petit@exemple.fr",
        "prénom": "Camille",
        "nom": "Petit",
        "poste": "",
        "prise de poste": "02/01/2024",
        "départ": "",
        "motif du départ": "",
    }
    row.update(overrides)
    return [row[column] for column in PERSON_HEADER]


# --- Round trip -----------------------------------------------------------------------------


def assert_round_trip():
    before = snapshot()
    for kind in KIND_ORDER:
        for file_format in imports.FORMATS:
            exported = imports.register_export(kind=kind, file_format=file_format)
            dry = imports.register_import(kind=kind, content=exported)
            assert dry.ok, (kind, file_format, messages_of(dry)[:5])
            assert dry.counts["unchanged"] == len(dry.rows) > 0, (kind, file_format, dry.counts)
            applied = imports.register_import(kind=kind, content=exported, dry_run=False)
            assert applied.applied and applied.counts == dry.counts
            assert snapshot() == before, (kind, file_format)
            assert imports.register_export(kind=kind, file_format="csv") == imports.register_export(
                kind=kind, file_format="csv"
            )


def test_export_then_import_changes_nothing(register):
    assert_round_trip()


@pytest.mark.django_db
def test_round_trip_on_the_demo_data():
    seed_demo()
    assert Scheme.objects.count() > 200 and Tenure.objects.count() > 200
    assert_round_trip()


def test_csv_export_is_for_excel_in_french(register):
    content = imports.register_export(kind="dispositifs", file_format="csv")
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == ";".join(SCHEME_HEADER)
    cls = register["cls"]
    assert (
        f"{cls.pk};CLS;Contrat local de santé de Saint-Denis;93066;Ville de Saint-Denis;Commune;"
        "En cours;15/01/2019;31/12/2025;Franc-Moisin – Bel-Air|Floréal – Saussaie – Courtille"
    ) in lines
    posts = imports.register_export(kind="postes", file_format="csv").decode("utf-8-sig")
    assert f"{register['half'].pk};{register['cls'].pk};0,5;01/01/2021;;non" in posts
    people = imports.register_export(kind="personnes", file_format="csv").decode("utf-8-sig")
    assert "alice.martin@exemple.fr;Alice;Martin" in people
    assert "Autre poste dans la même collectivité" in people


def test_a_formula_in_a_name_stays_text_both_ways(register):
    scheme = register["asv"]
    scheme.carrier_name = '=HYPERLINK("http://exemple.fr")'
    scheme.save()
    content = imports.register_export(kind="dispositifs", file_format="csv")
    assert "'=HYPERLINK" in content.decode("utf-8-sig")
    workbook = openpyxl.load_workbook(
        io.BytesIO(imports.register_export(kind="dispositifs", file_format="xlsx"))
    )
    cells = [c for row in workbook.active.iter_rows() for c in row if c.value]
    assert all(c.data_type != "f" for c in cells)
    assert_round_trip()


# --- Dry run, apply, all or nothing ---------------------------------------------------------


def test_dry_run_saves_nothing_and_apply_saves_what_it_announced(register):
    cls = register["cls"]
    content = csv_file(
        SCHEME_HEADER,
        [
            scheme_row(),
            scheme_row(
                identifiant=str(cls.pk),
                type="Contrat local de santé",
                nom=cls.name,
                communes="Saint-Denis",
                statut="renewing",
                **{"structure porteuse": "Ville de Saint-Denis"},
                **{"date de signature": "2019-01-15", "date de fin": "2025-12-31"},
                QPV="Franc-Moisin – Bel-Air",
            ),
        ],
    )
    before = snapshot()
    report = imports.register_import(kind="dispositifs", content=content)
    assert report.ok and not report.applied
    assert (report.counts["create"], report.counts["update"]) == (1, 1)
    assert report.rows[1].changes == ["statut", "QPV"]
    assert snapshot() == before

    report = imports.register_import(kind="dispositifs", content=content, dry_run=False)
    assert report.applied
    cls.refresh_from_db()
    assert cls.status == Scheme.Status.RENEWING and cls.qpv_list == ["Franc-Moisin – Bel-Air"]
    drancy = Scheme.objects.get(name="Contrat local de santé de Drancy")
    assert drancy.department.code == "93"
    assert drancy.qpv_list == ["Gaston Roulaud", "Avenir Parisien"]
    assert (drancy.signed_on, drancy.ends_on) == (D(2023, 2, 1), D(2028, 1, 31))
    # Imported again: the scheme is recognised by its type and name, not created twice.
    again = imports.register_import(kind="dispositifs", content=content)
    assert "Un dispositif CLS de ce nom existe déjà" in " ".join(messages_of(again))


def test_one_bad_row_and_nothing_is_saved(register):
    content = csv_file(
        SCHEME_HEADER,
        [scheme_row(), scheme_row(nom="CLS de Bondy", communes="Bondy|Atlantis")],
    )
    report = assert_refused(
        "dispositifs",
        content,
        "Ligne 3, colonne « communes » : Commune inconnue en Île-de-France : « Atlantis »",
    )
    assert report.counts["create"] == 1 and report.counts["error"] == 1
    assert not Scheme.objects.filter(name="Contrat local de santé de Drancy").exists()


def test_people_import_creates_the_person_and_the_tenure(register):
    post = register["unknown"]
    content = csv_file(
        PERSON_HEADER,
        [
            person_row(poste=str(post.pk), **{"prise de poste": "01/09/2023"}),
            person_row(
                poste=str(post.pk),
                **{
                    "prise de poste": "01/03/2021",
                    "départ": "31/08/2023",
                    "motif du départ": "Fin de contrat",
                },
            ),
        ],
    )
    report = imports.register_import(kind="personnes", content=content, dry_run=False)
    assert report.applied, messages_of(report)
    camille = User.objects.get(email="camille.petit@exemple.fr")
    assert not camille.has_usable_password()
    tenures = list(Tenure.objects.filter(person=camille).order_by("started_on"))
    assert [(t.started_on, t.ended_on, t.end_reason) for t in tenures] == [
        (D(2021, 3, 1), D(2023, 8, 31), Tenure.EndReason.CONTRACT_END),
        (D(2023, 9, 1), None, ""),
    ]
    post.refresh_from_db()
    assert not post.status_unknown  # as post_arrival does
    assert CoordinatorProfile.objects.get(user=camille).status == "approved"
    # The same file again: the tenures are recognised (e-mail, post, start), nothing changes.
    again = imports.register_import(kind="personnes", content=content)
    assert again.ok and again.counts["unchanged"] == 2


def test_recording_a_departure_and_the_next_arrival_in_one_file(register):
    post = register["both"]
    current = Tenure.objects.get(post=post, ended_on__isnull=True)
    content = csv_file(
        PERSON_HEADER,
        [
            person_row(poste=str(post.pk), **{"prise de poste": "01/10/2024"}),
            person_row(
                identifiant=str(current.pk),
                **{"e-mail": current.person.email, "prénom": "", "nom": ""},
                poste=str(post.pk),
                **{"prise de poste": "01/09/2022", "départ": "30/09/2024"},
                **{"motif du départ": "left"},
            ),
        ],
    )
    report = imports.register_import(kind="personnes", content=content, dry_run=False)
    assert report.applied, messages_of(report)
    current.refresh_from_db()
    assert (current.ended_on, current.end_reason) == (D(2024, 9, 30), "left")
    assert Tenure.objects.get(post=post, ended_on__isnull=True).person.email == (
        "camille.petit@exemple.fr"
    )


# --- Bad input: one clear message, nothing saved --------------------------------------------


def test_unknown_commune(register):
    content = csv_file(SCHEME_HEADER, [scheme_row(communes="93029|99999")])
    assert_refused(
        "dispositifs",
        content,
        "Ligne 2, colonne « communes » : Code INSEE inconnu en Île-de-France : « 99999 »",
    )


def test_ambiguous_commune_name_asks_for_the_insee_code(register):
    content = csv_file(SCHEME_HEADER, [scheme_row(communes="Blandy")])
    assert_refused(
        "dispositifs",
        content,
        "Ligne 2, colonne « communes » : « Blandy » désigne plusieurs communes (77034, 91067) : "
        "indiquez le code INSEE.",
    )


def test_commune_names_match_without_accents_or_case(register):
    content = csv_file(
        SCHEME_HEADER,
        [scheme_row(communes="epinay sur seine|SAINT DENIS|Drancy (93029)")],
    )
    report = imports.register_import(kind="dispositifs", content=content, dry_run=False)
    assert report.applied, messages_of(report)
    scheme = Scheme.objects.get(name="Contrat local de santé de Drancy")
    assert sorted(c.code_insee for c in scheme.communes.all()) == ["93029", "93031", "93066"]


def test_communes_of_two_departements(register):
    content = csv_file(SCHEME_HEADER, [scheme_row(communes="93029|95585")])
    assert_refused(
        "dispositifs",
        content,
        "Ligne 2, colonne « communes » : Les communes d'un dispositif doivent être dans un même "
        "département (ici : 93, 95).",
    )


@pytest.mark.parametrize(
    ("kind", "header", "row", "expected"),
    [
        (
            "dispositifs",
            SCHEME_HEADER,
            lambda r: scheme_row(
                **{"date de signature": "01/02/2023", "date de fin": "31/12/2022"}
            ),
            "Ligne 2, colonne « date de fin » : La date de fin précède la date de signature.",
        ),
        (
            "postes",
            POST_HEADER,
            lambda r: [str(r["half"].pk), str(r["cls"].pk), "1", "01/01/2021", "31/12/2020", ""],
            "Ligne 2, colonne « supprimé le » : La date de suppression précède la date "
            "d'ouverture.",
        ),
        (
            "personnes",
            PERSON_HEADER,
            lambda r: person_row(
                poste=str(r["unknown"].pk), **{"prise de poste": "01/09/2023", "départ": "1/8/2023"}
            ),
            "Ligne 2, colonne « départ » : La date de départ précède la date de prise de poste.",
        ),
    ],
)
def test_end_date_before_start_date(register, kind, header, row, expected):
    assert_refused(kind, csv_file(header, [row(register)]), expected)


def test_two_open_tenures_on_one_post_in_the_file(register):
    post = register["unknown"]
    content = csv_file(
        PERSON_HEADER,
        [
            person_row(poste=str(post.pk), **{"prise de poste": "01/09/2023"}),
            person_row(
                **{"e-mail": "dominique.roux@exemple.fr", "prénom": "Dominique", "nom": "Roux"},
                poste=str(post.pk),
                **{"prise de poste": "01/10/2023"},
            ),
        ],
    )
    assert_refused(
        "personnes",
        content,
        f"Ligne 3, colonne « départ » : Le poste n° {post.pk} a déjà une prise de poste en cours "
        "à la ligne 2",
    )


def test_two_open_tenures_on_one_post_with_the_register(register):
    post = register["both"]  # Bérénice holds it since 01/09/2022
    content = csv_file(PERSON_HEADER, [person_row(poste=str(post.pk))])
    assert_refused(
        "personnes",
        content,
        f"Ligne 2, colonne « départ » : Le poste n° {post.pk} a déjà une personne en poste "
        "(Bérénice N'Diaye, depuis le 01/09/2022)",
    )


def test_overlapping_tenures(register):
    post = register["both"]  # Alice 01/03/2019 → 31/05/2022
    content = csv_file(
        PERSON_HEADER,
        [
            person_row(
                poste=str(post.pk), **{"prise de poste": "01/01/2020", "départ": "01/01/2021"}
            )
        ],
    )
    assert_refused(
        "personnes",
        content,
        "Ligne 2, colonne « prise de poste » : Ces dates chevauchent la prise de poste d’Alice "
        "Martin commencée le 01/03/2019.",
    )


def test_a_person_on_a_post_of_an_ended_scheme(register):
    post = PostFactory(schemes=[register["ended"]], opened_on=D(2012, 1, 1))
    content = csv_file(PERSON_HEADER, [person_row(poste=str(post.pk))])
    assert_refused(
        "personnes",
        content,
        "Ligne 2, colonne « poste » : Le dispositif « Atelier santé ville de Montreuil » est "
        "terminé : on ne peut plus y affecter personne.",
    )
    # Past tenures on it are history, accepted; going on after its end is not.
    past = csv_file(
        PERSON_HEADER,
        [
            person_row(
                poste=str(post.pk), **{"prise de poste": "01/01/2015", "départ": "01/01/2016"}
            )
        ],
    )
    assert imports.register_import(kind="personnes", content=past).ok
    late = csv_file(
        PERSON_HEADER,
        [
            person_row(
                poste=str(post.pk), **{"prise de poste": "01/01/2019", "départ": "01/01/2021"}
            )
        ],
    )
    assert_refused(
        "personnes",
        late,
        "Ligne 2, colonne « départ » : Le dispositif « Atelier santé ville de Montreuil » s'est "
        "terminé le 30/06/2020",
    )


def test_ending_a_scheme_whose_post_is_held(register):
    cls = register["cls"]
    row = imports.register_export(kind="dispositifs", file_format="csv").decode("utf-8-sig")
    line = next(x for x in row.split("\r\n") if x.startswith(f"{cls.pk};"))
    content = csv_file(SCHEME_HEADER, [line.replace("En cours", "Terminé").split(";")])
    assert_refused(
        "dispositifs",
        content,
        "Ligne 2, colonne « statut » : Bérénice N'Diaye occupe encore le poste n° "
        f"{register['both'].pk} de ce dispositif",
    )


def test_one_message_per_bad_cell(register):
    content = csv_file(
        SCHEME_HEADER,
        [
            scheme_row(
                identifiant="abc",
                type="CLSS",
                nom="",
                **{"type de porteur": "Mairie", "date de signature": "31/02/2023"},
            )
        ],
    )
    report = assert_refused("dispositifs", content, "Ligne 2, colonne « type »")
    assert messages_of(report) == [
        "Ligne 2, colonne « identifiant » : « abc » n'est pas un identifiant (nombre entier "
        "attendu).",
        "Ligne 2, colonne « type » : « CLSS » n'est pas une valeur possible (Atelier Santé Ville, "
        "Contrat local de santé, Conseil local de santé mentale).",
        "Ligne 2, colonne « nom » : Case vide : cette valeur est obligatoire.",
        "Ligne 2, colonne « type de porteur » : « Mairie » n'est pas une valeur possible "
        "(Commune, EPT / EPCI, CCAS, Établissement hospitalier, Autre).",
        "Ligne 2, colonne « date de signature » : « 31/02/2023 » n'est pas une date (attendu "
        "JJ/MM/AAAA, par exemple 15/03/2024).",
    ]


def test_unknown_identifiers(register):
    content = csv_file(POST_HEADER, [["999999", "888888", "1", "01/01/2024", "", "non"]])
    report = assert_refused(
        "postes",
        content,
        "Ligne 2, colonne « identifiant » : Aucun poste n'a l'identifiant 999999.",
    )
    assert (
        "Ligne 2, colonne « dispositifs » : Aucun dispositif n'a l'identifiant 888888."
        in messages_of(report)
    )


def test_malformed_csv(register):
    content = csv_file(SCHEME_HEADER, [scheme_row()]) + b';CLS;"CLS de Bondy;93010\r\n'
    assert_refused("dispositifs", content, "Le fichier CSV est mal formé à la ligne 3")


def test_a_row_with_too_many_values(register):
    content = csv_file(SCHEME_HEADER, [[*scheme_row(), "en trop"]])
    assert_refused(
        "dispositifs", content, "Ligne 2 : 11 valeurs pour 10 colonnes d'en-tête : un séparateur"
    )


def test_mis_encoded_csv(register):
    # A UTF-8 file that was read as Windows-1252 and saved again as UTF-8: "Ã©" for "é".
    good = csv_file(SCHEME_HEADER, [scheme_row()], encoding="utf-8")
    twice = good.decode("cp1252").encode("utf-8")
    assert_refused("dispositifs", twice, "Le fichier semble mal encodé : « Ã© » à la ligne 2")
    # Bytes that are neither UTF-8 nor Windows-1252.
    broken = good.replace(b"Drancy", b"Dr\x81ncy")
    assert_refused(
        "dispositifs",
        broken,
        "Le fichier n'est ni en UTF-8 ni en Windows-1252 (caractère illisible à la ligne 2)",
    )


def test_binary_file_sent_as_csv(register):
    assert_refused("dispositifs", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "n'est pas un fichier CSV")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \r\n"])
def test_empty_file(register, content):
    assert_refused("dispositifs", content, "Le fichier est vide.")


def test_header_without_rows(register):
    assert_refused(
        "dispositifs",
        csv_file(SCHEME_HEADER, []),
        "Ligne 1 : Le fichier ne contient que l'en-tête : aucune ligne à importer.",
    )


def test_wrong_header(register):
    header = [c if c != "communes" else "commune(s)" for c in SCHEME_HEADER]
    assert_refused(
        "dispositifs",
        csv_file(header, [scheme_row()]),
        "Ligne 1 : En-tête non reconnu pour un fichier « dispositifs » : il manque la colonne "
        "« communes ». La première ligne doit contenir : identifiant ; type ; nom ; communes",
    )


def test_file_of_another_kind(register):
    content = imports.register_export(kind="postes", file_format="csv")
    assert_refused(
        "dispositifs",
        content,
        "Ce fichier ressemble à un fichier « postes » : choisissez ce type.",
    )


def test_old_excel_and_damaged_xlsx(register):
    assert_refused("postes", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "Excel 97-2003 (.xls)")
    assert_refused("postes", b"PK\x03\x04" + b"\x00" * 100, "Le fichier Excel est endommagé")


# --- Encodings, separators, XLSX ------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_encodings_and_separators(register, encoding, delimiter):
    content = csv_file(
        SCHEME_HEADER,
        [
            scheme_row(
                nom="Contrat local de santé d'Épinay-sur-Seine",
                communes="Épinay-sur-Seine",
                **{"structure porteuse": "Ville d'Épinay-sur-Seine, CCAS"},
                **{"type de porteur": "Établissement hospitalier"},
                QPV="Orgemont|La Source – Les Presles",
            )
        ],
        delimiter=delimiter,
        encoding=encoding,
    )
    report = imports.register_import(kind="dispositifs", content=content, dry_run=False)
    assert report.applied, messages_of(report)
    scheme = Scheme.objects.get(name="Contrat local de santé d'Épinay-sur-Seine")
    assert scheme.carrier_name == "Ville d'Épinay-sur-Seine, CCAS"
    assert scheme.carrier_kind == Scheme.CarrierKind.HOSPITAL
    assert scheme.qpv_list == ["Orgemont", "La Source – Les Presles"]


def test_xlsx_with_extra_sheets_merged_header_cells_and_trailing_rows(register):
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Mode d'emploi"
    notes["A1"] = "Remplir la feuille « Registre »"
    sheet = workbook.create_sheet("Registre")
    # A title merged over the whole width, then a two-level header with merged cells.
    sheet["A1"] = "Dispositifs à importer — février 2026"
    sheet.merge_cells("A1:J1")
    sheet["A2"] = "identifiant"
    sheet.merge_cells("A2:A3")
    sheet["B2"] = "Dispositif"
    sheet.merge_cells("B2:C2")
    sheet["D2"] = "communes"
    sheet.merge_cells("D2:D3")
    for column, name in zip("BC", ["type", "nom"], strict=True):
        sheet[f"{column}3"] = name
    for column, name in zip("EFGHIJ", SCHEME_HEADER[4:], strict=True):
        sheet[f"{column}3"] = name
    sheet.append(scheme_row())
    sheet.append(scheme_row(nom="Contrat local de santé de Bobigny", communes="93008"))
    sheet["H4"] = D(2023, 2, 1)  # a real date cell
    sheet.append([])
    sheet["A10"] = None  # formatted but empty rows at the end
    workbook.create_sheet("Brouillon")["A1"] = "identifiant"
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = imports.register_import(kind="dispositifs", content=buffer.getvalue(), dry_run=False)
    assert report.applied, messages_of(report)
    assert [row.number for row in report.rows] == [4, 5]
    assert (
        "Feuille lue : « Registre » ; autres feuilles ignorées : « Mode d'emploi », « Brouillon »."
        in (report.notes)
    )
    assert Scheme.objects.get(name="Contrat local de santé de Bobigny").communes.get().name == (
        "Bobigny"
    )


def test_xlsx_where_no_sheet_has_the_header(register):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Postes"
    workbook.active.append(list(POST_HEADER))
    workbook.create_sheet("Notes")["A1"] = "à compléter"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert_refused(
        "personnes",
        buffer.getvalue(),
        "Ligne 1 : En-tête non reconnu pour un fichier « personnes » : il manque les colonnes "
        "« e-mail », « prénom », « nom », « poste », « prise de poste », « départ », « motif du "
        "départ ». La première ligne doit contenir : identifiant ; e-mail ; prénom ; nom ; poste ; "
        "prise de poste ; départ ; motif du départ. (Feuille « Postes ».) Ce fichier ressemble à "
        "un fichier « postes » : choisissez ce type.",
    )


def test_xlsx_header_merged_across_two_columns(register):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([*SCHEME_HEADER[:3], "communes", "", *SCHEME_HEADER[4:]])
    sheet.merge_cells("D1:E1")
    sheet.append([*scheme_row()[:4], "", *scheme_row()[4:]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert_refused(
        "dispositifs",
        buffer.getvalue(),
        "Ligne 1 : La colonne « communes » apparaît plusieurs fois dans l'en-tête (colonnes D, "
        "E) : des cellules d'en-tête fusionnées sur plusieurs colonnes ?",
    )


def test_xlsx_cells_as_excel_types(register):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(POST_HEADER))
    sheet.append(["", register["cls"].pk, 0.75, D(2024, 1, 15), None, False])
    sheet.append(["", f"{register['cls'].pk}|{register['asv'].pk}", "0,5", "2024-02-01", "", "oui"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = imports.register_import(kind="postes", content=buffer.getvalue(), dry_run=False)
    assert report.applied, messages_of(report)
    created = Post.objects.filter(opened_on__gte=D(2024, 1, 1)).order_by("opened_on")
    assert [(p.fte, p.status_unknown, p.schemes.count()) for p in created] == [
        (Decimal("0.75"), False, 1),
        (Decimal("0.50"), True, 2),
    ]
    assert all(HandoverFile.objects.filter(post=p).exists() for p in created)


# --- Pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 200), ("superuser", 200), ("coordinator", 403), ("partner_dd93", 403)],
)
def test_import_page_is_for_staff(db, client, user_for_role, role, status):
    client.force_login(user_for_role(role))
    assert client.get(reverse("imports:index")).status_code == status
    export = client.get(reverse("imports:export", args=["dispositifs", "csv"]))
    assert export.status_code == status
    confirm = client.post(reverse("imports:confirm"), {"token": "x"})
    assert confirm.status_code == (302 if status == 200 else 403)


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("imports:index"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_upload_preview_then_confirm(client, staff, register):
    client.force_login(staff)
    content = csv_file(SCHEME_HEADER, [scheme_row()])
    response = client.post(
        reverse("imports:index"),
        {"kind": "dispositifs", "file": SimpleUploadedFile("dispositifs.csv", content)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirmer l'import" in page and "Contrat local de santé de Drancy" in page
    assert not Scheme.objects.filter(name="Contrat local de santé de Drancy").exists()

    response = client.post(reverse("imports:confirm"), {"token": response.context["token"]})
    assert response.status_code == 302
    assert Scheme.objects.filter(name="Contrat local de santé de Drancy").exists()
    page = client.get(response["Location"]).content.decode()
    assert "1 ligne(s) créée(s)" in page
    # The file is used once: confirming again does nothing.
    response = client.post(reverse("imports:confirm"), {"token": "x"}, follow=True)
    assert "Aucun fichier vérifié" in response.content.decode()
    assert Scheme.objects.filter(name="Contrat local de santé de Drancy").count() == 1


def test_upload_with_errors_shows_them_and_offers_no_confirmation(client, staff, register):
    client.force_login(staff)
    content = csv_file(SCHEME_HEADER, [scheme_row(communes="Atlantis")])
    response = client.post(
        reverse("imports:index"),
        {"kind": "dispositifs", "file": SimpleUploadedFile("dispositifs.csv", content)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Commune inconnue en Île-de-France : « Atlantis »" in page
    assert "Confirmer" not in page
    assert "register_import" not in client.session


def test_confirm_checks_again(client, staff, register):
    """The register changed between preview and confirmation: nothing is saved."""
    client.force_login(staff)
    content = csv_file(SCHEME_HEADER, [scheme_row()])
    response = client.post(
        reverse("imports:index"),
        {"kind": "dispositifs", "file": SimpleUploadedFile("dispositifs.csv", content)},
    )
    SchemeFactory(name="Contrat local de santé de Drancy", commune_codes=["93029"])
    response = client.post(reverse("imports:confirm"), {"token": response.context["token"]})
    assert response.status_code == 200
    assert "Un dispositif CLS de ce nom existe déjà" in response.content.decode()
    assert Scheme.objects.filter(name="Contrat local de santé de Drancy").count() == 1


def test_upload_too_large_or_broken(client, staff, register):
    client.force_login(staff)
    big = SimpleUploadedFile("gros.csv", b"x" * (imports.MAX_BYTES + 1))
    response = client.post(reverse("imports:index"), {"kind": "postes", "file": big})
    assert response.status_code == 200
    assert "Le fichier dépasse 5 Mo" in response.content.decode()
    broken = SimpleUploadedFile("faux.xlsx", b"PK\x03\x04 pas un classeur")
    response = client.post(reverse("imports:index"), {"kind": "postes", "file": broken})
    assert response.status_code == 200
    assert "Le fichier Excel est endommagé" in response.content.decode()


# --- Bounds: what an upload may cost ----------------------------------------------------------


def too_long_csv():
    """One data row more than the bounds allow, the header on the first line."""
    rows = [scheme_row(nom=f"CLS n° {n}") for n in range(imports.LIMITS.max_row_number)]
    return csv_file(SCHEME_HEADER, rows)


def far_corner_xlsx():
    """A tiny XLSX declaring a million rows, with a cell in the last one."""
    header = "".join(text_cell(f"{chr(ord('A') + n)}1", c) for n, c in enumerate(SCHEME_HEADER))
    return raw_xlsx(
        (
            "Registre",
            '<dimension ref="A1:XFD1048576"/>'
            f'<sheetData><row r="1">{header}</row>'
            f'<row r="1048576">{text_cell("XFD1048576", "x")}</row></sheetData>',
        )
    )


HOSTILE = {
    "fusion.xlsx": (
        lambda: merged_bomb(SCHEME_HEADER),
        "Cellules fusionnées trop étendues (A2:Z19999, 519\u202f948 cases)",
    ),
    "coin.xlsx": (far_corner_xlsx, "La feuille « Registre » dépasse 1\u202f000 lignes"),
    "long.csv": (too_long_csv, "Le fichier dépasse 1\u202f000 lignes : découpez-le."),
    "large.csv": (
        lambda: ";".join(["x"] * 150).encode() + b"\r\n",
        "150 colonnes, pour 100 au plus",
    ),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_files_beyond_the_bounds_are_refused_before_any_query(register, name):
    build, expected = HOSTILE[name]
    content = build()
    assert len(content) < imports.MAX_BYTES
    report = assert_refused("dispositifs", content, expected)
    assert report.rows == [] and len(report.errors) == 1
    if name == "large.csv":
        assert report.errors[0].row == 1
    with CaptureQueriesContext(connection) as queries:
        imports.register_import(kind="dispositifs", content=content, dry_run=False)
    assert len(queries) == 0  # refused while reading: no importer made, no row checked


def test_the_refusal_reaches_the_upload_form(client, staff, register):
    client.force_login(staff)
    before = snapshot()
    for name, (build, expected) in HOSTILE.items():
        response = client.post(
            reverse("imports:index"),
            {"kind": "dispositifs", "file": SimpleUploadedFile(name, build())},
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert expected.replace("'", "&#x27;") in page, name
        assert "Confirmer" not in page and "register_import" not in client.session
    assert snapshot() == before


def test_the_largest_file_accepted_is_read(register):
    """Just under the bounds, every row is read and checked (each has an error here, so that
    the test does not create thousands of schemes)."""
    rows = [scheme_row(nom=f"CLS n° {n}", type="CLSS") for n in range(imports.MAX_ROWS)]
    report = imports.register_import(kind="dispositifs", content=csv_file(SCHEME_HEADER, rows))
    assert report.file_errors == []
    assert len(report.rows) == imports.MAX_ROWS == report.counts["error"]


@pytest.mark.parametrize("kind", KIND_ORDER)
@pytest.mark.parametrize(
    ("file_format", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_export_downloads(client, staff, register, kind, file_format, content_type):
    client.force_login(staff)
    response = client.get(reverse("imports:export", args=[kind, file_format]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(f'attachment; filename="registre-{kind}-')
    report = imports.register_import(kind=kind, content=response.content)
    assert report.ok and report.counts["unchanged"] == len(report.rows)


def test_unknown_export_is_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("imports:export", args=["budgets", "csv"])).status_code == 404
    assert client.get(reverse("imports:export", args=["postes", "pdf"])).status_code == 404
