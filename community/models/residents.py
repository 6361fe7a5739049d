"""People: households, residents (their protected personal data), and the care groups
(care tags) residents belong to."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community import ethnicity
from community.models.places import Building, Community, Unit
from privacy.auditing_queryset import AuditedManager, AuditedQuerySet
from privacy.crypto import EncryptedTextField, blind_index
from privacy.masks import mask_id_number, mask_name, mask_phone


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
    contact_phone = EncryptedTextField(_("contact phone"), blank=True, editable=False)
    contact_phone_masked = models.CharField(
        _("contact phone"), max_length=20, blank=True, editable=False
    )
    contact_phone_last4 = models.CharField(
        _("contact phone's last 4 digits"), max_length=4, blank=True, editable=False, db_index=True
    )
    is_low_income = models.BooleanField(_("low-income (低保)"), default=False)
    is_zero_employment = models.BooleanField(_("zero-employment (零就业)"), default=False)

    objects = AuditedManager()

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

    def get_absolute_url(self) -> str:
        return reverse("admin:community_household_change", args=[self.pk])

    @property
    def grid_id(self):
        return self.building.grid_id

    @property
    def grid(self):
        return self.building.grid

    def set_contact_phone(self, value: str) -> None:
        """value: a normalised mobile number (community.validators.normalize_mobile) or ""."""
        self.contact_phone = value
        self.contact_phone_masked = mask_phone(value)
        self.contact_phone_last4 = value[-4:]


class ResidentQuerySet(AuditedQuerySet):
    def current(self):
        """Residents who have not moved out."""
        return self.filter(moved_out__isnull=True)

    def living_on(self, day):
        """Residents who lived here on the eve of `day` (the last day of a period ending at
        `day`): moved in before it (or on an unknown date) and not moved out before it. A
        figure as of a past period's end stays what it was, whatever is imported later."""
        return self.filter(
            models.Q(moved_in__isnull=True) | models.Q(moved_in__lt=day),
            models.Q(moved_out__isnull=True) | models.Q(moved_out__gte=day),
        )

    def with_place(self):
        """What a list row shows: household, unit, building, compound and grid in one query.

        The protected ciphertext columns are deferred: lists show the masked copies.
        """
        return self.select_related(
            "household__unit__building__compound",  # a household in a unit is named by it
            "household__building__compound",
            "household__building__grid",
        ).defer("id_number", "phone")

    def by_id_number(self, id_number: str):
        return self.filter(id_number_hash=blind_index(id_number, purpose="id_number"))


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
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=2, choices=ethnicity.CHOICES, blank=True
    )
    # Protected: ciphertext at rest, a keyed hash for exact lookups and uniqueness, and the
    # masked form every list shows (so lists never load or decrypt the ciphertext).
    id_number = EncryptedTextField(_("ID number"), blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    phone_last4 = models.CharField(
        _("phone's last 4 digits"), max_length=4, blank=True, editable=False, db_index=True
    )
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

    objects = ResidentQuerySet.as_manager()

    # Fields that only roles holding community.view_sensitive_data see.
    SENSITIVE_FIELDS = ("ethnicity",)
    PROTECTED_FIELDS = ("id_number", "phone")

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        # By household id: ordering by "household" would expand Household's ordering, which
        # reaches Building twice (directly and through Unit) and trips Django's loop check.
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "id_number_hash"],
                condition=~models.Q(id_number_hash=""),
                name="resident_unique_id_number",
                violation_error_message=_("This ID number is already registered."),
            ),
        ]
        permissions = [
            ("reveal_personal_data", _("Can reveal residents' full ID numbers and phones")),
            ("view_sensitive_data", _("Can see residents' ethnicity and care tags")),
            ("import_resident", _("Can import residents from Excel")),
            ("export_resident", _("Can export residents to Excel")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:community_resident_change", args=[self.pk])

    def set_id_number(self, value: str) -> None:
        """value: a normalised ID number (community.validators.normalize_id_number) or ""."""
        self.id_number = value
        self.id_number_hash = blind_index(value, purpose="id_number")
        self.id_number_masked = mask_id_number(value)

    def set_phone(self, value: str) -> None:
        """value: a normalised mobile number (community.validators.normalize_mobile) or ""."""
        self.phone = value
        self.phone_hash = blind_index(value, purpose="phone")
        self.phone_masked = mask_phone(value)
        self.phone_last4 = value[-4:]

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        today = timezone.localdate()
        before_birthday = (today.month, today.day) < (self.birth_date.month, self.birth_date.day)
        return today.year - self.birth_date.year - before_birthday

    @property
    def masked_name(self) -> str:
        """The name as public pages show it: the surname and a star (张*)."""
        return mask_name(self.name)


class CareTag(models.Model):
    """A care group (关爱对象) such as 独居老人 or 低保, with how often its homes are visited."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="care_tags", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=30)
    visit_every_days = models.PositiveSmallIntegerField(
        _("visit every (days)"),
        help_text=_("A household with this tag is due for a home visit after so many days."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("care tag")
        verbose_name_plural = _("care tags")
        ordering = ["community", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="caretag_unique_name"),
            models.CheckConstraint(
                condition=models.Q(visit_every_days__gte=1), name="caretag_frequency_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResidentTag(models.Model):
    """A resident's membership of a care group, from `since` until `until` (open-ended)."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="tags", verbose_name=_("resident")
    )
    tag = models.ForeignKey(
        CareTag, on_delete=models.PROTECT, related_name="residents", verbose_name=_("care tag")
    )
    since = models.DateField(_("since"), default=timezone.localdate)
    until = models.DateField(_("until"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("resident's care tag")
        verbose_name_plural = _("residents' care tags")
        ordering = ["tag__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "tag"], name="residenttag_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} · {self.tag}"
