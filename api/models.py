"""What the API keeps for itself: the answers to POSTs sent with an Idempotency-Key."""

from django.db import models


class IdempotentRequest(models.Model):
    """A POST made with an Idempotency-Key, and its answer once it has one (api.idempotency).

    `status` is null while the first request is being served."""

    caller = models.CharField(max_length=80)  # user:<id> or token:<sha256 of the key>
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # sha256 of method, path, query and body
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["caller", "key"], name="idempotency_key_per_caller")]

    def __str__(self):
        return f"{self.caller} {self.key}"
