"""Bad input never reaches an action or view as a 500: the request guard
(``request.py``) turns away bytes no action can use, each capability's
``schema.py`` declares its actions' input, and ``upstream.py`` works around
core bugs (see docs/upstream.md)."""
