"""Staff edit the lists coordinators choose from: initial backgrounds and topics."""

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from coordinators.models import Background, Topic
from core.permissions import requires

LISTS = {
    "parcours": (Background, "Parcours initiaux", "Parcours initial"),
    "thematiques": (Topic, "Thématiques", "Thématique"),
}


class NameForm(forms.Form):
    name = forms.CharField(label="Libellé", max_length=100)


@requires("manage.view")
def list_edit(request, kind):
    if kind not in LISTS:
        raise Http404
    model, title, label = LISTS[kind]
    form = NameForm(request.POST or None)
    if request.method == "POST":
        item = get_object_or_404(model, pk=request.POST["pk"]) if request.POST.get("pk") else None
        if request.POST.get("action") == "delete" and item is not None:
            item.delete()
            messages.success(request, f"« {item.name} » est retiré de la liste.")
            return redirect("manage:lists", kind=kind)
        if form.is_valid():
            name = form.cleaned_data["name"].strip()
            try:
                with transaction.atomic():
                    if item is None:
                        model.objects.create(name=name)
                    else:
                        item.name = name
                        item.save(update_fields=["name"])
            except IntegrityError:
                form.add_error("name", "Ce libellé existe déjà dans la liste.")
            else:
                messages.success(request, f"« {name} » est enregistré.")
                return redirect("manage:lists", kind=kind)
    return render(
        request,
        "coordinators/list_edit.html",
        {
            "items": model.objects.all(),
            "form": form,
            "title": title,
            "label": label,
            "kind": kind,
            "lists": [(key, value[1]) for key, value in LISTS.items()],
        },
    )
