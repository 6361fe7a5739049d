"""The audit trail: one AuditEvent row per change of a domain record, per reveal, export and
import of personal data (through AccessLog, which stays the registry's own log), per login,
failed login, lockout and logout, and per refused request (403).

Actor and IP come from the request being served (community.middleware.current_request);
commands and shells leave them blank. Records holding personal data (a model with an
encrypted field, or one listed in PERSONAL_MODELS) keep only the names of the changed fields,
never values; the logs pass through community.logmask.MaskingFilter (ID and phone numbers).

Known gap, as in every signal-based audit: queryset.update() and bulk_create/bulk_update send
no signals. Bulk paths therefore call record_bulk() (the registry import does, through its
AccessLog row).
"""

import re

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.signals import post_delete, post_init, post_save

from community.crypto import EncryptedTextField
from community.middleware import current_request, valid_ip

AUDITED_APPS = ("community", "governance")
# Models with personal data but no encrypted field (free text about people).
PERSONAL_MODELS = {"community.resident", "community.visit", "community.partymember"}
SENSITIVE_NAMES = re.compile(r"id_number|phone|ethnicity|birth|password|token|secret|hash")
MASK = "***"

_fields: dict[type, list[str]] = {}
_personal: dict[type, bool] = {}


def _label(model) -> str:
    return model._meta.label_lower


def _context():
    request = current_request.get()
    if request is None:
        return None, "", None
    user = getattr(request, "user", None)
    ip = getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR") or None
    if user is not None and user.is_authenticated:
        return user, user.get_username(), ip
    return None, "", ip


def _event(action, *, model="", object_id="", object_repr="", changes=None, community_id=None):
    from community.models import AuditEvent

    actor, actor_name, ip = _context()
    return AuditEvent(
        actor=actor,
        actor_name=actor_name,
        ip=_ip(ip),
        action=action,
        model=model,
        object_id=str(object_id or "")[:64],
        object_repr=str(object_repr or "")[:200],
        changes=changes or {},
        community_id=community_id,
    )


def _ip(value):
    return value if value and valid_ip(value) else None


def _value(value):
    if isinstance(value, str | int | float | bool) or value is None:
        return value[:200] if isinstance(value, str) else value
    try:
        return DjangoJSONEncoder().default(value)
    except TypeError:
        return str(value)[:200]


def _repr(instance) -> str:
    if _personal[type(instance)]:
        return f"{instance._meta.verbose_name} #{instance.pk}"
    return str(instance)


def _snapshot(sender, instance, **kwargs):
    instance._audit_initial = {
        name: instance.__dict__[name] for name in _fields[sender] if name in instance.__dict__
    }


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    personal = _personal[sender]
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
        if personal or SENSITIVE_NAMES.search(name):
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
    from community.models import AuditEvent

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
    from community.models import AuditEvent

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
            from community.middleware import client_ip

            event.ip = _ip(client_ip(request))
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
        from community.middleware import client_ip

        event.ip = _ip(client_ip(request))
    event.save()


def _locked_out(sender, request, username, ip_address, **kwargs):
    event = _event("locked_out")
    event.actor_name = str(username or "")[:150]
    event.ip = _ip(ip_address)
    event.save()


def connect():
    """Called from CommunityConfig.ready(): all models are loaded by then."""
    from axes.signals import user_locked_out

    from community.models import AccessLog, AuditEvent

    for app_label in AUDITED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model in (AuditEvent, AccessLog) or model._meta.auto_created:
                continue
            _fields[model] = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
            _personal[model] = _label(model) in PERSONAL_MODELS or any(
                isinstance(f, EncryptedTextField) for f in model._meta.concrete_fields
            )
            post_init.connect(_snapshot, sender=model, dispatch_uid=f"audit-init-{model}")
            post_save.connect(_saved, sender=model, dispatch_uid=f"audit-save-{model}")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"audit-del-{model}")
    post_save.connect(_access_logged, sender=AccessLog, dispatch_uid="audit-accesslog")
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="audit-locked-out")
