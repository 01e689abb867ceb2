"""`ckan retailarea ...` commands."""
from __future__ import annotations

import time

import ckan.plugins.toolkit as tk
import click

from ckanext.retailarea.access import log as access_log
from ckanext.retailarea.demo import loader

__all__ = ["retailarea"]


@click.group(short_help="ckanext-retailarea commands")
def retailarea() -> None:
    """Commands of the retail-area platform."""


@retailarea.command("sysadmin")
@click.argument("name")
@click.option("--email", required=True, help="Email address for a new user.")
@click.option("--password", required=True, help="Password for a new user.")
def sysadmin(name: str, email: str, password: str) -> None:
    """Make sure sysadmin NAME exists; an existing password is left alone."""
    try:
        created = loader.ensure_sysadmin(name, email, password)
    except tk.ValidationError as error:
        raise click.ClickException(f"cannot create user {name}: {error.error_summary}") from None
    click.echo(f"sysadmin {name} {'created' if created else 'exists'}")


@retailarea.group()
def demo() -> None:
    """The synthetic demo catalog."""


@demo.command("load")
@click.option("--user", default=None, help="Sysadmin to act as (default: config).")
def demo_load(user: str | None) -> None:
    """Create or update the demo catalog; a second run changes nothing."""
    started = time.monotonic()
    click.echo("Loading the demo catalog")
    try:
        counts = loader.load(user, report=click.echo)
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError) as error:
        raise click.ClickException(str(error)) from None
    total = sum(counts.values())
    elapsed = time.monotonic() - started
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    click.echo(f"Demo catalog: {total} entities ({summary}) in {elapsed:.1f} s")


@retailarea.group()
def access() -> None:
    """Access requests, grants and the access log."""


@access.command("purge-log")
@click.option("--days", type=int, default=None,
              help="Keep this many days (default: ckanext.retailarea.access.log_retention_days).")
def purge_log(days: int | None) -> None:
    """Delete access-log entries older than the retention period."""
    removed = access_log.purge(days)
    click.echo(f"Removed {removed} access-log entries")
