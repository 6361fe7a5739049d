from django.shortcuts import render

from community.queries import community_for_request
from governance.models import Star


def home(request):
    """The residents' home page: the community and its six stars."""
    community = community_for_request(request)
    stars = Star.objects.for_community(community) if community else Star.objects.none()
    return render(request, "governance/home.html", {"community": community, "stars": stars})
