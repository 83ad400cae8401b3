"""Role × route × method: every URL of the project, for every role, in GET and in POST.

The routes come from the resolver (includes, namespaces, allauth and the admin included), so a
new page cannot be forgotten: a route without a line in `EXPECTED` fails the test, and so does a
line whose route no longer exists. Each request runs in a transaction rolled back afterwards, on
one shared demo-like world (`tests/route_fixtures.py`), so a POST never changes what the next
request sees.

An outcome is what the role meets, not how the view decides it (the permission names may change;
who may do what may not): "200" the page, "302" a redirect elsewhere than a login page, "login" a
redirect to a login page (allauth's or the admin's), "403" refused, "404" hidden (its existence is
not revealed), "405" wrong method (POST-only actions, GET-only pages); any other status by its
number ("410" gone, "500"…), an exception raised by the view as "exception …".

To declare a new route: add its arguments to `ARGS` (if it has any) and one line to `EXPECTED`,
usually `page(WHO)` (a page behind login: others 403, visitors go to log in) or `action(WHO)` (a
POST-only action: GET is 405). Lines marked "SUSPICIOUS" describe today's answer, which looks wrong.
"""

import fnmatch
import logging
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, resolve, reverse

from .route_fixtures import ROLES, admin_models, admin_object, content_type_pk, demo_world

# --- Roles ---------------------------------------------------------------------------------------

ANONYMOUS, PENDING, NO_ROLE = "anonymous", "pending", "no_role"
COORDINATOR, OTHER_COORDINATOR = "coordinator", "other_coordinator"
STAFF, SUPERUSER = "staff", "superuser"
DD93, CRPV95, ARS = "partner_dd93", "partner_crpv95", "partner_ars"

COORDINATORS = frozenset({COORDINATOR, OTHER_COORDINATOR})
PARTNERS = frozenset({DD93, CRPV95, ARS})
TEAM = frozenset({STAFF, SUPERUSER})
MEMBERS = COORDINATORS | PARTNERS | TEAM
LOGGED_IN = frozenset(ROLES) - {ANONYMOUS}
PUBLISHERS = frozenset({DD93, CRPV95})  # partners who publish departmental offers and events

# --- Outcomes ------------------------------------------------------------------------------------

OK, REDIRECT, LOGIN = "200", "302", "login"
FORBIDDEN, HIDDEN, NOT_ALLOWED = "403", "404", "405"
METHODS = ("GET", "POST")


class Expect:
    """What each role meets on a route: {role: (GET outcome, POST outcome)}."""

    def __init__(self, outcomes):
        assert set(outcomes) == set(ROLES), sorted(set(ROLES) ^ set(outcomes))
        self.outcomes = outcomes

    def but(self, roles, get=None, post=None):
        """The same, except for `roles` (a role or a set of roles)."""
        roles = {roles} if isinstance(roles, str) else set(roles)
        changed = dict(self.outcomes)
        for role in roles:
            old_get, old_post = changed[role]
            changed[role] = (get or old_get, post or old_post)
        return Expect(changed)


def public(get=OK, post=OK):
    """The same for everyone, visitors included."""
    return Expect(dict.fromkeys(ROLES, (get, post)))


def page(allowed, *, get=OK, post=OK, refused=FORBIDDEN):
    """Behind login: `allowed` get the page, other accounts `refused`, visitors go to log in.
    A POST to a form page with nothing in it shows the form again (200)."""

    def answer(role):
        if role == ANONYMOUS:
            return LOGIN, LOGIN
        return (get, post) if role in allowed else (refused, refused)

    return Expect({role: answer(role) for role in ROLES})


def action(allowed, *, done=REDIRECT, refused=FORBIDDEN):
    """A POST-only action: GET is 405 for every account; `allowed` are sent back after it."""
    return page(allowed, get=NOT_ALLOWED, post=done, refused=refused).but(
        LOGGED_IN - set(allowed), get=NOT_ALLOWED
    )


def account(get=OK, post=OK):
    """allauth's pages of one's own account: every account, whatever its role."""
    return page(LOGGED_IN, get=get, post=post)


def admin_page(get=OK, post=OK):
    """The Django admin: the superuser only; every other account is sent to log in again."""
    return page({SUPERUSER}, get=get, post=post, refused=LOGIN)


# --- Expectations --------------------------------------------------------------------------------
# An exact URL name wins over a pattern; between patterns (fnmatch), the longest wins. Unnamed
# routes are named by their namespace and full pattern ("admin:/admin/…").

