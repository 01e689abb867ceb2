"""Footfall and parking occupancy as time series, aggregated in the DataStore database."""
