from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from governance.models.base import CommunityQuerySet


class Star(models.Model):
    """One of a community's six stars (六星); names and descriptions are editable data."""

    class Code(models.TextChoices):
        FORTRESS = "fortress", _("Fortress")
        SAFETY = "safety", _("Safety and rule of law")
        JOBS = "jobs", _("Jobs and enterprise")
        HARMONY = "harmony", _("Happiness and harmony")
        COBUILD = "cobuild", _("Co-build and share")
        UNITY = "unity", _("Ethnic unity")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="stars",
        verbose_name=_("community"),
    )
    code = models.CharField(_("code"), max_length=20, choices=Code.choices)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    description = models.CharField(_("short description"), max_length=300, blank=True)
    description_en = models.CharField(_("English description"), max_length=400, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("star")
        verbose_name_plural = _("stars")
        ordering = ["community", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="star_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def display_description(self) -> str:
        if (get_language() or "").startswith("en") and self.description_en:
            return self.description_en
        return self.description
