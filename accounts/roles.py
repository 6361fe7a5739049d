"""The role groups, by their fixed Chinese names; a data migration creates them."""

from django.utils.translation import gettext_lazy as _

GRID_WORKER = "网格员"
STAR_MEMBER = "星级小组成员"
STAFF = "社区工作人员"
SECRETARY = "党支部书记"
DIVISION_VIEWER = "师市观察员"

ROLE_LABELS = {
    GRID_WORKER: _("Grid worker"),
    STAR_MEMBER: _("Star lead or group member"),
    STAFF: _("Community staff"),
    SECRETARY: _("Party secretary"),
    DIVISION_VIEWER: _("Division viewer"),
}
