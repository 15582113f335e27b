"""Shared fixtures for postern's integration tests.

Tests run the programs from the build directory (POSTERN_BUILD, default
./build) and never from system paths.
"""
import os
import pathlib

import pytest

TOP = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("POSTERN_BUILD", TOP / "build"))


@pytest.fixture
def build_dir():
    return BUILD


@pytest.fixture
def sbin():
    return BUILD / "sbin"
