"""The log form's tiles and tick boxes drawn by one template a field, reading exactly as the
per-option templates (tile_option.html; Django's input_option.html and the rest) drew them."""

from __future__ import annotations

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.test.signals import template_rendered
from django.utils import timezone

from tests.factories import log_form, make_active_plan
from tracker.forms import SessionLogForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(patient):
    return make_active_plan(patient)


def blank(plan) -> SessionLogForm:
    return SessionLogForm(plan=plan, today=timezone.localdate())


def refused(plan) -> SessionLogForm:
    """Effort and the pains chosen, a symptom ticked, one tick box that is no choice, and
    a danger sign ticked beside "none of these": errors at the tick boxes."""
    data = log_form(effort="13", pain_before="3", pain_after="10")
    data.update(symptoms=["balance", "not-a-symptom"], danger_signs=["vision"])
    form = SessionLogForm(data, plan=plan, today=timezone.localdate())
    assert not form.is_valid()
    assert {"symptoms", "danger_signs"} <= set(form.errors)
    return form


# tiles.html as it was: tile_option.html (and Django's attrs.html) included for each option.
PER_OPTION_TILES = (
    '<div class="tiles"{% if widget.attrs.id %} id="{{ widget.attrs.id }}"{% endif %}>'
    "{% for group, options, index in widget.optgroups %}{% for option in options %}"
    "{% include option.template_name with widget=option %}{% endfor %}{% endfor %}</div>"
)


def per_option_tiles(field) -> str:
    """The scale as the per-option templates draw it, from the context Django gives the
    widget when it draws the field (BoundField.as_widget)."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)
    return engines["django"].from_string(PER_OPTION_TILES).render(context).strip()


@pytest.mark.parametrize("make", [blank, refused])
@pytest.mark.parametrize("name", ["effort", "pain_before", "pain_after"])
def test_tiles_read_as_one_tile_option_per_option(plan, make, name):
    field = make(plan)[name]

    assert str(field) == per_option_tiles(field)


def test_a_chosen_tile_stays_checked(plan):
    field = refused(plan)["effort"]

    assert 'value="13" required id="id_effort_7" checked>' in str(field)


@pytest.mark.parametrize("make", [blank, refused])
@pytest.mark.parametrize("name", ["symptoms", "danger_signs"])
def test_tick_boxes_read_as_djangos_widget(plan, make, name):
    field = make(plan)[name]

    assert render_to_string("tracker/widgets/checkboxes.html", {"field": field}) == str(field)


def test_a_ticked_box_stays_ticked_and_refused_boxes_say_so(plan):
    field = refused(plan)["symptoms"]

    drawn = render_to_string("tracker/widgets/checkboxes.html", {"field": field})

    assert 'value="balance" aria-invalid="true" id="id_symptoms_0" checked>' in drawn


def test_the_log_form_draws_no_template_for_each_option(patient_client, plan):
    drawn = []

    def seen(sender, template, **kwargs):
        drawn.append(template.name)

    template_rendered.connect(seen)
    try:
        response = patient_client.get("/log/")
    finally:
        template_rendered.disconnect(seen)

    assert response.status_code == 200
    assert response.text.count('class="tile"') == 15 + 11 + 11
    each_option = ("tile_option.html", "checkbox_option.html", "input_option.html")
    assert [name for name in drawn if name and name.endswith(each_option)] == []
    assert drawn.count("tracker/widgets/tiles.html") == 3
    assert drawn.count("tracker/widgets/checkboxes.html") == 2
