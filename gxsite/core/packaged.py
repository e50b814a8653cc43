"""Where gxsite's own templates are, found in this one place: inside the installed package
(`gxsite/templates/`, where the wheel puts them) or, in a source checkout and an editable
install, in the repository's top-level `templates/` beside the package."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
# A folder, not importlib.resources: Jinja's loader and the asset copy need real files, and both
# a wheel and a checkout have them on disk.
TEMPLATES = _PACKAGE / "templates" if (_PACKAGE / "templates").is_dir() else _PACKAGE.parent / "templates"
