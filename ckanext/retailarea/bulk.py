"""Bulk work on a queue of its own, coalesced and batched, so it never starves the
interactive jobs (a steward's CSV upload waits on the default queue for its own worker).

Work is named by a task (e.g. ``dcat-conformance``) and the ids it is for. Each task keeps
a Redis set of the ids waiting, so an id is pending at most once however often it is
scheduled; one job on the ``bulk`` queue takes them in batches, so a harvest of a thousand
datasets costs a few jobs (and worker forks), not a thousand. A job ends after
``PER_JOB`` ids and queues its successor when more wait; scheduling queues a job only
when none of the task's is waiting on the queue (one that already started takes what is
added after, or its successor does).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, cast

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.lib.redis import connect_to_redis

log = logging.getLogger(__name__)

QUEUE = "bulk"
PER_JOB = 500
TAKE = 50
TIMEOUT_SECONDS = 3600


def schedule(task: str, ids: Iterable[str], job: Callable[[], Any], title: str) -> None:
    """Have ``job`` (which calls :func:`take` with ``task``) run for ``ids``: added to the
    task's pending set, and a job on the bulk queue unless one of the task's waits."""
    ids = list(ids)
    if not ids:
        return
    connect_to_redis().sadd(_key(task), *ids)
    _ensure_job(task, job, title)


def take(task: str, count: int = TAKE) -> list[str]:
    """Up to ``count`` ids of ``task`` that wait, each handed out once."""
    # redis-py types every answer as maybe-awaitable; ours is the synchronous client
    taken = cast("list[bytes] | None", connect_to_redis().spop(_key(task), count))
    return [v.decode() for v in taken or []]


def pending(task: str) -> int:
    return cast(int, connect_to_redis().scard(_key(task)))


def drain(task: str, handle: Callable[[str], Any], job: Callable[[], Any],
          title: str) -> int:
    """The body of a task's job: ``handle`` each waiting id (a failure is logged and
    does not stop the others), at most ``PER_JOB``; then a successor job if ids still
    wait. Returns how many were handled."""
    done = 0
    while done < PER_JOB and (ids := take(task, min(TAKE, PER_JOB - done))):
        for item in ids:
            try:
                handle(item)
            except Exception:
                log.exception("bulk task %s failed for %s", task, item)
                model.Session.rollback()
        done += len(ids)
    if pending(task):
        _ensure_job(task, job, title)
    return done


def _ensure_job(task: str, job: Callable[[], Any], title: str) -> None:
    redis = connect_to_redis()
    marker = cast("bytes | None", redis.get(_key(task, "job")))
    if marker is not None and _waiting(marker.decode()):
        return
    queued = tk.enqueue_job(job, title=title, queue=QUEUE,
                            rq_kwargs={"timeout": TIMEOUT_SECONDS})
    redis.set(_key(task, "job"), queued.id)


def _waiting(job_id: str) -> bool:
    """Whether the job is still on the bulk queue, not started. Asks rq itself: this runs
    in the session's after_commit, where an action may not use the database (job_list's
    auth looks up the user: "This session is in 'committed' state")."""
    return job_id in jobs.get_queue(QUEUE).job_ids


def _key(task: str, part: str = "pending") -> str:
    return f"ckan:{tk.config['ckan.site_id']}:retailarea:{task}:{part}"
