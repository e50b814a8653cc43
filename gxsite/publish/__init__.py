"""Putting a built site on a web server: releases behind an atomically switched symlink, rollback."""
