"""What happens in consultations: the one place the web, the command line and (later) the API
call to change anything.

Write services for staff check their permission themselves (`require_perm`). Giving,
changing and withdrawing testimony are public self-service: the receipt code is the key,
and no actor is taken from a form.
"""

from __future__ import annotations

import datetime
import json
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from babel import Locale, UnknownLocaleError
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uprhub.core.mail import schedule_mail
from uprhub.core.outbox import mail_is_captured
from uprhub.core.rules import Actor, require_perm
from uprhub.recommendations.models import SuggestionStatus, Theme
from uprhub.recommendations.theme_names import theme_name
from uprhub.reviews.models import Review

from . import crypto, paper, redaction, signals
from .models import (
    ConsentText,
    Consultation,
    ConsultationRole,
    ConsultationRoleKind,
    Identity,
    IdentityAccess,
    InPersonSession,
    ModerationDecision,
    TagKind,
    Testimony,
    TestimonySource,
    TestimonyStatus,
    TestimonyTag,
    default_questions,
)

MAX_TEXT = 10_000
MAX_ANSWER = 10_000
MAX_IDENTITY_FIELD = 200
UPRINFO_ISSUES = "uprinfo-issues"  # the vocabulary of paper forms' themes
RECEIPT_MAIL_KIND = "consultation_receipt"  # the outbox kind is the template name
# Addresses under /listen/ that are pages, not consultations.
RESERVED_SLUGS = frozenset({"new", "api", "static"})


class ConsultationError(ValueError):
    """A request the service refuses, with a message for the person (translated)."""


class ConsultationClosed(ConsultationError):
    pass


class WrongAccessCode(ConsultationError):
    pass


class UnknownReceipt(ConsultationError):
    pass


@dataclass(frozen=True)
class TestimonyInput:
    """What a participant sends. Every consent is False unless the person ticked it."""

    __test__ = False

    text: str
    language: str
    government: str = ""
    themes: list[str] = field(default_factory=list)
    quote_anonymously: bool = False
    quote_named: bool = False
    may_contact: bool = False
    fears_reprisals: bool = False


@dataclass(frozen=True)
class IdentityInput:
    name: str = ""
    email: str = ""
    phone: str = ""

    def is_empty(self) -> bool:
        return not (self.name or self.email or self.phone)

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "email": self.email, "phone": self.phone}


# --- consultations -------------------------------------------------------------------------


def create_consultation(
    *,
    actor: Actor,
    slug: str,
    review: Review,
    title: str,
    organisation: Any = None,
    place: str = "",
    description: str = "",
    languages: list[str] | None = None,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
    access_code: str = "",
    questions: dict[str, bool] | None = None,
) -> Consultation:
    require_perm(actor, "consultations.create")
    if slug in RESERVED_SLUGS:
        raise ConsultationError(_("“%s” is reserved: choose another short name.") % slug)
    if Consultation.objects.filter(slug=slug).exists():
        raise ConsultationError(_("A consultation with the short name “%s” exists.") % slug)
    languages = _check_languages(languages or ["en", "es", "fr"])
    if not _clean_line(title):
        raise ConsultationError(_("A consultation needs a title."))
    if opens_at and closes_at and closes_at <= opens_at:
        raise ConsultationError(_("A consultation must close after it opens."))
    with transaction.atomic():
        consultation = Consultation.objects.create(
            slug=slug,
            review=review,
            title=_clean_line(title),
            organisation=organisation,
            place=_clean_line(place),
            description=_clean_text(description),
            languages=languages,
            opens_at=opens_at,
            closes_at=closes_at,
            access_code_hash=make_password(access_code) if access_code else "",
            questions=questions if questions is not None else default_questions(),
        )
        ConsentText.objects.create(consultation=consultation, version=1, text="")
    return consultation


class StaleEdit(ConsultationError):
    """The settings changed since the page was opened."""


@dataclass(frozen=True)
class ConsultationSettings:
    """What the people who run a consultation may change after creating it."""

    title: str
    place: str = ""
    description: str = ""
    languages: list[str] = field(default_factory=lambda: ["en", "es", "fr"])
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None
    ask_themes: bool = True
    ask_government: bool = True


