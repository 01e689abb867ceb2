"""gunicorn settings for production-like runs (RETAILAREA_SERVER=gunicorn make run)."""
import os

workers = int(os.environ.get("RETAILAREA_WEB_WORKERS", "4"))
worker_class = "sync"
timeout = 120
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
preload_app = False
