"""`ckan retailarea ...` commands."""
from __future__ import annotations

import time

import ckan.model as model
import ckan.plugins.toolkit as tk
import click

from ckanext.retailarea.access import log as access_log
from ckanext.retailarea.demo import loader
from ckanext.retailarea.live.cli import retention, spdp
from ckanext.retailarea.model import extras
from ckanext.retailarea.tables import requeue

__all__ = ["retailarea"]


@click.group(short_help="ckanext-retailarea commands")
def retailarea() -> None:
    """Commands of the retail-area platform."""


retailarea.add_command(spdp)
retailarea.add_command(retention)


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
def db() -> None:
    """Database steps beyond the migrations."""


@db.command("indexes")
def db_indexes() -> None:
    """Make the indexes a migration could not make on an earlier CKAN (run after an
    upgrade from CKAN 2.11; a second run changes nothing)."""
    made = extras.ensure_index(model.Session.connection())
    model.Session.commit()
    click.echo(f"index {extras.INDEX}: {'made' if made else 'present or not needed'}")


@retailarea.group()
def tables() -> None:
    """Uploaded tables' checks."""


@tables.command("requeue")
def tables_requeue() -> None:
    """Queue again the checks an earlier version queued that can no longer run (run after
    an upgrade; a check that can still run is left alone)."""
    count = requeue.requeue()
    click.echo(f"Queued the check of {count} {'table' if count == 1 else 'tables'} again")


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


@retailarea.group()
def dcat() -> None:
    """DCAT-AP-NL export."""


@dcat.command("validate")
@click.option("--dataset", "dataset_id", default=None, help="Only this dataset (id or name).")
@click.option("--warnings/--no-warnings", default=False, help="Also list SHACL warnings.")
def dcat_validate(dataset_id: str | None, warnings: bool) -> None:
    """Check datasets' DCAT against the DCAT-AP 3.0.1 and DCAT-AP-NL 3.0 shapes."""
    import ckan.model as model

    from ckanext.retailarea.dcat import check, conformance

    ids = [dataset_id] if dataset_id else list(check.dataset_ids())
    failing = 0
    for number, current in enumerate(ids, start=1):
        try:
            dataset, report = check.dataset_report(current)
        except tk.ObjectNotFound:
            raise click.ClickException(f"dataset {current} not found") from None
        problems = check.stored_value_problems(dataset)
        conformance.keep(dataset, report, problems)
        model.Session.commit()
        ok = report.conforms and not problems
        status = "ok" if ok else f"{len(report.violations) + len(problems)} problem(s)"
        click.echo(f"[{number}/{len(ids)}] {dataset['name']}: {status}")
        findings = problems + report.violations + (report.warnings if warnings else [])
        for finding in findings:
            click.echo(f"    {finding}")
        failing += not ok
    click.echo(f"{len(ids) - failing} of {len(ids)} datasets conform")
    if failing:
        raise SystemExit(1)


@dcat.command("dump")
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "jsonld", "xml"]), default="ttl")
@click.option("--output", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: standard output).")
def dcat_dump(fmt: str, output) -> None:
    """Stream the whole catalog from the triples kept at save time."""
    from ckanext.retailarea.dcat import store

    started = time.monotonic()
    total = store.count()
    for chunk in store.stream(fmt):
        output.write(chunk)
    elapsed = time.monotonic() - started
    click.echo(f"{total} datasets in {elapsed:.1f} s", err=True)


@dcat.command("rebuild")
def dcat_rebuild() -> None:
    """Recompute the kept triples of every dataset."""
    from ckanext.retailarea.dcat import store

    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        rate = done / max(time.monotonic() - started, 0.001)
        click.echo(f"  {done}/{total} datasets ({rate:.0f}/s)", err=True)

    total = store.rebuild(progress)
    click.echo(f"Rebuilt the DCAT of {total} datasets")
