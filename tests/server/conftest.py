"""Live-server fixtures (see tests/helpers/live_fixtures.py)."""

from tests.helpers.live_fixtures import *  # noqa: F403
