"""Bottom layer: reading files, URLs, pages as data, findings, workers, atomic writes."""
