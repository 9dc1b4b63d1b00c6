"""Ledger and statistics endpoints (owned by the ledger work); included under /api/v1/."""

urlpatterns = []
