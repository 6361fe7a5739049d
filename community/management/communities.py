"""The --community option of the maintenance commands: one community by its slug, or all."""

from django.core.management.base import CommandError

from community.models import Community


def add_community_option(parser) -> None:
    parser.add_argument("--community", help="Slug of one community (default: all).")


def chosen_communities(options):
    """The communities a command runs for, by id: the one --community names, else all of them."""
    communities = Community.objects.order_by("id")
    if options["community"]:
        communities = communities.filter(slug=options["community"])
        if not communities.exists():
            raise CommandError(f"No community {options['community']!r}.")
    return communities
