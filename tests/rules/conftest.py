from __future__ import annotations

import pytest
from rulekit import Maker

from roster.check.schemas import SchemaSet


@pytest.fixture(scope="session")
def schemas() -> SchemaSet:
    return SchemaSet()


@pytest.fixture
def make(schemas: SchemaSet) -> Maker:
    return Maker(schemas)
