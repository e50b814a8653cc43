"""Reading a content tree into one checked Library. Knows nothing of the site."""
