"""Places: the community, its grids (with their grid workers), compounds, buildings and units."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from privacy.auditing_queryset import AuditedManager


class Community(models.Model):
    """A neighbourhood community (社区); every domain row belongs to one."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    regiment = models.CharField(_("regiment"), max_length=100, blank=True)
    division = models.CharField(_("division"), max_length=100, blank=True)
    require_two_factor = models.BooleanField(
        _("second factor required for staff"),
        default=False,
        help_text=_("Every back-office account of the community must enter a one-time code."),
    )

    objects = AuditedManager()

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


class Grid(models.Model):
    """A grid (网格) of the "5+1" grid-management model."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="grids", verbose_name=_("community")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    police_officer = models.CharField(
        _("community police officer"),
        max_length=50,
        blank=True,
        help_text=_("The officer who works this grid with the grid workers (“5+1”)."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="GridMember",
        related_name="grids",
        verbose_name=_("grid workers"),
    )

    objects = AuditedManager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["community", "code"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="grid_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class GridMember(models.Model):
    class Role(models.TextChoices):
        CHIEF = "chief", _("Grid chief")
        WORKER = "worker", _("Grid worker")

    grid = models.ForeignKey(
        Grid, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("grid")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="grid_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.WORKER)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("grid worker")
        verbose_name_plural = _("grid workers")
        constraints = [
            models.UniqueConstraint(fields=["grid", "user"], name="gridmember_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.grid} · {self.user} ({self.get_role_display()})"


class Compound(models.Model):
    """A residential compound (小区), e.g. 康乐小区 or 星光花苑二期."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="compounds", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=100)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="compound_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    class Kind(models.TextChoices):
        FLATS = "flats", _("Flats")
        BUNGALOWS = "bungalows", _("Bungalows")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="buildings", verbose_name=_("community")
    )
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("compound")
    )
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("grid")
    )
    number = models.CharField(_("building number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FLATS)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["compound", "number"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "number"], name="building_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.compound.name}{self.number}"


class Unit(models.Model):
    """A stairwell unit (单元) of a building of flats."""

    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="units", verbose_name=_("building")
    )
    number = models.CharField(_("unit number"), max_length=20)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="unit_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.building}{self.number}"