def _known_language(code: str) -> bool:
    if len(code) > 12:  # Testimony.language
        return False
    try:
        Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True


def _check_languages(languages: list[str]) -> list[str]:
    """The site's languages, and any other language CLDR knows by its code (Haitian Creole,
    Somali, Navajo…): people may write in it, the pages stay in the site's languages."""
    codes = list(dict.fromkeys(code.strip().lower().replace("_", "-") for code in languages))
    codes = [code for code in codes if code]
    if not codes:
        raise ConsultationError(_("Choose at least one language."))
    unknown = [code for code in codes if not _known_language(code)]
    if unknown:
        raise ConsultationError(
            _("Unknown language code: %s (use codes such as en, es, fr, ht, vi, zh-hans).")
            % ", ".join(unknown)
        )
    return codes


def update_consultation(
    consultation: Consultation,
    changes: ConsultationSettings,
    *,
    actor: Actor,
    version: int,
    access_code: str | None = None,
) -> Consultation:
    """Change a consultation's settings, refusing a save made from an outdated page.

    `access_code`: None keeps it, "" removes it, anything else replaces it."""
    require_perm(actor, "consultations.manage", consultation)
    languages = _check_languages(list(changes.languages))
    if changes.opens_at and changes.closes_at and changes.closes_at <= changes.opens_at:
        raise ConsultationError(_("A consultation must close after it opens."))
    values: dict[str, Any] = {
        "title": _clean_line(changes.title),
        "place": _clean_line(changes.place),
        "description": _clean_text(changes.description),
        "languages": languages,
        "opens_at": changes.opens_at,
        "closes_at": changes.closes_at,
        "questions": {"themes": changes.ask_themes, "government": changes.ask_government},
        "version": version + 1,
    }
    if not values["title"]:
        raise ConsultationError(_("A consultation needs a title."))
    if access_code is not None:
        values["access_code_hash"] = make_password(access_code) if access_code else ""
    updated = Consultation.objects.filter(pk=consultation.pk, version=version).update(**values)
    if not updated:
        raise StaleEdit(
            _(
                "Someone changed this consultation while you were editing it. Your changes "
                "were not saved: the page now shows the current settings."
            )
        )
    consultation.refresh_from_db()
    return consultation


def add_consent_version(consultation: Consultation, text: str, *, actor: Actor) -> ConsentText:
    """A new consent wording; testimonies given before keep the version they were given under."""
    require_perm(actor, "consultations.manage", consultation)
    latest = consultation.current_consent()
    if _clean_text(text) == latest.text:
        return latest  # unchanged: no new version to record
    return ConsentText.objects.create(
        consultation=consultation, version=latest.version + 1, text=_clean_text(text)
    )


def assign_role(consultation: Consultation, user: Any, role: str, *, actor: Actor) -> None:
    require_perm(actor, "consultations.assign_role", consultation)
    if role not in ConsultationRoleKind.values:
        raise ConsultationError(_("Unknown role."))
    if not getattr(user, "is_active", False):
        raise ConsultationError(_("This account is not active."))
    ConsultationRole.objects.get_or_create(consultation=consultation, user=user, role=role)


def remove_role(role: ConsultationRole, *, actor: Actor) -> None:
    require_perm(actor, "consultations.assign_role", role.consultation)
    role.delete()


# --- giving testimony (public) ---------------------------------------------------------------


