"""The audit trail's shared core: which models are audited (filled by privacy.audit.connect),
the switch that silences it (suppressed), and how a record's values enter an audit row (the
actor and address of the request being served; personal values masked).

privacy.audit (per-record signals, logins, refusals, the access log) and privacy.audit_bulk
(bulk writes, many-to-many changes) build on it; privacy.audit is the entry point the rest of
the project uses.
"""

import contextlib
import contextvars
import re

from django.core.serializers.json import DjangoJSONEncoder

from privacy.context import current_request, request_ip, valid_ip

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
    """Keep the record's values as loaded: a save() compares against them."""
    instance._audit_initial = {
        name: instance.__dict__[name] for name in _fields[sender] if name in instance.__dict__
    }


# A page that only reads (GET, HEAD, OPTIONS) loads many records and writes almost none.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _reading() -> bool:
    """True while no save needs the values as loaded: auditing is off, or the request being
    served only reads. Records loaded then are not copied (a public list would copy hundreds);
    a write that does follow reads the stored values back first (load_missing_snapshots)."""
    if _suppressed.get():
        return True
    request = current_request.get()
    return request is not None and request.method in READ_METHODS


def _loaded(sender, instance, **kwargs):
    """post_init: the snapshot, unless nothing is going to be written (_reading)."""
    if not _reading():
        _snapshot(sender, instance)


def load_missing_snapshots(model, objs, *, using) -> None:
    """The stored values of records about to be changed that were loaded without a snapshot
    (while _reading()), in one query: the audit row then shows [old, new] as usual."""
    missing = [obj for obj in objs if obj.pk is not None and "_audit_initial" not in obj.__dict__]
    if not missing or _suppressed.get():
        return
    names = [name for name in _fields[model] if name in missing[0].__dict__]
    stored = {
        row["pk"]: row
        for row in model._base_manager.using(using)
        .filter(pk__in=[obj.pk for obj in missing])
        .values("pk", *names)
    }
    for obj in missing:
        row = stored.get(obj.pk, {})
        obj._audit_initial = {
            name: row[name] for name in names if name in row and name in obj.__dict__
        }