EXPECTED = {
    # Public pages, and the links of e-mails whose token is the credential.
    "home": public(),
    "favicon": public(get=REDIRECT, post=REDIRECT),
    "legal_notice": public(),
    "accessibility": public(),
    "privacy": public(),
    "account_pending": public(),
    "invitation_accept": public(),  # an open invitation
    "guest_register": public(),  # a guest's personal link
    "guest_event_ics": public(get=HIDDEN, post=NOT_ALLOWED),  # only once a seat is confirmed
    "calendar_feed": public(),  # a personal calendar feed
    "unsubscribe": public(),
    # allauth: the entrance, then every account's own pages.
    "account_login": public().but(LOGGED_IN, REDIRECT, REDIRECT),
    "account_signup": public().but(LOGGED_IN, REDIRECT, REDIRECT),
    "account_logout": public(post=REDIRECT).but(ANONYMOUS, get=REDIRECT),
    "account_inactive": public(post=NOT_ALLOWED),
    "account_email_verification_sent": public(post=NOT_ALLOWED),
    "account_confirm_email": public(post=LOGIN),  # confirmed, then log in
    "account_reset_password": public(),  # also for a logged-in person who forgot it
    "account_reset_password_done": public(post=NOT_ALLOWED),
    "account_reset_password_from_key": public(),
    "account_reset_password_from_key_done": public(post=NOT_ALLOWED),
    "account_reauthenticate": account(),
    "account_email": account(post=REDIRECT),
    "account_change_password": account(),
    "account_set_password": account(REDIRECT, REDIRECT),  # they have one: change it instead
    "account_confirm_login_code": account(REDIRECT, REDIRECT),  # no code was asked for
    "mfa_index": account(post=NOT_ALLOWED),
    "mfa_authenticate": account(REDIRECT, REDIRECT),
    # Only `staff` has an authenticator (TOTP) in the world.
    "mfa_reauthenticate": account(REDIRECT, REDIRECT).but(STAFF, OK, OK),
    "mfa_activate_totp": account(REDIRECT, REDIRECT),
    "mfa_deactivate_totp": account(HIDDEN, HIDDEN).but(STAFF, REDIRECT, REDIRECT),
    "mfa_view_recovery_codes": account(HIDDEN, NOT_ALLOWED),
    "mfa_generate_recovery_codes": account(REDIRECT, REDIRECT),
    "mfa_download_recovery_codes": account(HIDDEN, HIDDEN),
    # A person's own pages.
    "profile": page(MEMBERS | {NO_ROLE}),
    "notification_preferences": page(MEMBERS),
    # A person's own e-mails; the e-mail opened is the coordinator's: nobody else's.
    "own_emails": page(MEMBERS),
    "own_email": page({COORDINATOR}).but(MEMBERS - {COORDINATOR}, HIDDEN, HIDDEN),
    # The register. The scheme and posts opened are in Val-d'Oise; `coordinator` holds the post.
    "schemes": page(MEMBERS),
    # A partner of another territory (DD 93) opens a Val-d'Oise scheme by its address: the scheme
    # and its posts' status, but not who holds them (tests/coordinators/test_register_pages.py).
    "scheme": page(MEMBERS),
    "scheme_create": page(TEAM),
    "scheme_edit": page(TEAM),
    "post_create": page(TEAM),
    "post_edit": page(TEAM),
    "post_arrival": page(TEAM),
    "tenure_departure": page(TEAM),
    "tenure_edit": page(TEAM),
    # The handover file: read by staff, the post's territory and its holder, written by staff and
    # its holder; its existence is hidden from everyone else (DD 93: another territory).
    "handover": page(TEAM | {COORDINATOR, CRPV95, ARS})
    .but({CRPV95, ARS}, post=FORBIDDEN)
    .but({OTHER_COORDINATOR, DD93}, HIDDEN, HIDDEN),
    "post_claim": page(COORDINATORS),
    "claims": page(TEAM),
    "claim_review": action(TEAM),
    "imports:index": page(TEAM),
    "imports:confirm": action(TEAM),
    "imports:export": page(TEAM),
    "dashboard": page(TEAM | PARTNERS),  # each partner its territory: see test_permissions.py
    "dashboard_export": page(TEAM | PARTNERS),  # tampering: tests/dashboards/
    "dashboard_workbook": page(TEAM | PARTNERS),
    "dashboard_movements": page(TEAM),  # names behind figures partners see as « < 3 »
    "dashboard_needs": page(TEAM | PARTNERS),  # partners: the counts, never the texts
    "dashboard_needs_offer": page(TEAM | PARTNERS),
    # The yearly activity report: the team's. Posted empty, the forms show their errors (200).
    "reports": page(TEAM),
    "report": page(TEAM, post=NOT_ALLOWED),
    "report_narrative": action(TEAM, done=OK),
    "report_version": page(TEAM, post=NOT_ALLOWED),
    "report_version_restore": action(TEAM),  # the current text: said so, nothing added
    "report_print": page(TEAM, post=NOT_ALLOWED),
    "report_pdf": page(TEAM, post=NOT_ALLOWED),
    # The staff back-office.
    "manage:index": page(TEAM),
    "manage:invitations": page(TEAM),
    "manage:invitation_resend": action(TEAM),
    "manage:invitation_revoke": action(TEAM),
    "manage:signups": page(TEAM),
    "manage:signup_review": action(TEAM),
    "manage:lists": page(TEAM),
    "notifications:outbox": page(TEAM),
    "notifications:delivery": page(TEAM),
    "notifications:delivery_html": page(TEAM),
    "notifications:delivery_resend": action(TEAM),
    "notifications:person": page(TEAM),
    "notifications:rules": page(TEAM),
    "notifications:rule_action": action(TEAM),
    "notifications:sequences": page(TEAM),
    "notifications:sequence": page(TEAM),
    "notifications:sequence_create": page(TEAM),
    "notifications:sequence_edit": page(TEAM),
    "notifications:step_create": page(TEAM),
    "notifications:step_edit": page(TEAM),
    "notifications:step_toggle": action(TEAM),
    # The agenda. The webinar is organised by the CRPV 95 for Val-d'Oise; `coordinator` is
    # registered to it and attended the past webinar; the meeting is a working group's.
    "agenda": page(MEMBERS),
    "agenda_month": page(MEMBERS),
    "event": page(MEMBERS),
    "event_ics": page(MEMBERS),
    "event_create": page(TEAM | PUBLISHERS),  # the ARS head office does not publish
    "event_edit": page(TEAM | {CRPV95}),  # staff and the organiser
    "event_cancel": page(TEAM | {CRPV95}),
    "event_register": action(COORDINATORS),
    "working_group_series": action(COORDINATORS),
    "guest_invite": action(TEAM | {CRPV95, COORDINATOR}),  # who manages it, or a registered person
    # A registration is its person's: hidden from every other member.
    # Cancelling asks first (GET: the confirmation step); another person's registration is hidden.
    "registration_cancel": page({COORDINATOR}, post=REDIRECT).but(
        MEMBERS - {COORDINATOR}, get=HIDDEN, post=HIDDEN
    ),
    "offer_accept": action({COORDINATOR}).but(MEMBERS - {COORDINATOR}, post=HIDDEN),
    "registration_excuse": action({COORDINATOR}).but(MEMBERS - {COORDINATOR}, post=HIDDEN),
    "calendar_feed_settings": page(MEMBERS, post=REDIRECT),  # POST: a new address
    # An event's registrations: staff and the organiser (the CRPV 95's webinar).
    "event_registrations": page(TEAM | {CRPV95}),
    "event_walk_in": page(TEAM | {CRPV95}),
    "event_registrations_export": page(TEAM | {CRPV95}),
    "registration_staff_confirm": action(TEAM | {CRPV95}),
    "registration_give_seat": page(TEAM | {CRPV95}),  # POST: "already seated", said on the page
    "registration_staff_cancel": page(TEAM | {CRPV95}, post=REDIRECT),
    "attendance_check_in": page(TEAM),
    "attendance_import": page(TEAM),
    "attendance_import_check": action(TEAM),
    "attendance_import_confirm": action(TEAM),
    "attendance_mark": action(TEAM),
    "attendance_certificate": page(TEAM | {COORDINATOR}).but(
        MEMBERS - TEAM - {COORDINATOR}, HIDDEN, HIDDEN
    ),
    "attendance_feedback": page({COORDINATOR}).but(MEMBERS - {COORDINATOR}, HIDDEN, HIDDEN),
    # Competencies, offers (provided by the CRPV 95), pathways (`coordinator` follows one).
    "competencies": page(MEMBERS),
    "domain_create": page(TEAM),
    "domain_edit": page(TEAM),
    "competency_create": page(TEAM),
    "competency_edit": page(TEAM),
    "competency_deactivate": action(TEAM),
    "competency_reactivate": action(TEAM),
    "offers": page(MEMBERS),
    "offer": page(MEMBERS),
    "offer_create": page(TEAM | PUBLISHERS),
    "offer_edit": page(TEAM | {CRPV95}),  # staff and the offer's providers
    "offer_retire": action(TEAM | {CRPV95}),
    "offer_reactivate": action(TEAM | {CRPV95}),
    "offers_complementarity": page(TEAM | PARTNERS),  # about offers, not people
    "self_assessment": page(COORDINATORS),
    "self_assessment_new": page(COORDINATORS),
    "self_assessment_aggregates": page(TEAM | PARTNERS),  # groups of five or more, no names
    "pathways": page(MEMBERS),
    "pathway": page(MEMBERS),
    "pathway_create": page(TEAM),
    "pathway_edit": page(TEAM),
    "pathway_join": action(COORDINATORS),
    # A coordinator who does not follow it is sent back to the pathway.
    "pathway_leave": page(COORDINATORS, post=REDIRECT).but(OTHER_COORDINATOR, get=REDIRECT),
    "step_create": page(TEAM),
    "step_edit": page(TEAM),
    "step_retire": page(TEAM, post=REDIRECT),
    "steps_reorder": action(TEAM),
    "step_declare": action(COORDINATORS),
    "prior_learning_request": action(COORDINATORS),
    "prior_learning_requests": page(TEAM),
    "prior_learning_review": action(TEAM),
    "resources": page(MEMBERS),
    "resource": page(MEMBERS),
    "resource_create": page(TEAM),
    "resource_edit": page(TEAM),
    # A link to the content (a reading, recorded for coordinators only).
    "resource_open": page(MEMBERS, get=REDIRECT, post=NOT_ALLOWED)
    .but(LOGGED_IN - MEMBERS, post=NOT_ALLOWED)
    .but(ANONYMOUS, post=NOT_ALLOWED),  # public resources open without an account (GET only)
    # The directory: a search page (GET only); partners see their territory's people.
    "directory": page(MEMBERS, post=NOT_ALLOWED),
    "mutual_help": page(MEMBERS, post=NOT_ALLOWED),
    # --- network: map ---
    # The map of the directory (GET only): partners see their territory's people.
    "directory_map": page(MEMBERS, post=NOT_ALLOWED),
    # --- network: suggestions and contact ---
    # A peer's page: partners only within their territory (elsewhere not revealed).
    "peer": page(MEMBERS, post=NOT_ALLOWED).but(DD93, get=HIDDEN),
    "peer_contact": page(COORDINATORS | TEAM),  # to himself: told he cannot (200)
    "peer_messages": page(COORDINATORS | TEAM, post=NOT_ALLOWED),
    # --- network: tutoring ---
    # Personal: the coordinators concerned and staff; partners see none (403).
    "tutoring": page(COORDINATORS | TEAM, post=NOT_ALLOWED),
    # An empty form asks the team; Awa, who has a tutor, is told so.
    "tutoring_request": page(COORDINATORS, post=REDIRECT).but(OTHER_COORDINATOR, post=OK),
    "tutoring_overview": page(TEAM, post=NOT_ALLOWED),
    "tutoring_propose": page(TEAM),
    "tutoring_pair": page(COORDINATORS | TEAM, post=NOT_ALLOWED),  # Awa and Julien's pair
    # Inès's request, addressed to Julien: hidden from everyone else.
    "tutoring_answer": page({COORDINATOR}).but({OTHER_COORDINATOR} | TEAM, HIDDEN, HIDDEN),
    "tutoring_withdraw": action(COORDINATORS, done=HIDDEN),  # Inès's own
    "tutoring_session": page(COORDINATORS | TEAM),
    "tutoring_session_cancel": action(COORDINATORS).but(TEAM, post=HIDDEN),
    "tutoring_note": action(COORDINATORS | TEAM),
    "tutoring_end": page(COORDINATORS).but(TEAM, HIDDEN, HIDDEN),
    # --- network: experience notes ---
    # `note` is the coordinator's published note (with an attachment), `note_draft` his draft.
    "notes": page(MEMBERS, post=NOT_ALLOWED),
    # The route world's note is by a Val-d'Oise coordinator: hidden from the DD 93.
    "note": page(MEMBERS, post=NOT_ALLOWED).but(DD93, get=HIDDEN),
    "note_create": page(COORDINATORS | TEAM),
    "note_edit": page(TEAM | {COORDINATOR}),  # its author and staff; a peer reads only
    "note_publish": action(TEAM | {COORDINATOR}).but(OTHER_COORDINATOR, post=HIDDEN),  # a draft
    "note_unpublish": action(TEAM | {COORDINATOR}),
    # POST with nothing in it: the note again, with the comment's error.
    "note_comment": page(COORDINATORS | TEAM, get=NOT_ALLOWED).but(
        LOGGED_IN - COORDINATORS - TEAM, get=NOT_ALLOWED
    ),
    "note_attachment_add": page(TEAM | {COORDINATOR}),
    "note_attachment": page(MEMBERS, post=NOT_ALLOWED).but(DD93, get=HIDDEN),
    "note_attachment_remove": action(TEAM | {COORDINATOR}),
    # --- network: questions ---
    # Among peers and the team; `coordinator` asked the question: he alone marks the useful
    # answer and closes it. An empty answer or question is shown again with its errors.
    "questions": page(COORDINATORS | TEAM, post=NOT_ALLOWED),
    "question_ask": page(COORDINATORS | TEAM),
    "question": page(COORDINATORS | TEAM, post=NOT_ALLOWED),
    "question_answer": action(COORDINATORS | TEAM, done=OK),
    "answer_useful": action({COORDINATOR}),
    "question_close": action({COORDINATOR}),
    # --- resources: library ---
    "resource_version_add": page(TEAM),  # posted empty: the form and its errors
    # An earlier version of the content (a link here): like opening the resource.
    "resource_version_open": page(MEMBERS, get=REDIRECT, post=NOT_ALLOWED)
    .but(LOGGED_IN - MEMBERS, post=NOT_ALLOWED)
    .but(ANONYMOUS, post=NOT_ALLOWED),
    # --- resources: requests ---
    # His request (asked) of the Guide on request; the form posted empty shows its errors (200).
    "resource_request_create": page(COORDINATORS),
    "my_resource_requests": page(COORDINATORS, post=NOT_ALLOWED),
    "resource_request_withdraw": action(COORDINATORS).but(OTHER_COORDINATOR, post=HIDDEN),
    "resource_requests": page(TEAM, post=NOT_ALLOWED),
    "resource_requests_bulk": action(TEAM, done=OK),  # nothing checked: the list and its error
    "resource_requests_export": page(TEAM, post=NOT_ALLOWED),
    "resource_request": page(TEAM),  # nothing chosen: the page and its error
    # --- resources: packs ---
    "packs": page(COORDINATORS | TEAM, post=NOT_ALLOWED),
    "pack_create": page(TEAM),
    "pack": page(COORDINATORS | TEAM, post=NOT_ALLOWED),
    "pack_edit": page(TEAM),
    "pack_share": page(COORDINATORS | TEAM),
    "pack_item_add": action(TEAM, done=OK),  # nothing chosen: the page and its error
    "pack_item_remove": action(TEAM),
    "pack_item_move": action(TEAM),
    "pack_links": page(COORDINATORS | TEAM, post=NOT_ALLOWED),
    # His link: asked first (GET), revoked (POST); someone else's is not revealed.
    "pack_link_revoke": page({COORDINATOR}, post=REDIRECT).but(
        {OTHER_COORDINATOR} | TEAM, HIDDEN, HIDDEN
    ),
    "shared_pack": public(post=NOT_ALLOWED),  # the token is the credential
    "shared_resource": public(get=REDIRECT, post=NOT_ALLOWED),  # a web resource: its link
    # --- network: news and weekly digest ---
    # The CRPV 95's post for Val-d'Oise: read by every member, edited by the team and the CRPV 95
    # (the ARS head office does not publish); deleting asks first (GET). Feeds: the token.
    "news": page(MEMBERS, post=NOT_ALLOWED),
    "news_post": page(MEMBERS, post=NOT_ALLOWED),
    "news_create": page(TEAM | PUBLISHERS),
    "news_edit": page(TEAM | {CRPV95}),
    "news_delete": page(TEAM | {CRPV95}, post=REDIRECT),
    "news_feeds": page(MEMBERS, post=REDIRECT),  # POST: new addresses
    "news_feed": public(),
    "news_feed_category": public(),
    # --- coordinators: vacancies ---
    # Open vacancies are public (GET only). `coordinator` left a post of the CLSM and published
    # its vacancy: he changes and closes it; staff publish on any vacant post (`vacant95`), a peer
    # or a partner on none.
    "vacancies": public(post=NOT_ALLOWED),
    "vacancy": public(post=NOT_ALLOWED),
    "vacancy_publish": page(TEAM),
    "vacancy_edit": page(TEAM | {COORDINATOR}),
    "vacancy_close": action(TEAM | {COORDINATOR}),
    # The Django admin: the superuser only.
    "admin:*": admin_page(),
    "admin:/admin/*/<path:object_id>/": admin_page(REDIRECT, REDIRECT),  # old change URLs
    "admin:/admin/(?P<url>.*)$": admin_page(HIDDEN, HIDDEN),  # unknown admin URLs
    "admin:login": page({SUPERUSER}, get=REDIRECT),
    "admin:logout": page({SUPERUSER}, get=NOT_ALLOWED, refused=REDIRECT),
    "admin:password_change_done": admin_page(post=NOT_ALLOWED),
    "admin:jsi18n": admin_page(post=NOT_ALLOWED),
    "admin:autocomplete": admin_page(FORBIDDEN, NOT_ALLOWED),  # asked without a field
    "admin:view_on_site": admin_page(HIDDEN, HIDDEN),  # a scheme has no public page
}

