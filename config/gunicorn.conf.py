"""gunicorn settings for production-like runs (RETAILAREA_SERVER=gunicorn make run)."""
import os

workers = int(os.environ.get("RETAILAREA_WEB_WORKERS", "4"))
worker_class = "sync"
timeout = 120
graceful_timeout = 30
# A worker is replaced after this many requests (guards against slow leaks). Loading
# CKAN takes a worker ~4 s of CPU: with 2,000 +- 200 all four workers were replaced
# within two seconds of each other under load (p95 of package_search went from 0.3 to
# 3.3 s in bench/load.py), so replacements are rare and spread widely.
max_requests = 20000
max_requests_jitter = 10000
accesslog = "-"
preload_app = False
