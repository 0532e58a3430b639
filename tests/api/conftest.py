import pytest
from django.contrib.contenttypes.models import ContentType

from regie.accounts.models import Assignment
from regie.accounts.roles import Role
from regie.subjects.models import Person


@pytest.fixture
def coordinator(orgs, make_user):
    return make_user(role=Role.COORDINATOR, org=orgs["a"], username="coordinator-a")


@pytest.fixture
def person(orgs):
    return Person.unscoped.create(owner=orgs["a"], surname="Jansen", first_names="Jan")


def assign(user, obj):
    Assignment.objects.create(user=user, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