# Models the admin shows read-only (the platform's own pages and services write them), and models
# it never deletes (deactivated, retired or kept for the history instead).
ADMIN_READ_ONLY = [
    "notifications_delivery",
    "resources_resourceread",
    "learning_pathwaystep",
    "learning_enrolment",
    "learning_stepcompletion",
    "learning_priorlearningrequest",
    "learning_selfassessment",
]
ADMIN_NEVER_DELETES = [
    "competencies_competencydomain",
    "competencies_competency",
    "learning_offer",
    "learning_pathway",
    "learning_pathwaystep",
    "learning_enrolment",
    "learning_stepcompletion",
    "learning_priorlearningrequest",
    "learning_selfassessment",
]
for _model in ADMIN_READ_ONLY:
    EXPECTED[f"admin:{_model}_add"] = admin_page(FORBIDDEN, FORBIDDEN)
    EXPECTED[f"admin:{_model}_change"] = admin_page(post=FORBIDDEN)
for _model in ADMIN_NEVER_DELETES:
    EXPECTED[f"admin:{_model}_delete"] = admin_page(FORBIDDEN, FORBIDDEN)


# --- The routes and the objects their URLs open --------------------------------------------------


def walk(patterns, prefix="", namespace=None):
    """(key, name, full pattern) of every route under `patterns`."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        else:
            route = prefix + str(pattern.pattern)
            name = pattern.name or f"/{route}"
            yield (f"{namespace}:{name}" if namespace else name), pattern.name, route


def routes():
    found = list(walk(get_resolver().url_patterns))
    keys = [key for key, _name, _route in found]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    assert not twice, f"Two routes share a name, reverse() reaches only one: {twice}"
    return found


def expectation_for(key):
    if key in EXPECTED:
        return EXPECTED[key]
    patterns = [p for p in EXPECTED if any(c in p for c in "*?[") and fnmatch.fnmatchcase(key, p)]
    return EXPECTED[max(patterns, key=len)] if patterns else None


def pk(name, kwarg="pk"):
    return lambda w: {kwarg: getattr(w, name).pk}


# URL name -> its arguments, from the world of `route_fixtures.demo_world`.
ARGS = {
    "invitation_accept": lambda w: {"token": w.invitation.token},
    "account_confirm_email": lambda w: {"key": w.email_key},
    "account_reset_password_from_key": lambda w: {"uidb36": w.reset_uid, "key": w.reset_key},
    "unsubscribe": lambda w: {"token": w.unsubscribe_token},
    "guest_register": lambda w: {"token": w.guest_invitation.token},
    "guest_event_ics": lambda w: {"token": w.guest_invitation.token},
    "calendar_feed": lambda w: {"token": w.calendar_feed.token},
    "manage:invitation_resend": pk("invitation"),
    "manage:invitation_revoke": pk("invitation"),
    "manage:signup_review": lambda w: {"pk": w.users[PENDING].coordinator_profile.pk},
    "manage:lists": lambda w: {"kind": "thematiques"},
    "notifications:delivery": pk("delivery"),
    "own_email": pk("delivery"),
    "notifications:delivery_html": pk("delivery"),
    "notifications:delivery_resend": pk("delivery"),
    "notifications:person": lambda w: {"user_id": w.users[COORDINATOR].pk},
    "notifications:rule_action": pk("rule"),
    "notifications:sequence": pk("sequence"),
    "notifications:sequence_edit": pk("sequence"),
    "notifications:step_create": pk("sequence", "sequence_pk"),
    "notifications:step_edit": pk("sequence_step"),
    "notifications:step_toggle": pk("sequence_step"),
    "scheme": pk("scheme95"),
    "scheme_edit": pk("scheme95"),
    "post_create": pk("scheme95", "scheme_pk"),
    "post_edit": pk("post95"),
    "post_arrival": pk("post95"),
    "handover": pk("post95"),
    "post_claim": pk("vacant95"),
    "tenure_departure": pk("tenure95"),
    "tenure_edit": pk("tenure95"),
    "claim_review": pk("claim"),
    "imports:export": lambda w: {"kind": "dispositifs", "file_format": "csv"},
    "dashboard_export": lambda w: {"slug": "registre-postes", "file_format": "csv"},
    "report": pk("report"),
    "report_narrative": lambda w: {"pk": w.report.pk, "part": "introduction"},
    "report_version": lambda w: {"pk": w.report.pk, "version_pk": w.report_version.pk},
    "report_version_restore": lambda w: {"pk": w.report.pk, "version_pk": w.report_version.pk},
    "report_print": pk("report"),
    "report_pdf": pk("report"),
    "event": pk("webinar"),
    "event_edit": pk("webinar"),
    "event_cancel": pk("webinar"),
    "event_ics": pk("webinar"),
    "event_register": pk("webinar"),
    "guest_invite": pk("webinar"),
    "working_group_series": pk("meeting"),
    "registration_cancel": pk("registration"),
    "offer_accept": pk("registration"),
    "registration_excuse": pk("registration"),
    "event_registrations": pk("webinar"),
    "event_walk_in": pk("webinar"),
    "event_registrations_export": lambda w: {"pk": w.webinar.pk, "file_format": "xlsx"},
    "registration_staff_confirm": pk("registration"),
    "registration_give_seat": pk("registration"),
    "registration_staff_cancel": pk("registration"),
    "attendance_check_in": pk("past_webinar"),
    "attendance_import": pk("past_webinar"),
    "attendance_import_check": pk("past_webinar"),
    "attendance_import_confirm": pk("past_webinar"),
    "attendance_mark": pk("attended"),
    "attendance_certificate": pk("attended"),
    "attendance_feedback": pk("attended"),
    "domain_edit": pk("domain"),
    "competency_edit": pk("competency"),
    "competency_deactivate": pk("competency"),
    "competency_reactivate": pk("competency"),
    "offer": pk("offer"),
    "offer_edit": pk("offer"),
    "offer_retire": pk("offer"),
    "offer_reactivate": pk("offer"),
    "pathway": pk("pathway"),
    "pathway_edit": pk("pathway"),
    "pathway_join": pk("pathway"),
    "pathway_leave": pk("pathway"),
    "step_create": pk("pathway", "pathway_pk"),
    "steps_reorder": pk("pathway"),
    "step_edit": pk("step"),
    "step_retire": pk("step"),
    "step_declare": pk("step"),
    "prior_learning_request": pk("prior_step"),
    "prior_learning_review": pk("prior_learning"),
    "resource": pk("resource"),
    "resource_edit": pk("resource"),
    "resource_open": pk("resource"),
    "admin:app_list": lambda w: {"app_label": "coordinators"},
    "admin:auth_user_password_change": lambda w: {"id": w.users[COORDINATOR].pk},
    "admin:view_on_site": lambda w: {
        "content_type_id": content_type_pk(type(w.scheme95)),
        "object_id": w.scheme95.pk,
    },
    # --- network: map ---
    # --- network: suggestions and contact ---
    "peer": lambda w: {"pk": w.users[COORDINATOR].pk},
    "peer_contact": lambda w: {"pk": w.users[COORDINATOR].pk},
    # --- network: tutoring ---
    "tutoring_propose": lambda w: {"person_pk": w.users[OTHER_COORDINATOR].pk},
    "tutoring_pair": pk("tutoring_pair"),
    "tutoring_answer": pk("tutoring_request"),
    "tutoring_withdraw": pk("tutoring_request"),
    "tutoring_session": pk("tutoring_pair"),
    "tutoring_session_cancel": pk("tutoring_session"),
    "tutoring_note": pk("tutoring_pair"),
    "tutoring_end": pk("tutoring_pair"),
    # --- network: experience notes ---
    "note": pk("note"),
    "note_edit": pk("note"),
    "note_publish": pk("note_draft"),
    "note_unpublish": pk("note"),
    "note_comment": pk("note"),
    "note_attachment_add": pk("note"),
    "note_attachment": lambda w: {"pk": w.note.pk, "attachment_pk": w.note_attachment.pk},
    "note_attachment_remove": lambda w: {"pk": w.note.pk, "attachment_pk": w.note_attachment.pk},
    # --- network: questions ---
    "question": pk("question"),
    "question_answer": pk("question"),
    "answer_useful": lambda w: {"pk": w.question.pk, "answer_pk": w.answer.pk},
    "question_close": pk("question"),
    # --- resources: library ---
    "resource_version_add": pk("resource"),
    "resource_version_open": lambda w: {"pk": w.resource.pk, "version_pk": w.resource_version.pk},
    # --- resources: requests ---
    "resource_request_create": pk("requested_resource"),
    "resource_request_withdraw": pk("resource_request"),
    "resource_request": pk("resource_request"),
    "resource_requests_export": lambda w: {"file_format": "xlsx"},
    # --- resources: packs ---
    "pack": pk("pack"),
    "pack_edit": pk("pack"),
    "pack_share": pk("pack"),
    "pack_item_add": pk("pack"),
    "pack_item_remove": lambda w: {"pk": w.pack.pk, "item_pk": w.pack_item.pk},
    "pack_item_move": lambda w: {"pk": w.pack.pk, "item_pk": w.pack_item.pk},
    "pack_link_revoke": pk("pack_link"),
    "shared_pack": lambda w: {"token": w.pack_link.token},
    "shared_resource": lambda w: {"token": w.pack_link.token, "resource_pk": w.public_resource.pk},
    # --- network: news and weekly digest ---
    "news_post": pk("news_post"),
    "news_edit": pk("news_post"),
    "news_delete": pk("news_post"),
    "news_feed": lambda w: {"token": w.news_feed.token},
    "news_feed_category": lambda w: {"token": w.news_feed.token, "category": "call"},
    # --- coordinators: vacancies ---
    "vacancy": pk("vacancy"),
    "vacancy_edit": pk("vacancy"),
    "vacancy_close": pk("vacancy"),
    "vacancy_publish": pk("vacant95"),
}


def admin_args(key, world):
    """admin:<app>_<model>_<history|delete|change> opens the world's object of that model."""
    base, _, view = key.removeprefix("admin:").rpartition("_")
    model = admin_models().get(base)
    if model is not None and view in ("history", "delete", "change"):
        return {"object_id": admin_object(world, model).pk}
    return {}


