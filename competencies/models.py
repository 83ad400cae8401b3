"""The competency framework: domains and competencies with four levels, edited by staff.

A shared reference below the domains: offers, pathways, self-assessments, the library and the
peer network all speak of the same competencies."""

from django.db import models


class CompetencyDomain(models.Model):
    name = models.CharField("nom", max_length=200, unique=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "domaine de compétences"
        verbose_name_plural = "domaines de compétences"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Competency(models.Model):
    """A competency of the framework, with four levels described in plain words."""

    LEVELS = [(1, "Découverte"), (2, "Mise en pratique"), (3, "Maîtrise"), (4, "Transmission")]

    domain = models.ForeignKey(
        CompetencyDomain,
        on_delete=models.PROTECT,
        related_name="competencies",
        verbose_name="domaine",
    )
    name = models.CharField("nom", max_length=200, unique=True)
    description = models.TextField("description", blank=True)
    level_1 = models.TextField("niveau 1 — découverte")
    level_2 = models.TextField("niveau 2 — mise en pratique")
    level_3 = models.TextField("niveau 3 — maîtrise")
    level_4 = models.TextField("niveau 4 — transmission")
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "compétence"
        ordering = ["domain__position", "position", "name"]

    def __str__(self):
        return self.name

    @property
    def levels(self):
        """[(level, label, description)] from 1 to 4."""
        return [(level, label, getattr(self, f"level_{level}")) for level, label in self.LEVELS]
