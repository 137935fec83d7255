"""The 3D dialogue: staff upload checked models, residents pin comments with their camera view and reply;
closed phases, bans, pre-moderation, rate limits and hostile input are refused and keep nothing; every
pin is listed as text with where it points."""

from __future__ import annotations

import math

import pytest

from gorod.accounts.models import User
from gorod.consultations import contributions, moderation
from gorod.consultations.contributions import Flag
from gorod.consultations.errors import Refused
from gorod.consultations.model_3d import services
from gorod.consultations.model_3d.models import ModelPin, ModelReply, SceneModel
from gorod.consultations.model_3d.services import model_upload, pin_add, reply_add
from gorod.consultations.models import Participation
from gorod.consultations.services import module_add
from gorod.demo.consultations.model_3d_scene import before_and_after
from tests.consultations.model_3d_helpers import triangle_glb
from tests.query_counts import assert_pinned, get, growing

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


BEFORE, AFTER = before_and_after(30.26, 59.985)
# The demo tower's east wall (x = 40), upper part, seen from the east.
EAST_UPPER = {
    "position": "40 40 20",
    "normal": "1 0 0",
    "orbit": f"{math.pi / 2} 1.1 150",
    "target": "27 20 20",
    "fov": "30",
}


@pytest.fixture
def make_module(make_project, admin_user):
    def make(state="open", **project_fields):
        phase = make_project(state=state, **project_fields).phase_list()[0]
        module = module_add(phase=phase, kind="model_3d", title="The block in 3D")
        model_upload(module=module, variant="before", data=BEFORE, actor=admin_user)
        model_upload(module=module, variant="after", data=AFTER, actor=admin_user)
        return module

    return make


@pytest.fixture
def module(make_module):
    return make_module(slug="tower")


@pytest.fixture
def neighbour(db):
    return User.objects.create_user(username="boris", password="x-pass-12345", role=User.Role.CITIZEN)


def url(module, rest=""):
    return f"/projects/{module.phase.project.slug}/model/{module.pk}/{rest}"


# --- models --------------------------------------------------------------------------------------
def test_upload_stores_the_file_under_a_random_name(module):
    scene = SceneModel.objects.get(module=module, variant="after")
    assert scene.name.endswith(".glb") and len(scene.name) == 36
    assert services.model_path(scene.name).read_bytes() == AFTER
    assert scene.summary["max"][1] == pytest.approx(48)


def test_a_new_upload_replaces_the_old_file(module, admin_user, django_capture_on_commit_callbacks):
    old = SceneModel.objects.get(module=module, variant="before").name
    with django_capture_on_commit_callbacks(execute=True):
        model_upload(module=module, variant="before", data=AFTER, actor=admin_user)
    assert SceneModel.objects.filter(module=module).count() == 2
    assert not services.model_path(old).exists()