def url_of(key, name, route, world):
    if name is not None:
        kwargs = ARGS[key](world) if key in ARGS else admin_args(key, world)
        url = reverse(key, kwargs=kwargs)
        assert resolve(url).view_name == key, f"{url} does not lead back to {key}"
        return url
    if route == "admin/(?P<url>.*)$":
        return "/admin/pas-une-page/"
    # admin/<app>/<model>/<path:object_id>/: the old address of an object's change page.
    app, model = route.split("/")[1:3]
    return "/" + route.replace(
        "<path:object_id>", str(admin_object(world, admin_models()[f"{app}_{model}"]).pk)
    )


# --- The matrix ----------------------------------------------------------------------------------

LOGIN_PATHS = {reverse("account_login"), reverse("admin:login")}


def outcome(response):
    if response.status_code in (301, 302) and urlsplit(response["Location"]).path in LOGIN_PATHS:
        return LOGIN
    return str(response.status_code)


def content_problem(key, response):
    """What is wrong in the body of an answer whose status is right, if anything."""
    if response.streaming:
        return None
    if response.status_code == 403 and "Accès refusé" not in response.content.decode():
        return "a 403 without the French « Accès refusé » page"
    # The admin's own templates use variables they do not define: not ours to check.
    unknown = b"!!UNKNOWN" in response.content and not key.startswith("admin:")
    if response.status_code == 200 and unknown:
        name = response.content.decode().split("!!UNKNOWN", 1)[1].split("!!", 1)[0]
        return f"an unknown template variable: {name.strip()}"
    return None


