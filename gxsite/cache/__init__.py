"""What one build keeps for the next: the per-file memo, and the record of what each output file was made from."""
