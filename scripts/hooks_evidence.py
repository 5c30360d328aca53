"""Room: the Evidence page (docs/evidence.md) and the experiments it reports (experiments/).

Owns: refusing to build on a missing or stale experiment result, and publishing each experiment's
script and figures (evidence.py); its placeholder, `{{ evidence ... }}`, is a line of the table in
placeholders.py.
Events: on_files.
"""

from __future__ import annotations

import evidence

on_files = evidence.add_files  # priority -200: after static-i18n, as hooks_catalog's data files
