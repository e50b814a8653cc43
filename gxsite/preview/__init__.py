"""gxsite serve: the editors' preview and its quick path."""
