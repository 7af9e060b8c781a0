"""How gunicorn serves Tegoed in production: `gunicorn -c python:tegoed.gunicorn_config`.

Everything can be changed from the environment as gunicorn reads it (`GUNICORN_CMD_ARGS`,
`WEB_CONCURRENCY`); the defaults suit one machine with a few cores.
"""

import os

wsgi_app = "tegoed.wsgi:application"
bind = os.environ.get("TEGOED_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A statement of 150,000 entries is read, matched and booked within one request.
timeout = int(os.environ.get("TEGOED_REQUEST_TIMEOUT", "300"))
graceful_timeout = 30
# Workers are replaced now and then, so that memory a large upload took is given back.
max_requests = 1000
max_requests_jitter = 100
# The proxy in front may say which address the client had (see SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Its own lines are JSON like Tegoed's (tegoed.common.logs): one object a line on stderr.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tegoed.common.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
