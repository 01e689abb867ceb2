# The two commands of the README, and a few helpers. All real work is in bin/stack.
.PHONY: run deploy test fuzz bench stop status services venv lint translations assets upgrade-fixture cluster cluster-stop cluster-drills

run:            ## the catalog with demo data at http://127.0.0.1:5000
	@bin/stack run

deploy:         ## the Procfile under honcho: gunicorn, harvest consumers, worker, scheduler
	@bin/stack deploy

test:           ## the whole suite against real PostgreSQL, Redis and Solr
	@bin/stack test $(PYTEST_ARGS)

fuzz:           ## the long fuzz run of tests/fuzz (a bounded one is part of make test)
	@bin/stack fuzz $(PYTEST_ARGS)

bench:          ## the benchmarks of bench/ (quick; BENCH_FULL=1 for full sizes)
	@bin/stack bench $(BENCH_ARGS)

stop:           ## stop everything `make run` or `make test` started
	@bin/stack stop

status:
	@bin/stack status

services:
	@bin/stack services

venv:
	@bin/stack venv

lint:           ## ruff and the type checker, as make test runs them
	@.venv/bin/ruff check ckanext tests bin
	@.venv/bin/basedpyright --project pyrightconfig.json

translations:   ## extract, update and compile the nl/en catalogs
	@.venv/bin/pybabel extract -F babel.cfg -k _ --no-location --sort-output -o ckanext/retailarea/i18n/ckanext-retailarea.pot ckanext
	@for l in nl en; do .venv/bin/pybabel update --no-fuzzy-matching -D ckanext-retailarea -i ckanext/retailarea/i18n/ckanext-retailarea.pot -d ckanext/retailarea/i18n -l $$l; done
	@.venv/bin/pybabel compile -D ckanext-retailarea -d ckanext/retailarea/i18n

cluster:        ## SolrCloud (3 nodes), PostgreSQL primary + replica, 2 web behind HAProxy (docs/operations.md)
	@bin/cluster start

cluster-stop:   ## stop everything `make cluster` started (by PID)
	@bin/cluster stop

cluster-drills: ## start the cluster, run the drills of tests/cluster (at most 8 minutes), stop it
	@bin/cluster drills $(PYTEST_ARGS)

assets:         ## refresh the vendored JS libraries from npm (package-lock.json)
	@bin/assets.sh

upgrade-fixture: ## remake tests/upgrade/fixtures (a small site dumped on CKAN 2.11)
	@bin/upgrade-fixture