class Requester:
    """One client for every role: each request starts from the role's session cookie alone and
    runs in a transaction rolled back afterwards (sessions, messages and rows included)."""

    def __init__(self, users):
        self.client = Client()
        self.sessions = {}
        for role, user in users.items():
            if user is not None:
                self.client.force_login(user)
                self.sessions[role] = self.client.cookies[settings.SESSION_COOKIE_NAME].value
            self.client.cookies = SimpleCookie()

    def __call__(self, key, role, method, url):
        """(outcome, what is wrong in the body or None)."""
        self.client.cookies = SimpleCookie()
        if role in self.sessions:
            self.client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        cache.clear()  # rate limits count every attempt
        with transaction.atomic():
            try:
                response = getattr(self.client, method.lower())(url)
                answer = outcome(response), content_problem(key, response)
            except Exception as error:  # a server error is an answer too: report it
                answer = f"exception {type(error).__name__}: {error}", None
            transaction.set_rollback(True)
        return answer


class quiet_request_log:
    """Thousands of expected 403/404 would each log a warning."""

    def __enter__(self):
        self.logger = logging.getLogger("django.request")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)


def test_every_route_declares_who_may_use_it():
    """A new page must say who may use it; a line for a route that is gone must go too."""
    keys = [key for key, _name, _route in routes()]
    undeclared = [key for key in keys if expectation_for(key) is None]
    stale = [
        line
        for line in EXPECTED
        if not any(key == line or fnmatch.fnmatchcase(key, line) for key in keys)
    ]
    assert not undeclared, (
        "Routes without a declared expectation (add a line to EXPECTED in tests/test_routes.py "
        "saying which roles may GET and POST them): " + ", ".join(undeclared)
    )
    assert not stale, "EXPECTED lines for routes that no longer exist: " + ", ".join(stale)


