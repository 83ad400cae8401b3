"""Load the real territories of Île-de-France from the open data shipped in `data/idf/`."""

import csv
from pathlib import Path

from django.db import models, transaction

from core.text import fold

from .models import Commune, Department, Intercommunality

DATA_DIR = Path(__file__).resolve().parent / "data" / "idf"


def _rows(name):
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _raw(obj, field):
    return getattr(obj, obj._meta.get_field(field).attname)


def _raw_value(value):
    return value.pk if isinstance(value, models.Model) else value


def _sync(model, key, rows):
    """Create or update `model` rows by `key`; returns {key: instance}."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    to_create, to_update, fields = [], [], set()
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = {f: v for f, v in row.items() if _raw(obj, f) != _raw_value(v)}
        if changed:
            for f, v in changed.items():
                setattr(obj, f, v)
            fields.update(changed)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields), batch_size=500)
    return {getattr(obj, key): obj for obj in model.objects.all()}


@transaction.atomic
def load_territories():
    """Idempotent: running it twice changes nothing. Returns the number of rows per kind."""
    departments = _sync(
        Department,
        "code",
        (
            {"code": r["code"], "name": r["nom"], "chef_lieu_code": r["chef_lieu"]}
            for r in _rows("departements.csv")
        ),
    )
    intercos = _sync(
        Intercommunality,
        "siren",
        (
            {"siren": r["code_siren"], "name": r["nom"], "kind": r["type"]}
            for r in _rows("intercommunalites.csv")
        ),
    )
    communes = _sync(
        Commune,
        "code_insee",
        (
            {
                "code_insee": r["code_insee"],
                "name": r["nom"],
                "folded_name": fold(r["nom"]),
                "department": departments[r["departement"]],
                "kind": r["type"],
                "population": int(r["population"]) if r["population"] else None,
                "postal_codes": r["codes_postaux"],
                "ept": intercos.get(r["ept"]),
                "epci": intercos.get(r["epci"]),
            }
            for r in _rows("communes.csv")
        ),
    )
    return {
        "départements": len(departments),
        "intercommunalités": len(intercos),
        "communes": len(communes),
    }
