"""The registry's back office: places, residents, visits, party members, the access log.

Every admin is scoped (CommunityScopedAdmin): other communities' rows, and for grid
workers other grids' rows, are invisible in lists, detail pages, autocompletes and
foreign-key choices, and answer 404. ID numbers and phones appear masked; ethnicity and
care tags only for users holding community.view_sensitive_data.

One module per concern; importing this package registers them all:
- places: communities, grids, compounds, buildings, units
- residents: households, residents (reveal, Excel import and export), care tags
- visits: home visits and the visits due
- party: party members and volunteer service
- access_log: the personal-data access log
- filters: the list filters they share
"""

from community.admin import access_log, party, places, residents, visits  # noqa: F401
from community.admin.places import CommunityAdmin

__all__ = ["CommunityAdmin"]
