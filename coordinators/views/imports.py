"""Staff pages to import the register from a file (checked, then confirmed) and to export it."""

import base64
import hashlib

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coordinators import imports
from core.permissions import requires

# The checked file waits in the session (server side) until staff confirm it.
SESSION_KEY = "register_import"


class RegisterImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Contenu du fichier", choices=imports.KIND_CHOICES, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label="Fichier CSV ou Excel (.xlsx)",
        help_text=f"{imports.MAX_BYTES // (1024 * 1024)} Mo au plus. Rien n'est enregistré "
        "avant votre confirmation.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                f"Le fichier dépasse {imports.MAX_BYTES // (1024 * 1024)} Mo : découpez-le."
            )
        return upload.read()


def _page(request, *, form, report=None, token=None, status=200):
    return render(
        request,
        "coordinators/import/index.html",
        {
            "form": form,
            "report": report,
            "token": token,
            "kinds": imports.KINDS.values(),
        },
        status=status,
    )


# Both steps read the file outside any transaction (a long upload holds no lock,
# core/transactions.py); `imports.register_import` writes in one transaction of its own (rolled
# back for the preview).


@transaction.non_atomic_requests
@requires("register.import")
def register_import(request):
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form=form)
    kind, content = form.cleaned_data["kind"], form.cleaned_data["file"]
    report = imports.register_import(kind=kind, content=content, dry_run=True)
    token = None
    request.session.pop(SESSION_KEY, None)
    if report.ok and report.has_changes:
        token = hashlib.sha256(content).hexdigest()
        request.session[SESSION_KEY] = {
            "kind": kind,
            "token": token,
            "content": base64.b64encode(content).decode("ascii"),
        }
    return _page(
        request, form=RegisterImportForm(initial={"kind": kind}), report=report, token=token
    )


@transaction.non_atomic_requests
@require_POST
@requires("register.import")
def register_import_confirm(request):
    pending = request.session.get(SESSION_KEY)
    if not pending or pending["token"] != request.POST.get("token"):
        messages.error(
            request,
            "Aucun fichier vérifié n'attend de confirmation (la session a pu expirer, ou un "
            "autre fichier a été vérifié depuis) : envoyez le fichier à nouveau.",
        )
        return redirect("imports:index")
    del request.session[SESSION_KEY]
    content = base64.b64decode(pending["content"])
    # Checked again: the register may have changed since the preview.
    report = imports.register_import(kind=pending["kind"], content=content, dry_run=False)
    if not report.applied:
        return _page(
            request, form=RegisterImportForm(initial={"kind": pending["kind"]}), report=report
        )
    counts = report.counts
    messages.success(
        request,
        f"Import « {report.kind_label} » enregistré : {counts['create']} ligne(s) créée(s), "
        f"{counts['update']} modifiée(s), {counts['unchanged']} inchangée(s).",
    )
    return redirect("imports:index")


@requires("register.export")
def register_export(request, kind, file_format):
    if kind not in imports.KINDS or file_format not in imports.FORMATS:
        raise Http404("Export inconnu")
    content = imports.register_export(kind=kind, file_format=file_format)
    response = HttpResponse(content, content_type=imports.CONTENT_TYPES[file_format])
    filename = imports.export_filename(kind, file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
