"""Audit rows of bulk writes (privacy.auditing_queryset: update(), bulk_create(),
bulk_update()) and of many-to-many add/remove/clear, written in one statement per batch.

The rows name each record by model and id only: str() of each record could cost a query per
row (and show personal data). Values are masked as for a save() (privacy.audit_core).
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import F, Model
from django.utils import timezone

from privacy.audit_core import (
    MASK,
    _context,
    _fields,
    _ip,
    _label,
    _m2m,
    _secret,
    _shown,
    _snapshot,
    _suppressed,
    _value,
)

BATCH = 1000
# The trail's columns a bulk write fills: the same for every row of one write, then per row.
_SHARED = ("at", "actor", "actor_name", "ip", "action", "model")
_PER_ROW = ("object_id", "object_repr", "changes", "community")
_community_lookups: dict[type, str | None] = {}
# Model -> lookup from it to its community, for models without a community column of their
# own; the scoping registry (accounts.access.register_scope) fills it.
COMMUNITY_PATHS: dict[type, str] = {}


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
    registered for scoping (COMMUNITY_PATHS), else nothing."""
    if model not in _community_lookups:
        own = any(f.attname == "community_id" for f in model._meta.concrete_fields)
        _community_lookups[model] = "community_id" if own else COMMUNITY_PATHS.get(model)
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
