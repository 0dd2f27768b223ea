"""Factories for the tests: the one place that knows how to make test records."""

from __future__ import annotations

import datetime as dt

import factory

from tracker.models import AtrophyKind, PatientProfile, Role, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    role = Role.PATIENT
    password = factory.django.Password(PASSWORD)


class PhysiotherapistFactory(UserFactory):
    username = factory.Sequence(lambda n: f"physio{n}")
    role = Role.PHYSIOTHERAPIST


class AdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    role = Role.ADMIN
    is_superuser = True


class PatientProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.PATIENT)
    date_of_birth = dt.date(1970, 5, 1)
    atrophy_kind = AtrophyKind.DISUSE

    @factory.post_generation
    def care_team(self, create: bool, physios: list[User] | None, **kwargs) -> None:
        if create and physios:
            self.care_team.add(*physios)


def make_patient(*, care_team: list[User] | None = None, **profile_fields) -> User:
    """A patient with a profile, on the given care team."""
    profile = PatientProfileFactory(care_team=care_team or [], **profile_fields)
    return profile.user
