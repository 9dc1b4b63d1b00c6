"""DRF's throttles (rates from THROTTLE_ANON / THROTTLE_USER), telling the caller where it
stands: every API response carries `RateLimit-Limit`, `RateLimit-Remaining` and
`RateLimit-Reset` (seconds until a request is free again), as the IETF RateLimit header
fields draft names them; a 429 carries `Retry-After` as well (DRF).

The throttle leaves its reading on the Django request; RateLimitHeaders (a middleware) writes
it on the response, whichever view answered."""

import math

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _Reporting:
    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        if self.rate is not None and getattr(self, "key", None) is not None:
            now = self.now
            oldest = self.history[-1] if self.history else now
            request._request.rate_limit = {
                "limit": self.num_requests,
                "remaining": max(self.num_requests - len(self.history), 0),
                "reset": max(math.ceil(oldest + self.duration - now), 0),
            }
        return allowed


class AnonThrottle(_Reporting, AnonRateThrottle):
    pass


class UserThrottle(_Reporting, UserRateThrottle):
    pass


class RateLimitHeaders:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        reading = getattr(request, "rate_limit", None)
        if reading is not None:
            response["RateLimit-Limit"] = str(reading["limit"])
            response["RateLimit-Remaining"] = str(reading["remaining"])
            response["RateLimit-Reset"] = str(reading["reset"])
        return response
