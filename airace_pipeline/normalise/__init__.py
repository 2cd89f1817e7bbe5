"""From extracted mentions to the normalised tables: money, organisations, one row per real event."""
