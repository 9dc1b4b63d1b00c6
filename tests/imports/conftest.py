import pytest

from tests import factories


@pytest.fixture
def refs(district, unit, other_unit, industry):
    """The district's reference data as the sheets name it."""
    park = factories.ParkFactory(code="jlp-xipeng", name="西彭园区", district=district)
    factories.UnitFactory(code="jlp-jlxc", name="九龙新城园区管委会", district=district)
    factories.IndustryFactory(code="ADV-MAT", name="先进材料", parent=industry.parent)
    return {"unit": unit, "other_unit": other_unit, "industry": industry, "park": park}


@pytest.fixture
def importer(district):
    return factories.manager_of(district, username="importer")