def _clean_text(value: str, limit: int = MAX_TEXT) -> str:
    """Newlines and tabs stay; other control characters and binary are refused."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(value) > limit:
        raise ConsultationError(
            _("Please keep it under %(limit)s characters (this has %(count)s).")
            % {"limit": f"{limit:,}", "count": f"{len(value):,}"}
        )
    for ch in value:
        if ch not in "\n\t" and unicodedata.category(ch) in {"Cc", "Cs", "Co", "Cn"}:
            raise ConsultationError(_("The text contains characters that cannot be stored."))
    return value


def _clean_line(value: str) -> str:
    return " ".join(_clean_text(value, MAX_IDENTITY_FIELD).split())


def _check_input(consultation: Consultation, data: TestimonyInput) -> dict[str, Any]:
    text = _clean_text(data.text)
    if not text:
        raise ConsultationError(_("Please write what you want to tell us."))
    if data.language not in consultation.languages:
        raise ConsultationError(_("This consultation does not take testimony in that language."))
    answers: dict[str, Any] = {}
    if consultation.questions.get("government") and data.government.strip():
        answers["government"] = _clean_text(data.government, MAX_ANSWER)
    if consultation.questions.get("themes") and data.themes:
        answers["themes"] = sorted({_clean_line(theme) for theme in data.themes if theme})[:20]
    return {
        "text": text,
        "language": data.language,
        "answers": answers,
        "quote_anonymously": bool(data.quote_anonymously),
        "quote_named": bool(data.quote_named),
        "may_contact": bool(data.may_contact),
        "fears_reprisals": bool(data.fears_reprisals),
    }


def _protect(fields: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Keep the words as written only encrypted (`original_token`); the stored `text` and
    "what should the government do" answer are redacted automatically on arrival, so no
    e-mail, phone, address or given name is in clear text before a moderator has looked."""
    answers = dict(fields["answers"])
    original = {"text": fields["text"], "government": answers.get("government", "")}
    fields = dict(fields, original_token=crypto.encrypt(json.dumps(original)))
    names = [name for name in names if name]
    fields["text"] = redaction.apply(fields["text"], redaction.suggest(fields["text"], names=names))
    if answers.get("government"):
        government = answers["government"]
        answers["government"] = redaction.apply(
            government, redaction.suggest(government, names=names)
        )
    fields["answers"] = answers
    return fields


def original_of(testimony: Testimony) -> dict[str, str]:
    """The words as the person wrote them ({"text", "government"}); after the retention
    purge or a withdrawal, the redacted text (all that is left)."""
    if not testimony.original_token:
        return {"text": testimony.text, "government": testimony.answers.get("government", "")}
    data: dict[str, str] = json.loads(crypto.decrypt(testimony.original_token))
    return data


def identity_of(testimony: Testimony) -> dict[str, str]:
    """The stored identity, decrypted, for services only (never logged, never rendered
    without `view_identity`)."""
    identity = Identity.objects.filter(testimony=testimony).first()
    if identity is None:
        return {}
    data: dict[str, str] = json.loads(crypto.decrypt(identity.token))
    return data


def _store_identity(testimony: Testimony, identity: IdentityInput) -> None:
    cleaned = IdentityInput(
        name=_clean_line(identity.name),
        email=_clean_line(identity.email),
        phone=_clean_line(identity.phone),
    )
    Identity.objects.filter(testimony=testimony).delete()
    if not cleaned.is_empty():
        Identity.objects.create(
            testimony=testimony, token=crypto.encrypt(json.dumps(cleaned.as_dict()))
        )


