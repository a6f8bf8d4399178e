"""gunicorn's settings in production: `gunicorn -c gunicorn.conf.py wsgi:app` (docs/production.md).
Each can be changed through the environment variable named beside it."""
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")            # behind the reverse proxy, loopback only
workers = int(os.environ.get("WEB_WORKERS", "4"))           # about 2 per core
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = 60                  # a request that takes longer is killed (the heaviest pages take < 2 s)
graceful_timeout = 30         # on SIGTERM, requests in flight get this long; solve threads are marked interrupted
keepalive = 5
max_requests = 2000           # workers are replaced now and then, so a slow leak cannot grow
max_requests_jitter = 200
accesslog = None              # the app writes one JSON line per request (scheduler/logs.py)
errorlog = "-"
control_socket_disable = True   # no shared control socket in the home directory; signals are enough
