"""Shared test configuration: Qt runs offscreen, every test gets its own HOMEVISIT_HOME."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
