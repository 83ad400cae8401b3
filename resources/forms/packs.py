"""Forms of packs: a pack, a resource added to it, a link shared."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from core.forms import DateField, limit_lengths
from core.widgets import SearchSelect

from ..models.library import Resource
from ..models.packs import Pack
from ..services import packs as services


class PackForm(forms.ModelForm):
    class Meta:
        model = Pack
        fields = ["title", "audience_line", "introduction", "is_published"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_lengths(
            self,
            {
                "title": services.TITLE_MAX_LENGTH,
                "audience_line": services.AUDIENCE_MAX_LENGTH,
                "introduction": services.INTRODUCTION_MAX_LENGTH,
            },
        )


class PackItemForm(forms.Form):
    resource = forms.ModelChoiceField(
        label="Ressource à ajouter",
        queryset=Resource.objects.none(),
        widget=SearchSelect(placeholder="Tapez le titre d’une ressource…"),
        error_messages={
            "required": "Choisissez une ressource.",
            "invalid_choice": "Cette ressource n’est pas proposée : seules les ressources "
            "publiées « tout public » qui ne sont pas déjà dans le pack peuvent y entrer.",
        },
        help_text="Seules les ressources publiées « tout public » : le lien du pack les ouvre "
        "sans compte.",
    )
    note = forms.CharField(
        label="Pourquoi cette ressource",
        required=False,
        help_text="Une phrase pour la personne qui lira le pack (facultatif).",
    )

    def __init__(self, *args, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources
        limit_lengths(self, {"note": services.NOTE_MAX_LENGTH})


class PackLinkForm(forms.Form):
    label = forms.CharField(
        label="Pour qui",
        help_text="Par exemple « Conseil municipal de Sarcelles » ou « Direction de la santé » : "
        "il apparaît dans vos liens et en tête de la page partagée (« Partagé par … pour … »).",
    )
    expires_on = DateField(
        label="Le lien fonctionne jusqu’au",
        help_text="90 jours par défaut, un an au plus. Vous pourrez le révoquer avant.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["expires_on"].initial = services.default_expiry(today)
        self.fields["expires_on"].widget.attrs.update(
            {
                "min": today.isoformat(),
                "max": (today + timedelta(days=services.LINK_MAX_DAYS)).isoformat(),
            }
        )
        limit_lengths(self, {"label": services.LABEL_MAX_LENGTH})
