"""``ckan retailarea spdp poll`` (the SPDP sources that are due) and ``ckan retailarea
retention apply`` (retention periods enforced)."""
from __future__ import annotations

import json
import time

import ckan.plugins.toolkit as tk
import click

from ckanext.retailarea.live import poll as live_poll
from ckanext.retailarea.live import retention as live_retention


@click.group()
def spdp() -> None:
    """SPDP 2.0 parking: occupancy polling."""


@spdp.command("poll")
@click.option("--every", type=int, default=0,
              help="Keep polling, checking every this many seconds which sources are "
                   "due (0: poll once and stop).")
def poll(every: int) -> None:
    """Poll each SPDP source whose poll_minutes have passed; one JSON line per cycle."""
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    while True:
        for cycle in live_poll.poll_due(user):
            click.echo(json.dumps(cycle.as_dict(), sort_keys=True))
        if every <= 0:
            return
        time.sleep(every)


@click.group()
def retention() -> None:
    """Retention periods of datasets, enforced on their DataStore time series."""


@retention.command("apply")
@click.option("--every", type=int, default=0,
              help="Keep applying, every this many seconds (0: once and stop).")
def retention_apply(every: int) -> None:
    """Delete rows older than their dataset's retention_period; one JSON line per table."""
    while True:
        for entry in live_retention.apply():
            click.echo(json.dumps(entry, sort_keys=True))
        if every <= 0:
            return
        time.sleep(every)