def submit_testimony(
    consultation: Consultation,
    data: TestimonyInput,
    identity: IdentityInput | None = None,
    *,
    access_code: str = "",
    client_address: str = "",
    email_receipt: bool = False,
    now: datetime.datetime | None = None,
    source: str = TestimonySource.WEB,
    entered_by: Actor = None,
    client_id: uuid.UUID | str | None = None,
    receipt_code: str = "",
    submitted_at: datetime.datetime | None = None,
) -> tuple[Testimony, str]:
    """Store a testimony; returns it and its receipt code (which only the person ever sees).

    `source` FACILITATOR: `entered_by` (a facilitator or moderator of the consultation) typed
    it in at an event; `client_id` (made on the device) makes a re-sent entry a no-op: the
    stored testimony is returned with an empty code, since the code is never shown twice.
    `receipt_code`, made on the device so the person gets it at once even offline, must have
    the shape of `crypto.new_receipt_code`; only its hash is kept.
    `source` PAPER: typed from a paper form (`import_paper`, needs consultations.import;
    `entered_by` None is the command line); `submitted_at` is when the form was filled in.
    """
    now = now or timezone.now()
    source = TestimonySource(source)
    if source == TestimonySource.WEB:
        if entered_by is not None or client_id or receipt_code or submitted_at:
            raise ValueError("Only facilitators and paper imports enter testimony for others.")
    elif source == TestimonySource.FACILITATOR:
        # No system path: a facilitator's entry always names its facilitator.
        require_perm(entered_by, "consultations.facilitate", consultation)
    else:
        require_perm(entered_by, "consultations.import", consultation)
    if client_id:
        client_id = uuid.UUID(str(client_id))
        existing = Testimony.objects.filter(consultation=consultation, client_id=client_id).first()
        if existing is not None:
            return existing, ""
    _check_window(consultation, source, now)
    if (
        source == TestimonySource.WEB
        and consultation.needs_access_code
        and not check_password(access_code.strip(), consultation.access_code_hash)
    ):
        raise WrongAccessCode(_("The access code is not right. Ask the people who run it."))
    fields = _check_input(consultation, data)
    identity = identity or IdentityInput()
    if email_receipt and mail_is_captured():
        raise ConsultationError(_("This site cannot send e-mail: please write your code down."))
    if email_receipt and not identity.email.strip():
        raise ConsultationError(_("To receive the code by e-mail, give an e-mail address."))
    if receipt_code:
        if source != TestimonySource.FACILITATOR:
            raise ValueError("Only a facilitator's device makes its own receipt code.")
        if not crypto.is_receipt_code(receipt_code):
            raise ConsultationError(_("The receipt code made on the device is not valid."))
        code = receipt_code
    else:
        code = crypto.new_receipt_code()
    fields = _protect(fields, [identity.name])
    try:
        with transaction.atomic():
            testimony = Testimony.objects.create(
                consultation=consultation,
                consent=consultation.current_consent(),
                receipt_hash=crypto.receipt_hash(code),
                address_hash=crypto.address_hash(client_address, now.date())
                if client_address
                else "",
                source=source,
                entered_by=entered_by,
                client_id=client_id or None,
                **fields,
            )
            if submitted_at is not None:
                # `created_at` is auto_now_add: a paper form's own date is set after the insert.
                Testimony.objects.filter(pk=testimony.pk).update(created_at=submitted_at)
                testimony.created_at = submitted_at
            _store_identity(testimony, identity)
            if email_receipt:
                schedule_mail(
                    identity.email.strip(),
                    RECEIPT_MAIL_KIND,
                    {"consultation": consultation, "code": code},
                )
    except IntegrityError:
        # The same entry sent twice at once (a retry racing the first send): the other
        # request stored it; this one returns it, like a later re-send would.
        if client_id:
            existing = Testimony.objects.filter(
                consultation=consultation, client_id=client_id
            ).first()
            if existing is not None:
                return existing, ""
        raise
    return testimony, code


def paper_themes() -> dict[str, str]:
    """The names a paper form may give for a UPR Info issue (English, Spanish, French), each
    mapped to the stored English name."""
    names: dict[str, str] = {}
    for theme in Theme.objects.filter(vocabulary__slug=UPRINFO_ISSUES):
        names[theme.name] = theme.name
        for language in ("es", "fr"):
            names.setdefault(theme_name(theme.name, UPRINFO_ISSUES, language), theme.name)
    return names


