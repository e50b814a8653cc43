"""gxsite init: a new county's site that builds at once (content skeleton, CI files, READMEs)."""
