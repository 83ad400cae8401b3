"""Staff edit the lists coordinators choose from: initial backgrounds and topics."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from coordinators import services
from core.permissions import requires

# The code of a list in its URL → (title of the page, what one item is).
LISTS = {
    "parcours": ("Parcours initiaux", "Parcours initial"),
    "thematiques": ("Thématiques", "Thématique"),
}


class NameForm(forms.Form):
    name = forms.CharField(label="Libellé", max_length=100)


def _item_or_none(model, pk):
    """The item a form names by its id ("" for a new one); anything else typed there is 404."""
    if not pk:
        return None
    try:
        pk = int(pk)  # "abc", "²", "1.5": not an id
    except ValueError as error:
        raise Http404("Libellé introuvable") from error
    return get_object_or_404(model, pk=pk)


@requires("lists.edit")
def list_edit(request, kind):
    if kind not in LISTS or kind not in services.CHOICE_LISTS:
        raise Http404
    model = services.CHOICE_LISTS[kind]
    title, label = LISTS[kind]
    form = NameForm(request.POST or None)
    if request.method == "POST":
        item = _item_or_none(model, request.POST.get("pk", ""))
        if request.POST.get("action") == "delete" and item is not None:
            services.list_item_delete(item=item)
            messages.success(request, f"« {item.name} » est retiré de la liste.")
            return redirect("manage:lists", kind=kind)
        if form.is_valid():
            name = form.cleaned_data["name"]
            try:
                if item is None:
                    item = services.list_item_add(kind=kind, name=name)
                else:
                    item = services.list_item_rename(item=item, name=name)
            except services.RegisterError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, f"« {item.name} » est enregistré.")
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
            "lists": [(key, value[0]) for key, value in LISTS.items()],
        },
    )
