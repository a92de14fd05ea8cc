"""JSON API for organisations, sign-up, the current user, API tokens and reference codes."""

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from synergy_hub.accounts import services, throttling
from synergy_hub.accounts.api_auth import READ, WRITE, acting_token
from synergy_hub.accounts.messages import sign_up_accepted_message
from synergy_hub.accounts.models import ApiToken, Industry, Region
from synergy_hub.accounts.permissions import is_officer, membership_of
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.accounts.schemas import (
    DecisionIn,
    EligibilityChangeIn,
    EligibilityChangeOut,
    IndustryOut,
    MeOut,
    NewTokenOut,
    OrganisationIn,
    OrganisationOut,
    ReasonIn,
    RegionOut,
    SignUpAcceptedOut,
    SignUpIn,
    TokenIn,
    TokenOut,
)
from synergy_hub.accounts.selectors import (
    approved_organisations,
    eligibility_change_for_viewer,
    eligibility_changes_visible_to,
    organisation_for_viewer,
    pending_organisations,
)
from synergy_hub.api.bounds import BoundedPagination, ObjectId, Word
from synergy_hub.api.schemas import responses

router = Router(tags=["organisations"])
#: A change request's states, for the list's filter.
ChangeStatus = Literal["pending", "approved", "rejected"]


@router.get("/organisations", response=responses(200, list[OrganisationOut]), auth=READ)
@paginate(BoundedPagination)
def list_organisations(request: HttpRequest, kind: Word | None = None) -> Any:
    """Approved organisations, optionally of one kind (platform, sme, provider, authority)."""
    queryset = approved_organisations().order_by("pk")
    return queryset.filter(kind=kind) if kind else queryset


@router.get("/organisations/pending", response=responses(200, list[OrganisationOut]), auth=WRITE)
def list_pending(request: AuthenticatedRequest) -> Any:
    """Sign-ups awaiting approval (programme officers)."""
    return pending_organisations(request.user)


@router.get("/organisations/{org_id}", response=responses(200, OrganisationOut), auth=READ)
def get_organisation(request: HttpRequest, org_id: ObjectId) -> Any:
    return organisation_for_viewer(request.user, org_id)


@router.post(
    "/signup",
    response=responses(201, OrganisationOut) | {202: SignUpAcceptedOut},
    auth=READ,
)
def sign_up(request: HttpRequest, payload: SignUpIn) -> Any:
    """Register an organisation for approval; without a session, also its first user.

    Anonymous sign-ups are answered 202 with a message, whether or not the e-mail address
    already has an account (its owner is told by e-mail); limited per client address.
    """
    if request.user.is_authenticated:
        registered = services.register_organisation(payload.dict(), user=request.user)
        assert registered is not None  # only anonymous sign-ups can meet a registered e-mail
        return Status(201, registered[1])
    throttling.hit(throttling.SIGN_UP, throttling.client_address(request))
    services.register_organisation(payload.dict())
    return Status(202, {"detail": sign_up_accepted_message()})


@router.patch("/organisations/{org_id}", response=responses(200, OrganisationOut), auth=WRITE)
def update_organisation(
    request: AuthenticatedRequest, org_id: ObjectId, payload: OrganisationIn
) -> Any:
    organisation = organisation_for_viewer(request.user, org_id)
    return services.update_organisation(
        request.user, organisation, payload.dict(exclude_unset=True)
    )


@router.post(
    "/organisations/{org_id}/approve", response=responses(200, OrganisationOut), auth=WRITE
)
def approve_organisation(request: AuthenticatedRequest, org_id: ObjectId) -> Any:
    organisation = organisation_for_viewer(request.user, org_id)
    return services.decide_organisation(request.user, organisation, approve=True)


@router.post("/organisations/{org_id}/reject", response=responses(200, OrganisationOut), auth=WRITE)
def reject_organisation(
    request: AuthenticatedRequest, org_id: ObjectId, payload: DecisionIn
) -> Any:
    organisation = organisation_for_viewer(request.user, org_id)
    return services.decide_organisation(
        request.user, organisation, approve=False, reason=payload.reason
    )


@router.get("/me", response=responses(200, MeOut), auth=WRITE, tags=["account"])
def me(request: AuthenticatedRequest) -> Any:
    """The authenticated user, their organisation and role."""
    membership = membership_of(request.user)
    return {
        "id": request.user.pk,
        "email": request.user.email,
        "full_name": request.user.full_name,
        "organisation": membership.organisation if membership else None,
        "role": membership.role if membership else None,
        "is_officer": is_officer(request.user),
    }


@router.get("/tokens", response=responses(200, list[TokenOut]), auth=WRITE, tags=["account"])
def list_tokens(request: AuthenticatedRequest) -> Any:
    return ApiToken.objects.filter(user=request.user)


