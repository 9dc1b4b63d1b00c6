"""A token no database could hold (a NUL byte, which PostgreSQL text refuses) is a 401 like any
wrong token: not a database error answered as a 400 that, inside a transaction, left every
later statement refused (found by schemathesis on PostgreSQL)."""

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def test_a_token_with_a_nul_byte_is_a_401_and_breaks_nothing(manager):
    client = APIClient()
    response = client.get("/api/v1/projects/", HTTP_AUTHORIZATION="Token wr\x00ong")
    assert response.status_code == 401
    token = Token.objects.create(user=manager).key
    assert client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
