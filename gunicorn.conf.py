"""gunicorn settings for `make run SERVER=gunicorn`, the documented alternative to granian (granian.env):
threads for slow phone uploads."""

import multiprocessing

worker_class = "gthread"
workers = max(2, multiprocessing.cpu_count())
threads = 4
timeout = 60
graceful_timeout = 20
accesslog = None  # the app writes the access log itself (server/log.py), without receipt codes
forwarded_allow_ips = "127.0.0.1"
