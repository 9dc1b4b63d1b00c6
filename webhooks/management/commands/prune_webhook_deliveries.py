"""Delete delivered webhook deliveries older than --days (default 30): the log of what was sent
is kept that long; pending and failed ones are kept until they are delivered or removed with
their subscription. Run it daily (cron, a systemd timer), beside django-tasks'
prune_db_task_results."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from webhooks.models import Delivery


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="keep delivered ones this many days")

    def handle(self, *args, days, **options):
        before = timezone.now() - dt.timedelta(days=max(days, 0))
        deleted, _ = Delivery.objects.filter(
            status=Delivery.Status.SUCCEEDED, delivered_at__lt=before
        ).delete()
        self.stdout.write(f"{deleted} delivered webhook deliveries older than {days} days deleted")
