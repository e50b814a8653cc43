"""The search index: tokenizer, the static index the site ships, whoosh, the terminal search."""
