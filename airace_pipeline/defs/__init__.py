"""Dagster definitions: resources, partitions, assets, checks and schedules, one module each."""
