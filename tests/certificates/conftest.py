"""Sample certificates with generated pictures, made once per test session."""

from pathlib import Path

import pytest

from app.certificates.sample import sample_certificate


@pytest.fixture(scope="session")
def pictures(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("certificate-pictures")


@pytest.fixture
def lighting(pictures):
    return sample_certificate("lighting", pictures, photos=4, signatures=3)


@pytest.fixture
def accessibility(pictures):
    return sample_certificate("accessibility", pictures, photos=2, rectify=True)
