from django.conf import settings
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


class StaffProfile(models.Model):
    """Binds a back-office account to its community (a division viewer: to several)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_profiles",
        verbose_name=_("community"),
        help_text=_("The community this account works in (empty for a division viewer)."),
    )
    viewable_communities = models.ManyToManyField(
        Community,
        blank=True,
        related_name="viewer_profiles",
        verbose_name=_("communities viewed"),
        help_text=_("For a division viewer: the communities whose aggregates they may read."),
    )
    phone = models.CharField(_("work phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return str(self.user)


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

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="unit_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.building}{self.number}"


class Household(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="households", verbose_name=_("community")
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="households", verbose_name=_("building")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("unit"),
    )
    door_number = models.CharField(_("door number"), max_length=20)
    head = models.ForeignKey(
        "Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("head of household"),
    )
    is_low_income = models.BooleanField(_("low-income (低保)"), default=False)
    is_zero_employment = models.BooleanField(_("zero-employment (零就业)"), default=False)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["building", "unit", "door_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "unit", "door_number"],
                condition=models.Q(unit__isnull=False),
                name="household_unique_address_in_unit",
            ),
            models.UniqueConstraint(
                fields=["building", "door_number"],
                condition=models.Q(unit__isnull=True),
                name="household_unique_address_in_building",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit or self.building}{self.door_number}"

    @property
    def grid_id(self):
        return self.building.grid_id


class Resident(models.Model):
    """A person living in the community. Sensitive fields are added by the registry."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class ResidencyType(models.TextChoices):
        REGISTERED = "registered", _("Registered (户籍)")
        PERMANENT = "permanent", _("Permanent (常住)")
        FLOATING = "floating", _("Floating (流动)")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="residents", verbose_name=_("community")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("household"),
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    relation_to_head = models.CharField(_("relation to the head"), max_length=20, blank=True)
    political_status = models.CharField(_("political status"), max_length=20, blank=True)
    residency_type = models.CharField(
        _("residency type"),
        max_length=12,
        choices=ResidencyType.choices,
        default=ResidencyType.REGISTERED,
    )
    moved_in = models.DateField(_("moved in"), null=True, blank=True)
    moved_out = models.DateField(_("moved out"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["household", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_name(self) -> str:
        """The name as public pages show it: the surname and a star (张*)."""
        return mask_name(self.name)


def mask_name(name: str) -> str:
    """张学福 -> 张*; public pages never show more of a resident's name."""
    return f"{name[:1]}*" if name else ""
