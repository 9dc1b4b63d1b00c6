"""The change log (changes.models.Change): every write of a fact records one row in its own
transaction; the audit trail, the API changes feed and webhooks all read it.

In a service:

    from changes.recording import atomic, diff, record, snapshot

    @atomic                                   # instead of @transaction.atomic
    def project_update(*, project, by, **fields):
        before = snapshot(project, fields)
        ...save...
        record("project.updated", project, by=by, changes=diff(before, snapshot(project, fields)))

Types are `<object>.<what happened>`: project.created, project.updated, investor.created,
investor.updated, event.recorded, event.voided, review.recorded, progress.saved,
ledger.published, reminder.issued, reminder.acknowledged, … (docs/design.md lists them all).
The channel (page, api, admin, import, command) comes from `channel(...)`, set per request by
changes.middleware.ChannelMiddleware.
"""
