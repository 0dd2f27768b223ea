"""People: the user account with its role, and a patient's clinical profile."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

HEIGHT_CM_MIN, HEIGHT_CM_MAX = 100, 230
WEIGHT_KG_MIN, WEIGHT_KG_MAX = Decimal(25), Decimal(300)

# A number someone can dial: digits with the usual spaces, dashes, brackets and a leading +.
phone_number = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{4,22}[0-9]$",
    "Enter a phone number of digits, such as 07700 900123 or +44 7700 900123.",
)


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    ADMIN = "admin", "Admin"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PATIENT)

    objects = UserManager()

    class Meta:
        indexes = [  # the admin's list of accounts, by name
            models.Index(fields=["last_name", "first_name", "id"], name="user_list_order")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN

    def save(self, *args, **kwargs) -> None:
        # Admins work in Django's admin; nobody else may.
        self.is_staff = self.role == Role.ADMIN or self.is_superuser
        super().save(*args, **kwargs)


class AtrophyKind(models.TextChoices):
    DISUSE = "disuse", "Disuse atrophy"
    NEUROGENIC = "neurogenic", "Neurogenic atrophy"
    UNKNOWN = "unknown", "Not yet known"


class AtrophyCause(models.TextChoices):
    IMMOBILISATION = "immobilisation", "Limb immobilised (cast, brace, injury)"
    BED_REST = "bed_rest", "Bed rest or long hospital stay"
    SEDENTARY = "sedentary", "Inactive lifestyle"
    AGEING = "ageing", "Ageing"
    JOINT_DISEASE = "joint_disease", "Joint disease (arthritis)"
    MALNUTRITION = "malnutrition", "Malnutrition"
    INFLAMMATORY_MYOPATHY = "inflammatory_myopathy", "Inflammatory muscle disease"
    MUSCULAR_DYSTROPHY = "muscular_dystrophy", "Muscular dystrophy"
    WEIGHTLESSNESS = "weightlessness", "Long weightlessness"
    GUILLAIN_BARRE = "guillain_barre", "Guillain-Barré syndrome"
    MULTIPLE_SCLEROSIS = "multiple_sclerosis", "Multiple sclerosis"
    ALS = "als", "Amyotrophic lateral sclerosis (ALS)"
    DIABETIC_NEUROPATHY = "diabetic_neuropathy", "Diabetic neuropathy"
    SPINAL_INJURY = "spinal_injury", "Neck or spinal cord injury"
    SPINAL_MUSCULAR_ATROPHY = "spinal_muscular_atrophy", "Spinal muscular atrophy"
    ALCOHOL_MYOPATHY = "alcohol_myopathy", "Alcohol-related myopathy"
    POLIO = "polio", "Poliomyelitis"
    OTHER = "other", "Other"


class BodyRegion(models.TextChoices):
    THIGH = "thigh", "Thigh"
    CALF = "calf", "Calf"
    WHOLE_LEG = "whole_leg", "Whole leg"
    UPPER_ARM = "upper_arm", "Upper arm"
    FOREARM = "forearm", "Forearm"
    WHOLE_BODY = "whole_body", "Whole body"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both sides"


class Sex(models.TextChoices):
    """The sex that the published norms of functional tests are split by."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"


class PatientProfile(models.Model):
    user = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        related_name="profile",
        limit_choices_to={"role": Role.PATIENT},
    )
    date_of_birth = models.DateField(null=True, blank=True)
    # What the functional tests' norms need (rules/norms.py): age comes from the date of birth.
    sex = models.CharField(
        "sex", max_length=10, choices=Sex.choices, blank=True, help_text="For the tests' norms."
    )
    height_cm = models.PositiveSmallIntegerField(
        "height (cm)",
        null=True,
        blank=True,
        validators=[MinValueValidator(HEIGHT_CM_MIN), MaxValueValidator(HEIGHT_CM_MAX)],
    )
    weight_kg = models.DecimalField(
        "weight (kg)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(WEIGHT_KG_MIN), MaxValueValidator(WEIGHT_KG_MAX)],
    )
    atrophy_kind = models.CharField(
        max_length=20, choices=AtrophyKind.choices, default=AtrophyKind.UNKNOWN
    )
    cause = models.CharField(max_length=40, choices=AtrophyCause.choices, blank=True)
    cause_detail = models.CharField(max_length=200, blank=True)
    affected_region = models.CharField(max_length=20, choices=BodyRegion.choices, blank=True)
    affected_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    mobility_lost_on = models.DateField(
        "mobility lost on",
        null=True,
        blank=True,
        help_text="When the limb was immobilised or use was lost.",
    )
    mobility_regained_on = models.DateField(
        "mobility regained on",
        null=True,
        blank=True,
        help_text="When the cast came off, or use returned.",
    )
    # Beta-blockers and similar medicines hold the heart rate down: heart-rate targets mean
    # little, so the app hides them and goes by effort (the clinical brief).
    heart_rate_blunted = models.BooleanField(
        "takes a medicine that slows the heart rate",
        default=False,
        help_text="Such as a beta-blocker. Heart-rate targets are then hidden; effort guides.",
    )
    other_treatments = models.TextField(
        blank=True, help_text="Medication, manipulation or surgery noted by the care team."
    )
    # Who to call back after a danger sign: shown with a call button beside the alert.
    phone = models.CharField("phone", max_length=24, blank=True, validators=[phone_number])
    emergency_contact_name = models.CharField("emergency contact", max_length=120, blank=True)
    emergency_contact_relationship = models.CharField(
        "relationship", max_length=60, blank=True, help_text="For example partner, daughter."
    )
    emergency_contact_phone = models.CharField(
        "emergency contact's phone", max_length=24, blank=True, validators=[phone_number]
    )
    care_team = models.ManyToManyField(
        User,
        related_name="caseload",
        blank=True,
        limit_choices_to={"role": Role.PHYSIOTHERAPIST},
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(atrophy_kind__in=AtrophyKind.values), name="profile_atrophy_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(mobility_regained_on__isnull=True)
                | Q(mobility_lost_on__isnull=True)
                | Q(mobility_regained_on__gte=models.F("mobility_lost_on")),
                name="profile_mobility_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=[*Sex.values, ""]), name="profile_sex_valid"
            ),
            models.CheckConstraint(
                condition=Q(height_cm__isnull=True)
                | Q(height_cm__gte=HEIGHT_CM_MIN) & Q(height_cm__lte=HEIGHT_CM_MAX),
                name="profile_height_range",
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True)
                | Q(weight_kg__gte=WEIGHT_KG_MIN) & Q(weight_kg__lte=WEIGHT_KG_MAX),
                name="profile_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def tel(self) -> str:
        return dial_string(self.phone)

    @property
    def emergency_contact_tel(self) -> str:
        return dial_string(self.emergency_contact_phone)

    @property
    def is_neurogenic(self) -> bool:
        return self.atrophy_kind == AtrophyKind.NEUROGENIC


def dial_string(number: str) -> str:
    """A phone number as a tel: link wants it: the digits and a leading +."""
    return ("+" if number.strip().startswith("+") else "") + "".join(
        c for c in number if c.isdigit()
    )
