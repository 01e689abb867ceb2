"""Table schemas of the retail-area resources and the CSV validation core.

Pure Python on top of frictionless: no CKAN imports, so the background job and the DataStore
loader that use it stay thin. ``schemas`` finds a table schema, ``validate`` checks an uploaded
CSV against it and ``datastore`` turns it into DataStore fields and records.

The CKAN side of the capability lives here too: ``hooks`` and ``pipeline`` validate an
uploaded table and load it into the DataStore as a background job, ``interfaces``
declares ``IRetailAreaTables`` for plugins that act on a loaded table, ``actions``/``auth``
are ``retailarea_table_report_show`` and ``retailarea_table_validate``.
"""