def import_paper(
    consultation: Consultation,
    data: bytes | str,
    *,
    actor: Actor,
    progress: Callable[[int, int], None] | None = None,
) -> list[Testimony]:
    """Store every row of a paper-forms CSV file (`paper.COLUMNS`) or none.

    Raises `paper.PaperImportError` (every problem, by line) before anything is written; a
    row the testimony service refuses (e.g. a text that becomes too long once cleaned) is
    reported by its line too, and the whole import is rolled back. Each row goes through
    `submit_testimony` (redaction, encryption) as a web testimony does; its themes become
    accepted tags, decided by nobody (they were on the form)."""
    require_perm(actor, "consultations.import", consultation)
    names = paper_themes()
    rows = paper.parse(data, languages=consultation.languages, themes=names, max_text=MAX_TEXT)
    themes = {theme.name: theme for theme in Theme.objects.filter(vocabulary__slug=UPRINFO_ISSUES)}
    stored: list[Testimony] = []
    now = timezone.now()
    with transaction.atomic():
        for number, row in enumerate(rows, start=1):
            try:
                testimony, _code = submit_testimony(
                    consultation,
                    TestimonyInput(
                        text=row.text,
                        language=row.language,
                        quote_anonymously=row.consent_quote,
                        quote_named=row.consent_named,
                        may_contact=row.consent_contact,
                        fears_reprisals=row.risk,
                    ),
                    IdentityInput(name=row.name, email=row.email, phone=row.phone),
                    source=TestimonySource.PAPER,
                    entered_by=actor,
                    submitted_at=row.submitted_at,
                    now=now,
                )
            except ConsultationError as error:
                raise paper.PaperImportError([paper.Problem(row.line, None, str(error))]) from None
            TestimonyTag.objects.bulk_create(
                TestimonyTag(
                    testimony=testimony,
                    kind=TagKind.THEME,
                    theme=themes[name],
                    status=SuggestionStatus.ACCEPTED,
                    decided_at=now,
                )
                for name in row.themes
            )
            stored.append(testimony)
            if progress is not None:
                progress(number, len(rows))
    return stored


#: Entries kept on a facilitator's device during an event may reach the server a little
#: after the consultation closed (no connection at the venue); they are still taken.
FACILITATOR_SYNC_GRACE = datetime.timedelta(days=7)


def _check_window(consultation: Consultation, source: str, now: datetime.datetime) -> None:
    if source == TestimonySource.PAPER:
        return  # forms filled in during the consultation are often typed in after it closed
    if source == TestimonySource.FACILITATOR and consultation.closes_at:
        opened = not consultation.opens_at or now >= consultation.opens_at
        if opened and now < consultation.closes_at + FACILITATOR_SYNC_GRACE:
            return
    if not consultation.is_open(now):
        raise ConsultationClosed(_("This consultation is not taking testimony now."))


def find_by_receipt(consultation: Consultation, code: str) -> Testimony:
    testimony = Testimony.objects.filter(
        consultation=consultation, receipt_hash__in=crypto.receipt_hashes(code)
    ).first()
    if testimony is None or testimony.is_withdrawn:
        raise UnknownReceipt(_("No testimony has this code. Check it and try again."))
    return testimony


def change_testimony(
    consultation: Consultation,
    code: str,
    data: TestimonyInput,
    identity: IdentityInput | None = None,
) -> Testimony:
    """The person changes what they said (and who they are): moderation starts again."""
    testimony = find_by_receipt(consultation, code)
    fields = _check_input(consultation, data)
    name = identity.name if identity is not None else identity_of(testimony).get("name", "")
    fields = _protect(fields, [name])
    with transaction.atomic():
        for name, value in fields.items():
            setattr(testimony, name, value)
        testimony.status = TestimonyStatus.NEW
        # Re-stored under the newest key, so a rotated-out key can be dropped.
        testimony.receipt_hash = crypto.receipt_hash(code)
        testimony.save()
        if identity is not None:
            _store_identity(testimony, identity)
        # Its words (or consent) changed and it is no longer approved: quotes of it must go.
        signals.testimony_redacted.send(sender=Testimony, testimony=testimony)
    return testimony


def withdraw_testimony(consultation: Consultation, code: str) -> Testimony:
    """Delete what the person said and who they are; a tombstone (id, dates) remains so
    counts and logs stay honest."""
    testimony = find_by_receipt(consultation, code)
    return _withdraw(testimony)