@router.post("/tokens", response=responses(201, NewTokenOut), auth=WRITE, tags=["account"])
def create_token(request: AuthenticatedRequest, payload: TokenIn) -> Any:
    """Create a personal API token; the secret is in this response only.

    Only a logged-in browser session (with its CSRF token) may create tokens: a request
    authenticated by a token is refused with 403.
    """
    token, secret = services.create_api_token(
        request.user,
        payload.name,
        scope=payload.scope,
        expires_in_days=payload.expires_in_days,
        acting_token=acting_token(request),
    )
    return Status(201, {**TokenOut.from_orm(token).dict(), "secret": secret})


@router.delete("/tokens/{token_id}", response=responses(204, None), auth=WRITE, tags=["account"])
def revoke_token(request: AuthenticatedRequest, token_id: ObjectId) -> Any:
    """Revoke one of your tokens; like creating, only from a logged-in session (else 403)."""
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_api_token(request.user, token, acting_token=acting_token(request))
    return Status(204, None)


@router.get(
    "/reference/regions", response=responses(200, list[RegionOut]), auth=None, tags=["reference"]
)
def list_regions(
    request: HttpRequest, parent: Word | None = None, level: Word | None = None
) -> Any:
    """GB/T 2260 administrative divisions; `parent` gives a division's children."""
    queryset = Region.objects.all()
    if parent:
        queryset = queryset.filter(parent_id=parent)
    if level:
        queryset = queryset.filter(level=level)
    return queryset


@router.get(
    "/reference/industries",
    response=responses(200, list[IndustryOut]),
    auth=None,
    tags=["reference"],
)
def list_industries(request: HttpRequest, section: Word | None = None) -> Any:
    """GB/T 4754-2017 sections and divisions; `section` gives a section's divisions."""
    queryset = Industry.objects.all()
    return queryset.filter(section_id=section.upper()) if section else queryset


# --- size class, tier and region changes, reviewed (decision 0017) --------------------------


@router.post(
    "/eligibility-changes",
    response=responses(201, EligibilityChangeOut),
    auth=WRITE,
    tags=["eligibility changes"],
)
def request_eligibility_change(
    request: AuthenticatedRequest,
    payload: Form[EligibilityChangeIn],
    evidence: File[UploadedFile],
) -> Any:
    """Ask the programme office for a new size class, tier or region (your organisation's
    administrators; multipart with the evidence: PDF, PNG or JPEG, at most 2 MB). Nothing
    changes until an officer approves."""
    membership = membership_of(request.user)
    if membership is None:
        raise PermissionDenied(_("You may only request changes for your own organisation."))
    data = {k: v for k, v in payload.dict().items() if v is not None}
    change = services.request_eligibility_change(
        request.user, membership.organisation, data, evidence
    )
    return Status(201, eligibility_change_for_viewer(request.user, change.pk))


@router.get(
    "/eligibility-changes",
    response=responses(200, list[EligibilityChangeOut]),
    auth=WRITE,
    tags=["eligibility changes"],
)
@paginate(BoundedPagination)
def list_eligibility_changes(
    request: AuthenticatedRequest, status: ChangeStatus | None = None
) -> Any:
    """Change requests: every one for programme officers, your organisation's for its
    administrators, none for anyone else; oldest first."""
    found = eligibility_changes_visible_to(request.user).select_related("organisation")
    return found.filter(status=status) if status else found


@router.get(
    "/eligibility-changes/{change_id}",
    response=responses(200, EligibilityChangeOut),
    auth=WRITE,
    tags=["eligibility changes"],
)
def get_eligibility_change(request: AuthenticatedRequest, change_id: ObjectId) -> Any:
    """One change request you may read (404 otherwise)."""
    return eligibility_change_for_viewer(request.user, change_id)


@router.post(
    "/eligibility-changes/{change_id}/approve",
    response=responses(200, EligibilityChangeOut),
    auth=WRITE,
    tags=["eligibility changes"],
)
def approve_eligibility_change(request: AuthenticatedRequest, change_id: ObjectId) -> Any:
    """A programme officer approves: the new values take effect."""
    change = eligibility_change_for_viewer(request.user, change_id)
    services.decide_eligibility_change(request.user, change, approve=True)
    return eligibility_change_for_viewer(request.user, change_id)


@router.post(
    "/eligibility-changes/{change_id}/reject",
    response=responses(200, EligibilityChangeOut),
    auth=WRITE,
    tags=["eligibility changes"],
)
def reject_eligibility_change(
    request: AuthenticatedRequest, change_id: ObjectId, payload: ReasonIn
) -> Any:
    """A programme officer rejects, with written reasons; nothing changes."""
    change = eligibility_change_for_viewer(request.user, change_id)
    services.decide_eligibility_change(request.user, change, approve=False, reason=payload.reason)
    return eligibility_change_for_viewer(request.user, change_id)
