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
record_bulk_updated below). Many-to-many add/remove/clear come through m2m_changed, with the
related ids. A code path that writes its own audit rows (the registry import's "import" rows)
or writes data that is not a record of anybody's work (benchmark data, the demo) runs inside
`with audit.suppressed():`, which silences the create/update/delete/m2m rows of this module
(and only those: logins, refusals, reveals, exports and imports are still recorded).

Models that are not domain records are listed in NOT_AUDITED; tests/privacy/test_audit_bulk.py
fails when a model of these apps is neither audited nor listed there.
"""

import contextlib
import contextvars
import re

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import EmptyResultSet
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router
from django.db.models import F, Model
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.utils import timezone

from privacy.context import current_request, request_ip, valid_ip
from privacy.crypto import EncryptedTextField

AUDITED_APPS = ("accounts", "community", "governance")
# Models with personal data but no encrypted field (free text about people).
PERSONAL_MODELS = {"community.resident", "community.visit", "community.partymember"}
SENSITIVE_NAMES = re.compile(r"id_number|phone|ethnicity|birth|password|token|secret|hash")
MASK = "***"
# Not domain records, so not audited: the trail itself, the personal-data access log (its rows
# join the trail through _access_logged), and the per-year reference counter (a sequence).
NOT_AUDITED = {"governance.referencecounter"}

_fields: dict[type, list[str]] = {}
_personal: dict[type, bool] = {}
_m2m: dict[type, tuple[type, object]] = {}  # auto-created through model -> (model, field)
_suppressed: contextvars.ContextVar = contextvars.ContextVar("hx_audit_off", default=False)


@contextlib.contextmanager
def suppressed():
    """Inside this block, creates, updates, deletes and m2m changes write no audit rows.

    For code that records its own audit rows (the registry import: one "import" row per
    resident, from its AccessLog) or writes data that is nobody's work (generate_scale_data,
    load_demo). Also usable as a decorator: @audit.suppressed().
    """
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def is_audited(model) -> bool:
    """True when writes to the model are audited right now (not suppressed)."""
    return model in _fields and not _suppressed.get()


def _label(model) -> str:
    return model._meta.label_lower


def _context():
    request = current_request.get()
    if request is None:
        return None, "", None
    user = getattr(request, "user", None)
    ip = request_ip(request)
    if user is not None and user.is_authenticated:
        return user, user.get_username(), ip
    return None, "", ip


def _event(action, *, model="", object_id="", object_repr="", changes=None, community_id=None):
    from privacy.models import AuditEvent

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


def _secret(model, name: str) -> bool:
    """A field whose values never enter the trail (only its name does)."""
    return _personal[model] or bool(SENSITIVE_NAMES.search(name))


def _shown(model, name: str, value):
    return MASK if _secret(model, name) else _value(value)


def _repr(instance) -> str:
    if _personal[type(instance)]:
        return f"{instance._meta.verbose_name} #{instance.pk}"
    return str(instance)


def _snapshot(sender, instance, **kwargs):
    instance._audit_initial = {
        name: instance.__dict__[name] for name in _fields[sender] if name in instance.__dict__
    }


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw or _suppressed.get():
        _snapshot(sender, instance)
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


# -- bulk writes (privacy.auditing_queryset) and many-to-many changes --------------------------

BATCH = 1000
# The trail's columns a bulk write fills: the same for every row of one write, then per row.
_SHARED = ("at", "actor", "actor_name", "ip", "action", "model")
_PER_ROW = ("object_id", "object_repr", "changes", "community")
_community_lookups: dict[type, str | None] = {}


def _shared(action: str, model, connection) -> list:
    """The values every row of one bulk write shares, ready for the database."""
    from privacy.models import AuditEvent

    actor, actor_name, ip = _context()
    values = [
        timezone.now(),
        actor.pk if actor is not None else None,
        actor_name,
        _ip(ip),
        action,
        _label(model),
    ]
    field = AuditEvent._meta.get_field
    return [
        field(name).get_db_prep_save(value, connection)
        for name, value in zip(_SHARED, values, strict=True)
    ]


def _write(action: str, model, rows, *, via: str) -> None:
    """One audit row per (object_id, community_id, changes) in rows, in one multi-row INSERT
    per batch of up to BATCH rows (SQLite: as many as its 999 parameters allow).

    The rows name the record by model and id only: str() of each record could cost a query
    per row (and show personal data). Written in SQL directly: Django's bulk_create() spends
    more time preparing the rows than the database spends writing them.
    """
    from privacy.models import AuditEvent

    if not rows:
        return
    connection = connections[router.db_for_write(AuditEvent)]
    field, columns = AuditEvent._meta.get_field, _SHARED + _PER_ROW
    shared = _shared(action, model, connection)
    changes_field, name = field("changes"), str(model._meta.verbose_name)
    limit = connection.features.max_query_params
    per_batch = min(BATCH, limit // len(columns)) if limit else BATCH
    quote = connection.ops.quote_name
    insert = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} "
        f"({', '.join(quote(field(column).column) for column in columns)}) VALUES "
    )
    one_row = f"({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_batch):
            batch = rows[start : start + per_batch]
            params = []
            for pk, community_id, changes in batch:
                params += shared
                params += [
                    str(pk)[:64] if pk is not None else "",
                    f"{name} #{pk}"[:200] if pk is not None else name[:200],
                    changes_field.get_db_prep_save({**changes, "_via": via}, connection),
                    community_id,
                ]
            cursor.execute(insert + ", ".join([one_row] * len(batch)), params)


def _community_lookup(model) -> str | None:
    """How a query reaches a record's community: its own column, else the path the model
    registered for scoping (accounts.access), else nothing."""
    if model not in _community_lookups:
        from accounts.access import SCOPES

        own = any(f.attname == "community_id" for f in model._meta.concrete_fields)
        paths = SCOPES.get(model)
        _community_lookups[model] = "community_id" if own else (paths[0] if paths else None)
    return _community_lookups[model]


def record_update(queryset, values: dict, *, using: str) -> None:
    """Before queryset.update(**values) runs (in its transaction): one row per record it is
    about to change, with the changed fields and their new values (the old ones are not
    read), masked as for a save().

    One statement, INSERT INTO the trail SELECT from the queryset itself: the ids and
    communities never travel to Python, whatever the number of rows.
    """
    from privacy.models import AuditEvent

    model = queryset.model
    changes = {}
    for name, value in values.items():
        # (A reverse relation has no attname: Django's update() then says what is wrong.)
        attname = getattr(model._meta.get_field(name), "attname", name)
        value = value.pk if isinstance(value, Model) else value
        changes[attname] = _shown(model, attname, value)
    changes["_via"] = "update()"
    lookup = _community_lookup(model)
    columns = {"audit_pk": F("pk")}
    if lookup is not None:
        columns["audit_community"] = F(lookup)
    # DISTINCT: a filter across a many-to-many relation repeats a record per match.
    touched = queryset.prefetch_related(None).order_by().values(**columns).distinct()
    try:
        select, select_params = touched.query.get_compiler(using=using).as_sql()
    except EmptyResultSet:
        return
    connection = connections[using]
    quote, field = connection.ops.quote_name, AuditEvent._meta.get_field
    names = [*_SHARED, "changes"]
    params = [*_shared("update", model, connection)]
    params.append(field("changes").get_db_prep_save(changes, connection))
    # PostgreSQL types a bare parameter in a SELECT list as text: cast each to its column.
    typed = connection.vendor == "postgresql"
    placeholders = [
        f"CAST(%s AS {field(name).db_type(connection)})" if typed else "%s" for name in names
    ]
    text = "varchar(64)"
    names += ["object_id", "object_repr", "community"]
    sql = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} "
        f"({', '.join(quote(field(name).column) for name in names)}) "
        f"SELECT {', '.join(placeholders)}, CAST(touched.audit_pk AS {text}), "
        f"{'CAST(%s AS text)' if typed else '%s'} || CAST(touched.audit_pk AS {text}), "
        f"{'touched.audit_community' if lookup is not None else 'NULL'} "
        f"FROM ({select}) AS touched"
    )
    params += [f"{model._meta.verbose_name} #", *select_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def record_created(model, objs) -> None:
    """A bulk_create(): each record's values, masked as for a save()."""
    rows = []
    for obj in objs:
        changes = {
            name: _shown(model, name, obj.__dict__[name])
            for name in _fields[model]
            if name in obj.__dict__
        }
        rows.append((obj.pk, getattr(obj, "community_id", None), changes))
        _snapshot(model, obj)
    _write("create", model, rows, via="bulk_create()")


