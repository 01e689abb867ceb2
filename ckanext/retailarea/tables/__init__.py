"""Table schemas of the retail-area resources and the CSV validation core.

Pure Python on top of frictionless: no CKAN imports, so the background job and the DataStore
loader that use it stay thin. ``schemas`` finds a table schema, ``validate`` checks an uploaded
CSV against it and ``datastore`` turns it into DataStore fields and records.
"""
