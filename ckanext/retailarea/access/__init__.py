"""Access levels and purpose-bound access requests, enforced on every path.

A restricted dataset's metadata is public; its data (resource URLs, uploaded files,
DataStore rows, previews and views) is reachable only by sysadmins, members of the
publishing organization and users with an active grant, and every access by a grant
holder is logged. Non-public datasets are CKAN-private (see metadata/rules.py)."""
