from django.db import models
from django.utils.translation import gettext_lazy as _


class Community(models.Model):
    """A neighbourhood community (社区); every domain row belongs to one."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    regiment = models.CharField(_("regiment"), max_length=100, blank=True)
    division = models.CharField(_("division"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        """The name as the division writes it, e.g. 红星一场红星社区."""
        return f"{self.regiment}{self.name}" if self.regiment else self.name
