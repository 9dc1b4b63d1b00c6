"""Webhooks (Standard Webhooks): system accounts subscribe a URL to feed types; a background
task (django-tasks, `manage.py db_worker`) posts each change-feed entry to it, signed, at least
once, in seq order per subscription, retried with backoff and disabled after a day of failures.
Above the API layer: a delivery's body is the feed entry `api.feed.entries` renders."""