def record_bulk_updated(model, objs, fields) -> None:
    """A bulk_update(objs, fields): per record, the fields whose value differs from the one
    loaded ([old, new]; the new value alone when the old one is unknown), masked as for a
    save(). A record with no changed field gets no row, as with save()."""
    names = [model._meta.get_field(name).attname for name in fields]
    rows = []
    for obj in objs:
        before = obj.__dict__.setdefault("_audit_initial", {})
        changes = {}
        for name in names:
            new = obj.__dict__.get(name)
            if name in before and before[name] == new:
                continue
            if _secret(model, name):
                changes[name] = MASK
            elif name in before:
                changes[name] = [_value(before[name]), _value(new)]
            else:
                changes[name] = _value(new)
            if hasattr(new, "resolve_expression"):
                before.pop(name, None)  # F("x") + 1: the stored value is unknown here
            else:
                before[name] = new
        if changes:
            rows.append((obj.pk, getattr(obj, "community_id", None), changes))
    _write("update", model, rows, via="bulk_update()")


def _m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """add/remove/clear on a many-to-many field: an "update" row on the record that declares
    the field, with the related ids ({"stars": {"add": [1, 2]}}). Seen from the other side
    (star.work_logs.add(log)), each log gets its row."""
    if _suppressed.get():
        return
    model, field = _m2m[sender]
    if action == "pre_clear":
        # Who is linked now, before the links go (one query on the link table).
        source = sender._meta.get_field(field.m2m_field_name()).attname
        target = sender._meta.get_field(field.m2m_reverse_field_name()).attname
        mine, theirs = (target, source) if reverse else (source, target)
        cleared = list(
            sender._default_manager.filter(**{mine: instance.pk}).values_list(theirs, flat=True)
        )
        instance.__dict__.setdefault("_audit_cleared", {})[sender] = cleared
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    operation = action.removeprefix("post_")
    if action == "post_clear":
        ids = instance.__dict__.get("_audit_cleared", {}).pop(sender, [])
    else:
        ids = pk_set or ()
    if not ids:
        return
    community = getattr(instance, "community_id", None)
    if reverse:
        rows = [(pk, community, {field.name: {operation: [instance.pk]}}) for pk in sorted(ids)]
    else:
        rows = [(instance.pk, community, {field.name: {operation: sorted(ids)}})]
    _write("update", model, rows, via="m2m")


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
    """Called from CommunityConfig.ready(): all models are loaded by then."""
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
            post_init.connect(_snapshot, sender=model, dispatch_uid=f"audit-init-{model}")
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
