"""Pages shared by every app."""

from django.shortcuts import render


def form_page(request, form, *, title, back_url, submit="Enregistrer", intro="", aside="", **extra):
    """The one page for a form alone: title, optional intro, the form, submit and cancel, and an
    optional side template (`aside`, e.g. the variables of an e-mail)."""
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "back_url": back_url,
            "submit": submit,
            "intro": intro,
            "aside": aside,
            **extra,
        },
    )
