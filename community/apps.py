from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self):
        from accounts import access
        from community.models import Building, Compound, Grid, GridMember, Household, Resident, Unit

        access.register_scope(self.get_model("Community"), community="pk")
        access.register_scope(Grid, community="community", grid="pk")
        access.register_scope(GridMember, community="grid__community", grid="grid")
        access.register_scope(Compound, community="community")
        access.register_scope(Building, community="community", grid="grid")
        access.register_scope(Unit, community="building__community", grid="building__grid")
        access.register_scope(Household, community="community", grid="building__grid")
        access.register_scope(Resident, community="community", grid="household__building__grid")
        grid_of_resident = "resident__household__building__grid"
        access.register_scope(self.get_model("CareTag"), community="community")
        access.register_scope(
            self.get_model("ResidentTag"), community="resident__community", grid=grid_of_resident
        )
        access.register_scope(
            self.get_model("Visit"), community="community", grid="household__building__grid"
        )
        access.register_scope(self.get_model("PartyMember"), community="community")
        access.register_scope(self.get_model("VolunteerService"), community="community")
        from django.db.models.signals import post_delete, post_save

        from community.queries import forget_public_community

        community_model = self.get_model("Community")
        for signal in (post_save, post_delete):
            signal.connect(
                forget_public_community, sender=community_model, dispatch_uid="hx-public-community"
            )
