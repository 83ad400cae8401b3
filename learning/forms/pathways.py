"""Forms of the pathways pages. Rules (locks, targets, lengths) are checked by `pathways.py`."""

from django import forms
from django.db.models import Q

from learning.models import Audience, Offer, Pathway, PathwayStep
from learning.pathways import MAX_TEXT, MIN_REFLECTION
from resources.models import Resource


class PathwayForm(forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label="Publics",
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Audience.ALL],
    )

    class Meta:
        model = Pathway
        fields = ["title", "description", "audiences", "is_ordered", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        error_messages = {"title": {"unique": "Un parcours porte déjà ce titre."}}


class StepForm(forms.ModelForm):
    class Meta:
        model = PathwayStep
        fields = [
            "kind",
            "title",
            "instructions",
            "offer",
            "resource",
            "is_required",
            "unlock_after",
        ]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "resource": "Pour une lecture : l'ouverture de la ressource valide l'étape.",
            "unlock_after": "Vide : l'étape est ouverte dès l'inscription"
            " (ou après la précédente, dans un parcours ordonné).",
        }

    def __init__(self, *args, pathway, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.pathway = pathway
        step = self.instance
        # Only active offers and published resources, but a step keeps showing its own target.
        offers = Q(is_active=True) | Q(pk=step.offer_id) if step.offer_id else Q(is_active=True)
        self.fields["offer"].queryset = Offer.objects.filter(offers).order_by("title")
        resources = (
            Q(is_published=True) | Q(pk=step.resource_id)
            if step.resource_id
            else Q(is_published=True)
        )
        self.fields["resource"].queryset = Resource.objects.filter(resources).order_by("title")
        self.fields["unlock_after"].queryset = pathway.steps.filter(
            retired_at__isnull=True
        ).exclude(pk=step.pk)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind != PathwayStep.Kind.EVENT:
            cleaned["offer"] = None
        elif not cleaned.get("offer") and "offer" not in self.errors:
            self.add_error("offer", "Choisissez l'offre dont une séance valide l'étape.")
        if kind != PathwayStep.Kind.RESOURCE:
            cleaned["resource"] = None
        elif not cleaned.get("resource") and "resource" not in self.errors:
            self.add_error("resource", "Choisissez la ressource à lire.")
        return cleaned


def _text_field(label, help_text, too_short):
    """A reflection or a justification: a few sentences, bounded (Django's CharField also
    refuses NUL characters, which PostgreSQL cannot store)."""
    return forms.CharField(
        label=label,
        min_length=MIN_REFLECTION,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={
            "required": too_short,
            "min_length": too_short,
            "max_length": f"{MAX_TEXT} caractères au plus : résumez l'essentiel "
            "(vous en avez écrit %(show_value)d).",
            "null_characters_not_allowed": "Ce texte contient un caractère invalide "
            "(caractère nul) : retapez-le.",
        },
    )


class StepDeclareForm(forms.Form):
    reflection = _text_field(
        "Ce que j'en retiens",
        f"Quelques phrases, au moins {MIN_REFLECTION} caractères.",
        f"Écrivez quelques mots sur ce que vous en retenez (au moins {MIN_REFLECTION} caractères).",
    )


class PriorLearningForm(forms.Form):
    justification = _text_field(
        "Ce que j'ai déjà fait",
        "Formation, expérience, séance suivie ailleurs : l'équipe vous répond.",
        "Expliquez en quelques mots ce que vous avez déjà fait (formation, expérience) : "
        f"au moins {MIN_REFLECTION} caractères.",
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accepter"), ("refuse", "Refuser")])
    comment = forms.CharField(label="Réponse", required=False, widget=forms.Textarea)
