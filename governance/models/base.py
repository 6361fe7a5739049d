"""What every governance QuerySet shares."""

from privacy.auditing_queryset import AuditedQuerySet


class CommunityQuerySet(AuditedQuerySet):
    """Rows of a model with its own community column; writes are audited (AuditedQuerySet)."""

    def for_community(self, community):
        return self.filter(community=community)
