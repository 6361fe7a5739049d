"""The audit trail: one AuditEvent row per change of a domain record, per reveal, export and
import of personal data (through AccessLog, which stays the registry's own log), per login,
failed login, lockout and logout, and per refused request (403).

Actor and IP come from the request being served (privacy.context.current_request);
commands and shells leave them blank. Records holding personal data (a model with an
encrypted field, or one listed in PERSONAL_MODELS) keep only the names of the changed fields,
never values; the logs pass through privacy.logmask.MaskingFilter (ID and phone numbers).

Bulk writes send no signals: every audited model's default manager is therefore built on
privacy.auditing_queryset.AuditedQuerySet, whose update(), bulk_create() and bulk_update()
write one row per record touched, in one INSERT per batch (record_update, record_created,
record_bulk_updated, from privacy.audit_bulk). Many-to-many add/remove/clear come through
m2m_changed, with the related ids. A code path that writes its own audit rows (the registry
import's "import" rows) or writes data that is not a record of anybody's work (benchmark data,
the demo) runs inside `with audit.suppressed():`, which silences the create/update/delete/m2m
rows of the trail (and only those: logins, refusals, reveals, exports and imports are still
recorded).

Models that are not domain records are listed in NOT_AUDITED; tests/privacy/test_audit_bulk.py
fails when a model of these apps is neither audited nor listed there.

This module is the trail's entry point (the names in __all__); the shared state and value
masking are in privacy.audit_core, the bulk and many-to-many rows in privacy.audit_bulk.
"""

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save

from privacy.audit_bulk import (
    _m2m_changed,
    record_bulk_updated,
    record_created,
    record_update,
)
from privacy.audit_core import (
    AUDITED_APPS,
    MASK,
    NOT_AUDITED,
    PERSONAL_MODELS,
    _event,
    _fields,
    _ip,
    _label,
    _loaded,
    _m2m,
    _personal,
    _repr,
    _secret,
    _snapshot,
    _suppressed,
    _value,
    is_audited,
    load_missing_snapshots,
    suppressed,
)
from privacy.context import current_request, request_ip
from privacy.crypto import EncryptedTextField

# The entry points the rest of the project uses (bulk writes' come from privacy.audit_bulk).
__all__ = [
    "AUDITED_APPS",
    "NOT_AUDITED",
    "connect",
    "is_audited",
    "load_missing_snapshots",
    "record_bulk",
    "record_bulk_updated",
    "record_created",
    "record_denied",
    "record_update",
    "suppressed",
]


def _before_save(sender, instance, raw=False, using=None, **kwargs):
    """pre_save: a record loaded without a snapshot (privacy.audit_core._reading) gets its
    stored values now, before they are overwritten."""
    if not raw and not instance._state.adding:
        load_missing_snapshots(sender, [instance], using=using)


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw or _suppressed.get():
        # Not audited now; a later audited save reads the stored values back.
        instance.__dict__.pop("_audit_initial", None)
        return
    before = {} if created else getattr(instance, "_audit_initial", {})
    changes = {}
    for name in _fields[sender]:
        if name not in instance.__dict__:
            continue
        new = instance.__dict__[name]
        if not created and name in before and before[name] == new:
            continue
        if not created and name not in before:
            continue
        if _secret(sender, name):
            changes[name] = MASK
        elif created:
            changes[name] = _value(new)
        else:
            changes[name] = [_value(before[name]), _value(new)]
    if not created and not changes:
        return
    action = "create" if created else "update"
    _event(
        action,
        model=_label(sender),
        object_id=instance.pk,
        object_repr=_repr(instance),
        changes=changes,
        community_id=getattr(instance, "community_id", None),
    ).save()
    _snapshot(sender, instance)


def _deleted(sender, instance, **kwargs):
    if _suppressed.get():
        return
    _event(
        "delete",
        model=_label(sender),
        object_id=instance.pk,
        object_repr=_repr(instance),
        community_id=getattr(instance, "community_id", None),
    ).save()


def _access_logged(sender, instance, created, raw=False, **kwargs):
    """A reveal, export or import written to the registry's AccessLog joins the trail; an
    import adds one row per imported record."""
    if not created or raw:
        return
    from privacy.models import AuditEvent

    event = _event(
        instance.action,
        model=instance.model,
        object_id=instance.object_ids[0] if instance.record_count == 1 else "",
        object_repr=f"{instance.record_count}",
        changes={"fields": list(instance.fields), "access_log": instance.pk},
        community_id=instance.community_id,
    )
    if instance.action == "import":
        record_bulk(
            "import",
            model=instance.model,
            object_ids=instance.object_ids,
            community_id=instance.community_id,
            changes={"access_log": instance.pk},
        )
    else:
        AuditEvent.objects.bulk_create([event])


def record_bulk(action, *, model, object_ids, community_id=None, changes=None):
    """One audit row per record touched by a bulk operation, in one INSERT per 1000."""
    from privacy.models import AuditEvent

    label = model if isinstance(model, str) else _label(model)
    AuditEvent.objects.bulk_create(
        [
            _event(action, model=label, object_id=pk, community_id=community_id, changes=changes)
            for pk in object_ids
        ],
        batch_size=1000,
    )


def _community_of(user):
    profile = getattr(user, "staff_profile", None) if user is not None else None
    return profile.community_id if profile is not None else None


def record_denied(request):
    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    _event(
        "denied",
        object_repr=request.path[:200],
        changes={"method": request.method},
        community_id=_community_of(user),
    ).save()


def _logged_in(sender, request, user, **kwargs):
    token = current_request.set(request)
    try:
        # The middleware runs after login on the next request: take the user from here.
        event = _event("login", community_id=_community_of(user))
        event.actor, event.actor_name = user, user.get_username()
        if request is not None:
            event.ip = request_ip(request)
        event.save()
    finally:
        current_request.reset(token)


def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    event = _event("logout", community_id=_community_of(user))
    event.actor, event.actor_name = user, user.get_username()
    event.save()


def _login_failed(sender, credentials, request=None, **kwargs):
    event = _event("login_failed")
    event.actor_name = str(credentials.get("username", ""))[:150]
    if request is not None:
        event.ip = request_ip(request)
    event.save()


def _locked_out(sender, request, username, ip_address, **kwargs):
    event = _event("locked_out")
    event.actor_name = str(username or "")[:150]
    event.ip = _ip(ip_address)
    event.save()


def connect():
    """Called from PrivacyConfig.ready(): all models are loaded by then."""
    from axes.signals import user_locked_out

    from privacy.models import AccessLog

    for app_label in AUDITED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if _label(model) in NOT_AUDITED or model._meta.auto_created:
                continue
            _fields[model] = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
            _personal[model] = _label(model) in PERSONAL_MODELS or any(
                isinstance(f, EncryptedTextField) for f in model._meta.concrete_fields
            )
            post_init.connect(_loaded, sender=model, dispatch_uid=f"audit-init-{model}")
            pre_save.connect(_before_save, sender=model, dispatch_uid=f"audit-pre-save-{model}")
            post_save.connect(_saved, sender=model, dispatch_uid=f"audit-save-{model}")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"audit-del-{model}")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                # A through model of our own (GridMember) is audited as a model: its rows
                # are created and deleted through its audited queryset.
                if through._meta.auto_created:
                    _m2m[through] = (model, field)
                    m2m_changed.connect(
                        _m2m_changed, sender=through, dispatch_uid=f"audit-m2m-{through}"
                    )
    post_save.connect(_access_logged, sender=AccessLog, dispatch_uid="audit-accesslog")
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="audit-locked-out")