def withdraw_by_id(consultation: Consultation, item_id: int, *, actor: Actor) -> Testimony:
    """Withdraw a testimony by its item id, for a person who asks without their receipt code
    (`uprhub consultations withdraw SLUG ITEM_ID`, or its moderators)."""
    require_perm(actor, "consultations.import", consultation)
    testimony = Testimony.objects.filter(consultation=consultation, pk=item_id).first()
    if testimony is None:
        raise ConsultationError(
            _("Consultation “%(slug)s” has no item %(id)s.")
            % {"slug": consultation.slug, "id": item_id}
        )
    if testimony.is_withdrawn:
        raise ConsultationError(_("Item %s was already withdrawn.") % item_id)
    return _withdraw(testimony)


def _withdraw(testimony: Testimony) -> Testimony:
    with transaction.atomic():
        Identity.objects.filter(testimony=testimony).delete()
        # A moderator's note may have quoted the words: the audit keeps who and when only.
        testimony.decisions.exclude(note="").update(note="")
        testimony.text = ""
        testimony.original_token = ""
        testimony.language = ""
        testimony.answers = {}
        testimony.quote_anonymously = testimony.quote_named = False
        testimony.may_contact = testimony.fears_reprisals = False
        testimony.receipt_hash = None
        testimony.address_hash = ""
        testimony.status = TestimonyStatus.WITHDRAWN
        testimony.withdrawn_at = timezone.now()
        testimony.save()
        testimony.tags.all().delete()
        signals.testimony_withdrawn.send(sender=Testimony, testimony=testimony)
        transaction.on_commit(scrub_database_file)
    return testimony


def scrub_database_file(using: str = DEFAULT_DB_ALIAS) -> None:
    """After deleting people's words: make the SQLite file itself forget them.

    `PRAGMA secure_delete=ON` (settings/database.py, every connection) zeroes deleted
    content in the pages; in WAL mode the old pages also sit in the -wal file until a
    checkpoint, so one is run here, truncating the WAL. On PostgreSQL the old row version
    stays in the table file as a dead tuple until (auto)VACUUM reclaims it: nothing heavy is
    run from a request (see docs/OPERATIONS.md)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (mode,) = cursor.fetchone()
        if str(mode).lower() == "wal":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# --- identity (moderators) -------------------------------------------------------------------


def view_identity(testimony: Testimony, *, actor: Actor) -> dict[str, str] | None:
    """The identity a participant gave (or None), for a moderator; every view is logged."""
    require_perm(actor, "consultations.view_identity", testimony.consultation)
    assert actor is not None  # the rule has no system path: only a moderator's account
    identity = Identity.objects.filter(testimony=testimony).first()
    IdentityAccess.objects.create(testimony=testimony, user=actor)
    if identity is None:
        return None
    data: dict[str, str] = json.loads(crypto.decrypt(identity.token))
    return data


def contacts_to_download(consultation: Consultation, *, actor: Actor) -> list[dict[str, Any]]:
    """The people who agreed to be contacted and left a way to reach them, for a moderator's
    download: the only way identity leaves UPR Hub. Each row is recorded in the access log, in
    the same transaction as the reading."""
    require_perm(actor, "consultations.view_identity", consultation)
    assert actor is not None  # no system path: only a moderator's account
    rows: list[dict[str, Any]] = []
    with transaction.atomic():
        identities = (
            Identity.objects.filter(
                testimony__consultation=consultation, testimony__may_contact=True
            )
            .exclude(testimony__status=TestimonyStatus.WITHDRAWN)
            .select_related("testimony")
            .order_by("testimony_id")
        )
        for identity in identities:
            data = json.loads(crypto.decrypt(identity.token))
            IdentityAccess.objects.create(testimony=identity.testimony, user=actor)
            rows.append(
                {
                    "id": identity.testimony_id,
                    "language": identity.testimony.language,
                    "name": data.get("name", ""),
                    "email": data.get("email", ""),
                    "phone": data.get("phone", ""),
                }
            )
    return rows


# --- retention -------------------------------------------------------------------------------


@dataclass
class Purged:
    """What the retention purge deleted (or, in a dry run, would delete)."""

    testimonies: int = 0  # testimonies whose identity and original words are gone
    identities: int = 0
    originals: int = 0
    address_hashes: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Consultations closed before this have outlived UPRHUB_CONSULTATION_RETENTION_DAYS."""
    days = settings.UPRHUB_CONSULTATION_RETENTION_DAYS
    return (now or timezone.now()) - datetime.timedelta(days=days)