PARTS = {
    "site": lambda key: not key.startswith("admin:"),
    "admin": lambda key: key.startswith("admin:"),
}


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.django_db
def test_route_matrix(part):
    """Every route of `part` × every role × GET and POST, against EXPECTED; all differences at
    once."""
    world = demo_world()
    request = Requester(world.users)
    differences, checked = [], 0
    with quiet_request_log():
        for key, name, route in routes():
            if not PARTS[part](key):
                continue
            expected = expectation_for(key)
            if expected is None:
                differences.append(f"{key}: no expectation declared")
                continue
            try:
                url = url_of(key, name, route, world)
            except (KeyError, NoReverseMatch, AssertionError) as error:
                differences.append(f"{key}: cannot build its URL ({error!r}): add it to ARGS")
                continue
            for role in ROLES:
                for method, want in zip(METHODS, expected.outcomes[role], strict=True):
                    got, problem = request(key, role, method, url)
                    checked += 1
                    if got != want:
                        differences.append(
                            f"{key} [{role}] {method} {url}: expected {want}, got {got}"
                        )
                    elif problem:
                        differences.append(f"{key} [{role}] {method} {url}: {problem}")
    assert checked, "no request was made"
    assert not differences, (
        f"{len(differences)} of {checked} answers differ from EXPECTED:\n  "
        + "\n  ".join(differences)
    )
