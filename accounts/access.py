"""Who may see what: community and grid scoping for every back-office query.

- A superuser sees every community.
- Staff see their own community (StaffProfile.community).
- A division viewer (师市观察员) reads aggregates of StaffProfile.viewable_communities.
- A grid worker (网格员) who holds no wider role sees only the grids they work.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accounts import roles
from privacy import audit_bulk

WIDE_ROLES = {roles.SECRETARY, roles.STAFF, roles.STAR_MEMBER}


def _role_names(user) -> set[str]:
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return user._role_names


def has_role(user, role: str) -> bool:
    return user.is_authenticated and (role in _role_names(user))


def community_ids(user) -> list[int] | None:
    """Ids of the communities the user works in; None means all (superuser)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    if not hasattr(user, "_community_ids"):
        profile = getattr(user, "staff_profile", None)
        ids: list[int] = []
        if profile is not None:
            if profile.community_id:
                ids.append(profile.community_id)
            if has_role(user, roles.DIVISION_VIEWER):
                ids += list(profile.viewable_communities.values_list("id", flat=True))
        user._community_ids = sorted(set(ids))
    return user._community_ids


def is_secretary(user) -> bool:
    """The community's party secretary (党支部书记), or a superuser: the one test of it."""
    return user.is_superuser or has_role(user, roles.SECRETARY)


def community_staff(community_ids: list[int] | None) -> QuerySet:
    """Active back-office accounts working in these communities (None: every community):
    bound to one by their staff profile or by a grid they work."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    if community_ids is None:
        return users.order_by("username")
    return (
        users.filter(
            Q(staff_profile__community__in=community_ids)
            | Q(grid_memberships__grid__community__in=community_ids)
        )
        .distinct()
        .order_by("username")
    )


def staff_of(user) -> QuerySet:
    """The back-office accounts of the communities the user works in (people to pick as an
    assignee, a mediator, a visitor...)."""
    return community_staff(community_ids(user))


def home_community(user):
    """The one community a staff member works in (None for superusers and viewers)."""
    profile = getattr(user, "staff_profile", None)
    return profile.community if profile is not None else None


def grid_ids(user) -> list[int] | None:
    """Ids of the grids the user is limited to; None means not limited by grid."""
    if user.is_superuser or not has_role(user, roles.GRID_WORKER):
        return None
    if _role_names(user) & WIDE_ROLES:
        return None
    if not hasattr(user, "_grid_ids"):
        user._grid_ids = list(user.grid_memberships.values_list("grid_id", flat=True))
    return user._grid_ids


def scope(queryset: QuerySet, user, *, community_path: str, grid_path: str | None = None):
    """Filter a queryset to what the user may see.

    community_path: lookup from the model to its Community ("community", "household__community").
    grid_path: lookup from the model to its Grid ("building__grid"), or None when the model is
    not placed in a grid (grid workers then see the community-wide rows).
    """
    ids = community_ids(user)
    if ids is not None:
        queryset = queryset.filter(**{f"{community_path}__in": ids})
    grids = grid_ids(user) if grid_path else None
    if grids is not None:
        queryset = queryset.filter(Q(**{f"{grid_path}__in": grids}))
    return queryset


# Model -> (community_path, grid_path). Apps register their models in their AppConfig.ready().
SCOPES: dict[type, tuple[str, str | None]] = {}


def register_scope(model, *, community: str, grid: str | None = None) -> None:
    SCOPES[model] = (community, grid)
    audit_bulk.COMMUNITY_PATHS[model] = community  # bulk writes' audit rows name the community


def scoped(queryset: QuerySet, user) -> QuerySet:
    """scope() with the paths the queryset's model registered; unregistered models pass."""
    paths = SCOPES.get(queryset.model)
    if paths is None:
        return queryset
    community_path, grid_path = paths
    return scope(queryset, user, community_path=community_path, grid_path=grid_path)