def rotate_keys(*, actor: Actor) -> int:
    """Re-encrypt every stored identity and original text under the newest key of
    UPRHUB_CONSULTATION_KEYS, so older keys can then be removed. One transaction: a token
    no key opens stops it with nothing changed. Returns how many tokens were re-encrypted."""
    require_perm(actor, "consultations.import")  # the command line (system) only in practice
    count = 0
    try:
        with transaction.atomic():
            count = _rotate_all()
    except InvalidToken:
        raise ConsultationError(
            _(
                "A stored value opens with none of the keys in UPRHUB_CONSULTATION_KEYS: "
                "nothing was changed. Put the old key back (after the new one) and run it again."
            )
        ) from None
    return count


def _rotate_all() -> int:
    count = 0
    for identity in Identity.objects.select_for_update().only("pk", "token").iterator():
        identity.token = crypto.rotate_token(identity.token)
        identity.save(update_fields=["token"])
        count += 1
    originals = (
        Testimony.objects.select_for_update()
        .exclude(original_token="")
        .only("pk", "original_token")
    )
    for testimony in originals.iterator():
        # update(), not save(): a key change is not an edit (updated_at is the moderators'
        # version check).
        Testimony.objects.filter(pk=testimony.pk).update(
            original_token=crypto.rotate_token(testimony.original_token)
        )
        count += 1
    return count


def purge_expired(now: datetime.datetime | None = None, *, dry_run: bool = False) -> Purged:
    """Delete the identities and original words of testimony given to consultations closed
    more than UPRHUB_CONSULTATION_RETENTION_DAYS ago (the redacted text, consents, status and
    tags stay: they are the anonymised results), and forget old client-address hashes.
    Run daily by `uprhub purge` (site/retention.py) and by `uprhub consultations purge`."""
    now = now or timezone.now()
    expired = Testimony.objects.filter(
        consultation__closes_at__lt=retention_cutoff(now), purged_at__isnull=True
    )
    identities = Identity.objects.filter(testimony__in=expired)
    originals = expired.exclude(original_token="")
    if dry_run:
        cutoff = now - datetime.timedelta(
            days=min(settings.UPRHUB_CONSULTATION_ADDRESS_HASH_DAYS, 7)
        )
        return Purged(
            testimonies=expired.count(),
            identities=identities.count(),
            originals=originals.count(),
            address_hashes=Testimony.objects.filter(created_at__lt=cutoff)
            .exclude(address_hash="")
            .count(),
        )
    with transaction.atomic():
        result = Purged(identities=identities.delete()[0])
        result.originals = originals.update(original_token="")
        ModerationDecision.objects.filter(testimony__in=expired).exclude(note="").update(note="")
        result.testimonies = expired.update(purged_at=now)
        result.address_hashes = purge_address_hashes(now)
        if result.identities or result.originals:
            transaction.on_commit(scrub_database_file)
    return result


def purge_address_hashes(now: datetime.datetime | None = None) -> int:
    """Forget client-address hashes older than UPRHUB_CONSULTATION_ADDRESS_HASH_DAYS (≤ 7)."""
    days = min(settings.UPRHUB_CONSULTATION_ADDRESS_HASH_DAYS, 7)
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    return (
        Testimony.objects.filter(created_at__lt=cutoff)
        .exclude(address_hash="")
        .update(address_hash="")
    )


# --- tags: UPR Info issues and past recommendations -------------------------------------------


class TagError(ConsultationError):
    """A tag cannot be decided or added (already decided, not the State's, unknown issue)."""


