"""What one build keeps for the next: the per-file memo and the unchanged-build stamp."""
