"""Division-scale benchmark data: `manage.py generate_scale_data [--scale 0.1] [--seed 1]`."""

from django.core.management.base import BaseCommand, CommandError

from governance.demo import scale


class Command(BaseCommand):
    help = (
        "Create division-scale benchmark data (default: 50 communities, 250,000 residents, "
        "1,000,000 work-log rows, 100,000 requests with their events). Deterministic."
    )

    def add_arguments(self, parser):
        defaults = scale.Sizes()
        parser.add_argument("--communities", type=int, default=defaults.communities)
        parser.add_argument("--residents", type=int, default=defaults.residents)
        parser.add_argument("--work-logs", type=int, default=defaults.work_logs)
        parser.add_argument("--requests", type=int, default=defaults.requests)
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply every size but the number of communities (0.01: 1/100 of the data).",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default="scale", help="Slug prefix of the communities.")

    def handle(self, *args, **options):
        sizes = scale.Sizes(
            communities=options["communities"],
            residents=options["residents"],
            work_logs=options["work_logs"],
            requests=options["requests"],
        ).scaled(options["scale"])
        self.stdout.write(f"generating {sizes} ...")
        try:
            scale.generate(
                sizes=sizes, seed=options["seed"], prefix=options["prefix"], log=self.stdout.write
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
