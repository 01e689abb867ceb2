"""Insights of a retail area: footfall, shops, parking, events and freshness combined."""
