from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from privacy.auditing_queryset import AuditedManager
from privacy.crypto import EncryptedTextField


class PublicObjection(models.Model):
    """An objection a resident raises during a public notice (公示) period.

    Concrete subclasses add the object objected to and their own Status choices.
    """

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    phone = EncryptedTextField(_("phone"), blank=True)
    text = models.TextField(_("objection"))
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    response = models.TextField(_("response"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    objects = AuditedManager()

    class Meta:
        abstract = True
        ordering = ["-submitted_at"]