def suggest_tags(testimony: Testimony, *, actor: Actor) -> int:
    """Machine suggestions for one testimony, once (when a moderator first opens it)."""
    from . import suggesting

    require_perm(actor, "consultations.tag", testimony)
    if not suggesting.needs_suggestions(testimony):
        return 0
    # A page: never waits for the State's recommendations to be embedded.
    result = suggesting.suggest([testimony], compute_vectors=False)
    return result.themes_added + result.recommendations_added


def _decide_tag(tag: Any, status: str, actor: Actor) -> Any:
    from uprhub.recommendations.models import SuggestionStatus

    from .models import TestimonyTag

    require_perm(actor, "consultations.tag", tag.testimony)
    with transaction.atomic():
        locked = TestimonyTag.objects.select_for_update().get(pk=tag.pk)
        if locked.status != SuggestionStatus.PENDING:
            raise TagError(_("This suggestion has already been decided."))
        locked.status = status
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


def accept_tag(tag: Any, *, actor: Actor) -> Any:
    """The moderator agrees: the issue or recommendation is now the testimony's."""
    from uprhub.recommendations.models import SuggestionStatus

    return _decide_tag(tag, SuggestionStatus.ACCEPTED, actor)


def reject_tag(tag: Any, *, actor: Actor) -> Any:
    """The moderator disagrees: kept as rejected, so it is never suggested again."""
    from uprhub.recommendations.models import SuggestionStatus

    return _decide_tag(tag, SuggestionStatus.REJECTED, actor)


def add_tag(
    testimony: Testimony,
    *,
    actor: Actor,
    theme: Any = None,
    recommendation: Any = None,
) -> Any:
    """A moderator links an issue or a recommendation by hand: accepted from the start (a tag
    already there, even rejected, becomes accepted)."""
    from uprhub.recommendations.models import SuggestionStatus

    from .models import TagKind, TestimonyTag

    require_perm(actor, "consultations.tag", testimony)
    if (theme is None) == (recommendation is None):
        raise TagError(_("Choose one issue or one recommendation."))
    if theme is not None:
        if theme.vocabulary.slug != "uprinfo-issues":
            raise TagError(_("Only UPR Info issues can be linked to testimony."))
        lookup = {"theme": theme}
        kind = TagKind.THEME
    else:
        if recommendation.review.state_id != testimony.consultation.review.state_id:
            raise TagError(_("Only the State's own recommendations can be linked."))
        lookup = {"recommendation": recommendation}
        kind = TagKind.RECOMMENDATION
    now = timezone.now()
    with transaction.atomic():
        tag, created = TestimonyTag.objects.select_for_update().get_or_create(
            testimony=testimony,
            **lookup,
            defaults={
                "kind": kind,
                "status": SuggestionStatus.ACCEPTED,
                "decided_by": actor,
                "decided_at": now,
            },
        )
        if not created and tag.status != SuggestionStatus.ACCEPTED:
            tag.status = SuggestionStatus.ACCEPTED
            tag.decided_by = actor
            tag.decided_at = now
            tag.save(update_fields=["status", "decided_by", "decided_at"])
    return tag


# --- in-person sessions ----------------------------------------------------------------------


def add_session(
    consultation: Consultation,
    *,
    actor: Actor,
    starts_at: datetime.datetime,
    place: str,
    ends_at: datetime.datetime | None = None,
    description: str = "",
) -> InPersonSession:
    """A community event where people can give testimony in person (shown on the public page,
    the review calendar and its iCalendar feeds)."""
    require_perm(actor, "consultations.manage", consultation)
    place = _clean_line(place)
    if not place:
        raise ConsultationError(_("Say where the session takes place."))
    if timezone.is_naive(starts_at) or (ends_at is not None and timezone.is_naive(ends_at)):
        raise ConsultationError(_("Give the time with its time zone."))
    if ends_at is not None and ends_at <= starts_at:
        raise ConsultationError(_("A session must end after it starts."))
    return InPersonSession.objects.create(
        consultation=consultation,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        description=_clean_text(description, 2000),
    )


def remove_session(session: InPersonSession, *, actor: Actor) -> None:
    require_perm(actor, "consultations.manage", session.consultation)
    session.delete()
