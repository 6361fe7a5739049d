"""The audited QuerySet: bulk writes of domain records join the audit trail (privacy/audit.py).

save() and delete() are audited by signals; QuerySet.update(), bulk_create() and bulk_update()
send none. Every audited model's default manager is built on AuditedQuerySet
(`objects = AuditedManager()`, or a custom QuerySet subclassing AuditedQuerySet), so:

- update(**values): one INSERT … SELECT writes an audit row for each record the UPDATE is
  about to change (the changed fields with their new values, masked like a save's; the ids
  never travel to Python), then the UPDATE runs — in one transaction, so they commit
  together;
- bulk_create(objs): one "create" row per record with its values (masked);
- bulk_update(objs, fields): one "update" row per record whose listed fields changed.

Related managers (household.residents.update(...)) derive from the default manager and are
audited too. `with audit.suppressed():` turns all of it off for code that writes its own audit
rows. tests/privacy/test_audit_bulk.py checks that every model is covered.

Limit: update() selects the affected rows just before it writes them (two statements); under
READ COMMITTED a row that a concurrent transaction makes match, or stop matching, in between is
updated without its audit row, or audited without being updated.
"""

from django.db import models, router, transaction

from privacy import audit


class AuditedQuerySet(models.QuerySet):
    def _write_db(self) -> str:
        return self._db or router.db_for_write(self.model, **self._hints)

    def update(self, **kwargs):
        if self.query.is_sliced or not audit.is_audited(self.model):
            return super().update(**kwargs)  # (a sliced query: Django's own error)
        using = self._write_db()
        with transaction.atomic(using=using, savepoint=False):
            audit.record_update(self, kwargs, using=using)
            return super().update(**kwargs)

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        if not audit.is_audited(self.model):
            return super().bulk_create(objs, *args, **kwargs)
        with transaction.atomic(using=self._write_db(), savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            audit.record_created(self.model, created)
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        if not audit.is_audited(self.model):
            return super().bulk_update(objs, fields, batch_size=batch_size)
        objs = list(objs)
        using = self._write_db()
        audit.load_missing_snapshots(self.model, objs, using=using)
        with transaction.atomic(using=using, savepoint=False):
            # Django's bulk_update() runs one update() per batch: not audited twice.
            with audit.suppressed():
                count = super().bulk_update(objs, fields, batch_size=batch_size)
            audit.record_bulk_updated(self.model, objs, fields)
        return count

    bulk_update.alters_data = True


class AuditedManager(models.Manager.from_queryset(AuditedQuerySet)):
    """The default manager of an audited model without a QuerySet of its own."""
