"""The yearly activity report (bilan d'activité): a year and a territory, whose figures are the
dashboard's sections (computed when the report is read, never stored), and the texts staff
write around them, kept as versions (`NarrativeVersion`): the current text of a part is its
latest version, earlier ones can be read and restored."""

from django.conf import settings
from django.db import models
from django.utils import timezone

# The territory of a report over the whole region (`Report.department_codes`).
REGION = ""


class Report(models.Model):
    """One report per year and territory: the region, or a set of départements."""

    year = models.PositiveSmallIntegerField("année")
    # The départements' codes in order, joined by commas ("93,95"); REGION for the region.
    department_codes = models.CharField("départements", max_length=100, blank=True)
    title = models.CharField("titre", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", default=timezone.now)

    class Meta:
        verbose_name = "bilan d’activité"
        verbose_name_plural = "bilans d’activité"
        ordering = ["-year", "department_codes"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department_codes"], name="report_one_per_year_and_territory"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def codes(self) -> list | None:
        """The départements' codes, or None for the region."""
        return self.department_codes.split(",") if self.department_codes else None

    @property
    def is_regional(self) -> bool:
        return self.department_codes == REGION


class NarrativeVersion(models.Model):
    """A text staff wrote for one part of a report (`part`: a key of
    `dashboards.reports.NARRATIVE_PARTS`), in Markdown. Every save is a new row: the latest of
    a part is its current text."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    part = models.CharField("partie", max_length=30)
    text = models.TextField("texte")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    created_at = models.DateTimeField("enregistré le", default=timezone.now)
    restored_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="version restaurée",
    )

    class Meta:
        verbose_name = "version d’un texte du bilan"
        verbose_name_plural = "versions des textes du bilan"
        ordering = ["report", "part", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["report", "part", "-created_at"], name="narrative_latest_of_part")
        ]

    def __str__(self):
        return f"{self.report} — {self.part} ({self.created_at:%d/%m/%Y %H:%M})"


class Placement(models.Model):
    """Where a person counts on one day (`indicators.people`): a temporary table that
    `indicators.people.placed` fills for the time of one dashboard and drops after, so that
    every indicator joins it rather than placing each of its rows again. Never migrated
    (`managed = False`); nothing outside that block reads it."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.DO_NOTHING,  # deleting a person never reads this table
        db_constraint=False,
        related_name="dashboard_placement",
    )
    place = models.CharField(max_length=3)  # a département's code
    # The scheme's type; NULL (not "") when placed by a profile's commune, as the rule's query
    # writes it.
    place_kind = models.CharField(max_length=4, null=True)  # noqa: DJ001

    class Meta:
        managed = False
        db_table = "dashboards_placement"

    def __str__(self):
        return f"{self.person_id}: {self.place}"
