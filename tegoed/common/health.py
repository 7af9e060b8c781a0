"""`/health/`: is this process able to serve, and does the database answer?

Answered before any other middleware: a load balancer, Docker or systemd asks it over plain
HTTP and by an address that is not in ALLOWED_HOSTS, and it needs no session. 200 with
{"status": "ok"} when a query on the database succeeds, 503 with the reason otherwise.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse

PATH = "/health/"

logger = logging.getLogger(__name__)


def answer_health_check(get_response):
    def middleware(request):
        if request.path != PATH:
            return get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as error:
            logger.error("health check: the database does not answer: %s", error)
            return JsonResponse({"status": "error", "database": str(error)[:200]}, status=503)
        return JsonResponse({"status": "ok", "database": connection.vendor})

    return middleware