@pytest.mark.parametrize(
    ("variant", "data", "message"),
    [
        ("before", b"", "Choose a GLB file"),
        ("sideways", BEFORE, "before or after"),
        ("before", b"x" * (services.MAX_MODEL_BYTES + 1), "larger than 20 MB"),
        ("before", b"glTF garbage", "not a model we can show"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_kept(
    make_project, admin_user, settings, variant, data, message
):
    phase = make_project(slug="empty").phase_list()[0]
    module = module_add(phase=phase, kind="model_3d", title="3D")
    with pytest.raises(Refused, match=message):
        model_upload(module=module, variant=variant, data=data, actor=admin_user)
    assert not SceneModel.objects.exists()
    folder = services.model_path("x").parent
    assert not folder.exists() or not any(folder.iterdir())


def test_only_city_administrators_upload(module, citizen):
    with pytest.raises(Refused, match="administrators"):
        model_upload(module=module, variant="before", data=triangle_glb(), actor=citizen)


# --- pins and replies ------------------------------------------------------------------------------
def test_pin_keeps_the_point_and_the_camera_and_reply(module, citizen, neighbour):
    pin = pin_add(
        module=module, user=citizen, variant="after", text=" Too tall for the block. ", **EAST_UPPER
    )
    assert (pin.x, pin.y, pin.z) == (40, 40, 20) and pin.text == "Too tall for the block."
    assert pin.orbit_theta == pytest.approx(math.pi / 2) and pin.field_of_view == 30
    reply_add(pin=pin, user=neighbour, text="Agreed, the school yard loses its sun.")
    assert ModelReply.objects.filter(pin=pin).count() == 1
    assert Participation.objects.filter(project=module.phase.project).count() == 2


BAD_VIEWS = {
    "no point chosen": {"position": ""},
    "two numbers": {"position": "1 2"},
    "not numbers": {"position": "a b c"},
    "NaN": {"position": "nan 1 1"},
    "infinite": {"position": "inf 1 1"},
    "off the model": {"position": "500 1 1"},
    "zero normal": {"normal": "0 0 0"},
    "polar angle past the pole": {"orbit": "0 4 100"},
    "camera at the centre": {"orbit": "0 1 0"},
    "camera far away": {"orbit": "0 1 1e9"},
    "target far away": {"target": "1e6 0 0"},
    "field of view": {"fov": "500"},
}


@pytest.mark.parametrize("name", list(BAD_VIEWS))
def test_bad_points_and_views_are_refused_and_nothing_is_saved(module, citizen, name):
    view = {**EAST_UPPER, **BAD_VIEWS[name]}
    with pytest.raises(Refused) as exc:
        pin_add(module=module, user=citizen, variant="after", text="A comment here.", **view)
    assert exc.value.field == "position"
    assert not ModelPin.objects.exists() and not Participation.objects.exists()


@pytest.mark.parametrize(
    ("text", "variant"), [("", "after"), ("ab", "after"), ("x" * 1001, "after"), ("Fine text", "x")]
)
def test_bad_text_or_variant_is_refused(module, citizen, text, variant):
    with pytest.raises(Refused):
        pin_add(module=module, user=citizen, variant=variant, text=text, **EAST_UPPER)
    assert not ModelPin.objects.exists()


def test_a_variant_without_its_model_is_refused(make_project, citizen):
    phase = make_project(slug="bare").phase_list()[0]
    bare = module_add(phase=phase, kind="model_3d", title="3D")
    with pytest.raises(Refused, match="before or after"):
        pin_add(module=bare, user=citizen, variant="after", text="Where is it?", **EAST_UPPER)


@pytest.mark.parametrize("state", ["closed", "upcoming"])
def test_a_phase_not_open_refuses_pins_and_replies(make_module, citizen, state):
    module = make_module(state=state, slug=f"tower-{state}")
    with pytest.raises(Refused, match="phase"):
        pin_add(module=module, user=citizen, variant="after", text="Too tall.", **EAST_UPPER)
    assert not ModelPin.objects.exists()


def test_a_closed_phase_keeps_its_pins_but_refuses_replies(module, citizen, neighbour, frozen_spring):
    from gorod.core import clock

    pin = pin_add(module=module, user=citizen, variant="after", text="Too tall.", **EAST_UPPER)
    with clock.frozen(module.phase.ends), pytest.raises(Refused, match="closed"):
        reply_add(pin=pin, user=neighbour, text="I agree with this.")
    assert not ModelReply.objects.exists()


def test_a_barred_account_is_refused(module, citizen, admin_user):
    moderation.ban_add(
        municipality=module.phase.project.municipality,
        user=citizen,
        reason="Insults",
        until=None,
        actor=admin_user,
    )
    with pytest.raises(Refused, match="barred"):
        pin_add(module=module, user=citizen, variant="after", text="Too tall.", **EAST_UPPER)
    assert not ModelPin.objects.exists()


def test_signing_in_is_needed(module):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Refused, match="Sign in"):
        pin_add(module=module, user=AnonymousUser(), variant="after", text="Too tall.", **EAST_UPPER)


def test_premoderated_pins_wait_and_cannot_be_answered(make_module, citizen, neighbour):
    module = make_module(slug="held", premoderated=True)
    pin = pin_add(module=module, user=citizen, variant="after", text="Too tall.", **EAST_UPPER)
    assert pin.awaiting
    with pytest.raises(Refused, match="awaits a moderator"):
        reply_add(pin=pin, user=neighbour, text="I agree with this.")
    assert [d.item for d in moderation.awaiting(module.phase.project.municipality_id)] == [pin]


def test_hidden_pins_refuse_replies_and_show_their_reason(module, citizen, neighbour, admin_user):
    pin = pin_add(module=module, user=citizen, variant="after", text="Too tall.", **EAST_UPPER)
    contributions.hide(item=pin, reason="Off topic", actor=admin_user)
    with pytest.raises(Refused, match="hidden"):
        reply_add(pin=pin, user=neighbour, text="I agree with this.")


# --- where a pin points, in words ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("variant", "position", "where"),
    [
        ("after", "40 40 20", "on the proposed building, east side, upper part"),
        ("after", "14 3 30", "on the proposed building, west side, lower part"),
        ("after", "30 48 30", "on the roof of the proposed building"),
        ("after", "10 12 29", "on an existing building, east side, middle part"),
        ("after", "0 0 55", "on the ground, south part of the scene"),
        ("before", "27 0 22", "on the ground, east part of the scene"),
        ("before", "20 9 0", "on the roof of an existing building"),
    ],
)
def test_each_pin_is_described_in_words(client, module, citizen, variant, position, where):
    pin_add(
        module=module,
        user=citizen,
        variant=variant,
        text="Look here please.",
        **{**EAST_UPPER, "position": position},
    )
    page = client.get(url(module)).content.decode()
    assert where in page


def test_the_words_are_russian_in_russian(client, module, citizen):
    from django.utils import translation

    pin_add(module=module, user=citizen, variant="after", text="Слишком высоко.", **EAST_UPPER)
    with translation.override("ru"):
        page = client.get(url(module), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Комментарий 1" in page
    # Numbers the viewer reads stay in dot notation whatever the language (not "40,0m").
    assert 'data-position="40.0m 40.0m 20.0m"' in page
    assert "на предлагаемом здании, восточная сторона, верхняя часть" in page


# --- pages ---------------------------------------------------------------------------------------
def test_the_page_lists_pins_with_replies_and_forms(client, module, citizen, neighbour):
    pin = pin_add(module=module, user=citizen, variant="after", text="Too <b>tall</b>.", **EAST_UPPER)
    reply_add(pin=pin, user=neighbour, text="I agree with this.")
    client.force_login(neighbour)
    page = client.get(url(module)).content.decode()
    assert "Too &lt;b&gt;tall&lt;/b&gt;." in page
    assert "I agree with this." in page
    assert f'action="{url(module, f"{pin.pk}/reply/")}"' in page
    assert 'slot="hotspot-' in page and "vendor/model-viewer/model-viewer.min.js" in page


def test_pin_and_reply_through_the_forms(client, module, citizen):
    client.force_login(citizen)
    response = client.post(url(module, "pin/"), {"variant": "after", "text": "Too tall here.", **EAST_UPPER})
    assert response.status_code == 302 and response["Location"].endswith("#pins")
    pin = ModelPin.objects.get()
    response = client.post(url(module, f"{pin.pk}/reply/"), {"text": "And again."})
    assert response["Location"].endswith(f"#model_pin-{pin.pk}")
    assert ModelReply.objects.filter(pin=pin).count() == 1


def test_a_form_without_a_point_says_so(client, module, citizen):
    client.force_login(citizen)
    response = client.post(url(module, "pin/"), {"variant": "after", "text": "Too tall here."}, follow=True)
    assert "Choose a point on the model first." in response.content.decode()
    assert not ModelPin.objects.exists()


def test_reply_to_a_pin_of_another_module_is_404(client, module, make_module, citizen):
    other = make_module(slug="other")
    pin = pin_add(module=other, user=citizen, variant="after", text="Too tall.", **EAST_UPPER)
    client.force_login(citizen)
    assert client.post(url(module, f"{pin.pk}/reply/"), {"text": "Hello there"}).status_code == 404


def test_pins_are_limited_like_other_contributions(client, module, citizen, write_limits):
    from django.core.cache import cache

    cache.clear()
    client.force_login(citizen)
    statuses = [
        client.post(
            url(module, "pin/"), {"variant": "after", "text": f"Comment {i} here", **EAST_UPPER}
        ).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
    assert ModelPin.objects.count() == 10
    cache.clear()


def test_flag_and_hide_through_the_shared_views(client, module, citizen, neighbour, admin_user):
    pin = pin_add(module=module, user=citizen, variant="after", text="Too tall.", **EAST_UPPER)
    reply = reply_add(pin=pin, user=citizen, text="Rude words here.")
    client.force_login(neighbour)
    client.post(f"/projects/tower/m/{module.pk}/flag/model_reply/{reply.pk}/", {"reason": "rude"})
    assert Flag.objects.filter(target="model_reply", target_id=reply.pk).exists()
    desk = moderation.flagged(module.phase.project.municipality_id)
    assert [(d.target, d.item.pk) for d in desk] == [("model_reply", reply.pk)]
    client.force_login(admin_user)
    client.post(f"/projects/tower/m/{module.pk}/moderate/model_pin/{pin.pk}/", {"reason": "Off topic"})
    pin.refresh_from_db()
    assert pin.hidden and pin.hidden_reason == "Off topic"
    page = client.get(url(module)).content.decode()
    assert "Off topic" in page and "Too tall." not in page


def test_the_model_file_is_served_only_with_its_project(client, module, admin_user):
    response = client.get(url(module, "after.glb"))
    assert response.status_code == 200 and response["Content-Type"] == "model/gltf-binary"
    assert b"".join(response.streaming_content) == AFTER
    assert client.get(url(module, "sideways.glb")).status_code == 404
    project = module.phase.project
    project.published = False
    project.save()
    assert client.get(url(module, "after.glb")).status_code == 404
    client.force_login(admin_user)
    assert client.get(url(module, "after.glb")).status_code == 200


def test_the_page_is_pinned(client, module, neighbour):
    counter = iter(range(10_000))

    def add(k: int) -> None:
        for _ in range(k):
            author = User.objects.create_user(username=f"p{next(counter)}", role=User.Role.CITIZEN)
            pin = pin_add(module=module, user=author, variant="after", text="Too tall here.", **EAST_UPPER)
            reply_add(pin=pin, user=author, text="And a reply.")

    client.force_login(neighbour)
    # session, user, city, module, the models, pins, replies; the comment permission's ban look-up.
    assert_pinned(8, growing(add, get(client, url(module))))


# --- the staff page --------------------------------------------------------------------------------
def test_staff_upload_page(client, module, admin_user, citizen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(citizen)
    assert client.get(url(module, "staff/")).status_code == 403
    client.force_login(admin_user)
    assert "at most 20 MB" in client.get(url(module, "staff/")).content.decode()
    bad = SimpleUploadedFile("evil.glb", triangle_glb(lambda d: d["buffers"][0].update(uri="http://x/")))
    response = client.post(url(module, "staff/"), {"variant": "before", "file": bad})
    assert response.status_code == 400
    assert "refers to files outside itself" in response.content.decode()
    good = SimpleUploadedFile("tri.glb", triangle_glb(), content_type="model/gltf-binary")
    response = client.post(url(module, "staff/"), {"variant": "before", "file": good})
    assert response.status_code == 302
    assert SceneModel.objects.get(module=module, variant="before").summary["nodes"][0]["name"] == "tower"


def test_the_demo_seeder_adds_a_3d_project(city, admin_user, frozen_spring):
    import io

    from gorod.demo.consultations import model_3d as demo

    demo.seed(municipality=city, seed=1, anchor=frozen_spring.date(), stdout=io.StringIO())
    module = SceneModel.objects.first().module
    assert module.phase.project.slug == demo.SLUG
    assert ModelPin.objects.filter(module=module).count() == len(demo.PINS)
    out = io.StringIO()
    demo.seed(municipality=city, seed=1, anchor=frozen_spring.date(), stdout=out)
    assert "already there" in out.getvalue()


def test_the_back_office_links_to_the_upload_page(client, module, admin_user):
    from tests.helpers import login_verified

    login_verified(client, admin_user)
    page = client.get(f"/backoffice/projects/{module.phase.project.slug}/").content.decode()
    assert f'href="{url(module, "staff/")}"' in page
