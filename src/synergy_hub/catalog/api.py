"""JSON API for the catalog: published lists and resources, the list workflow and needs."""

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Status
from ninja.pagination import paginate

from synergy_hub.accounts.api_auth import READ, WRITE
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.api.bounds import BoundedPagination, ObjectId
from synergy_hub.api.schemas import responses
from synergy_hub.catalog import selectors, services
from synergy_hub.catalog.models import Batch, OpennessList, Resource
from synergy_hub.catalog.query import MAX_BATCH
from synergy_hub.catalog.schemas import (
    BatchOut,
    ListDetailOut,
    ListIn,
    ListOut,
    NeedIn,
    NeedOut,
    ResourceIn,
    ResourceOut,
    ReturnIn,
)

router = Router(tags=["catalog"])


def _with_relations(queryset: Any) -> Any:
    return queryset.select_related(
        "openness_list__publisher", "openness_list__batch"
    ).prefetch_related("regions", "industries")


@router.get("/batches", response=responses(200, list[BatchOut]), auth=READ)
def list_batches(request: HttpRequest) -> Any:
    """The programme's batches of openness lists."""
    return Batch.objects.order_by("number")


@router.get("/resources/{resource_id}", response=responses(200, ResourceOut), auth=READ)
def get_resource(request: HttpRequest, resource_id: ObjectId) -> Any:
    return selectors.resource_for_viewer(request.user, resource_id)


@router.get("/lists", response=responses(200, list[ListOut]), auth=READ)
@paginate(BoundedPagination)
def list_lists(
    request: HttpRequest,
    batch: Annotated[int, Field(ge=1, le=MAX_BATCH)] | None = None,
    publisher: ObjectId | None = None,
) -> Any:
    """The currently published version of every openness list."""
    queryset = selectors.published_lists()
    if batch:
        queryset = queryset.filter(batch__number=batch)
    if publisher:
        queryset = queryset.filter(publisher_id=publisher)
    return queryset


@router.get("/lists/{list_id}", response=responses(200, ListDetailOut), auth=READ)
def get_list(request: HttpRequest, list_id: ObjectId) -> Any:
    """One list version with its resources (drafts only for their publisher and officers)."""
    return _detail(selectors.list_for_viewer(request.user, list_id))


@router.get("/lists/{list_id}/versions", response=responses(200, list[ListOut]), auth=READ)
def list_versions(request: HttpRequest, list_id: ObjectId) -> Any:
    """Every version of the list the caller may see, newest first."""
    openness_list = selectors.list_for_viewer(request.user, list_id)
    return selectors.list_history(openness_list, request.user)


def _detail(openness_list: OpennessList) -> OpennessList:
    return (
        OpennessList.objects.select_related("publisher", "batch")
        .prefetch_related(
            Prefetch(
                "resources",
                queryset=_with_relations(Resource.objects.order_by("position", "pk")),
            )
        )
        .get(pk=openness_list.pk)
    )


@router.get(
    "/workspace/lists", response=responses(200, list[ListOut]), auth=WRITE, tags=["workflow"]
)
def my_lists(request: AuthenticatedRequest) -> Any:
    """Every version of every list of the caller's organisation."""
    return selectors.lists_of_publisher(request.user)


@router.get("/review-queue", response=responses(200, list[ListOut]), auth=WRITE, tags=["workflow"])
def review_queue(request: AuthenticatedRequest) -> Any:
    """Submitted lists waiting for a programme officer."""
    return selectors.review_queue(request.user)


@router.post("/lists", response=responses(201, ListDetailOut), auth=WRITE, tags=["workflow"])
def create_list(request: AuthenticatedRequest, payload: ListIn) -> Any:
    """Draft a new openness list (platform and provider editors)."""
    if payload.batch is None:
        batch = selectors.current_batch()
        if batch is None:
            raise ValidationError(
                {"batch": ValidationError(_("No batch is open."), code="batch_closed")}
            )
    else:
        batch = Batch.objects.filter(number=payload.batch).first()
        if batch is None:
            raise ValidationError(
                {"batch": ValidationError(_("Unknown batch number."), code="invalid_choice")}
            )
    created = services.create_list(request.user, batch, payload.dict(exclude={"batch"}))
    return Status(201, _detail(created))


@router.patch(
    "/lists/{list_id}", response=responses(200, ListDetailOut), auth=WRITE, tags=["workflow"]
)
def update_list(request: AuthenticatedRequest, list_id: ObjectId, payload: ListIn) -> Any:
    openness_list = selectors.list_for_publisher(request.user, list_id)
    updated = services.update_list(
        request.user, openness_list, payload.dict(exclude_unset=True, exclude={"batch"})
    )
    return _detail(updated)


@router.post(
    "/lists/{list_id}/resources",
    response=responses(201, ResourceOut),
    auth=WRITE,
    tags=["workflow"],
)
def add_resource(request: AuthenticatedRequest, list_id: ObjectId, payload: ResourceIn) -> Any:
    openness_list = selectors.list_for_publisher(request.user, list_id)
    resource = services.add_resource(request.user, openness_list, payload.dict())
    return Status(201, selectors.resource_for_publisher(request.user, resource.pk))


@router.patch(
    "/resources/{resource_id}", response=responses(200, ResourceOut), auth=WRITE, tags=["workflow"]
)
def update_resource(
    request: AuthenticatedRequest, resource_id: ObjectId, payload: ResourceIn
) -> Any:
    resource = selectors.resource_for_publisher(request.user, resource_id)
    services.update_resource(request.user, resource, payload.dict(exclude_unset=True))
    return selectors.resource_for_publisher(request.user, resource_id)


@router.delete(
    "/resources/{resource_id}", response=responses(204, None), auth=WRITE, tags=["workflow"]
)
def remove_resource(request: AuthenticatedRequest, resource_id: ObjectId) -> Any:
    resource = selectors.resource_for_publisher(request.user, resource_id)
    services.remove_resource(request.user, resource)
    return Status(204, None)


@router.post(
    "/lists/{list_id}/submit", response=responses(200, ListDetailOut), auth=WRITE, tags=["workflow"]
)
def submit_list(request: AuthenticatedRequest, list_id: ObjectId) -> Any:
    openness_list = selectors.list_for_publisher(request.user, list_id)
    return _detail(services.submit_list(request.user, openness_list))


@router.post(
    "/lists/{list_id}/new-version",
    response=responses(201, ListDetailOut),
    auth=WRITE,
    tags=["workflow"],
)
def new_version(request: AuthenticatedRequest, list_id: ObjectId) -> Any:
    """Open the next draft version of a published list (or return the one already open)."""
    openness_list = selectors.list_for_publisher(request.user, list_id)
    return Status(201, _detail(services.create_new_version(request.user, openness_list)))


@router.post(
    "/lists/{list_id}/start-review",
    response=responses(200, ListDetailOut),
    auth=WRITE,
    tags=["workflow"],
)
def start_review(request: AuthenticatedRequest, list_id: ObjectId) -> Any:
    openness_list = selectors.list_for_officer(request.user, list_id)
    return _detail(services.start_review(request.user, openness_list))


@router.post(
    "/lists/{list_id}/return", response=responses(200, ListDetailOut), auth=WRITE, tags=["workflow"]
)
def return_list(request: AuthenticatedRequest, list_id: ObjectId, payload: ReturnIn) -> Any:
    openness_list = selectors.list_for_officer(request.user, list_id)
    return _detail(services.return_list(request.user, openness_list, payload.reasons))


@router.post(
    "/lists/{list_id}/publish",
    response=responses(200, ListDetailOut),
    auth=WRITE,
    tags=["workflow"],
)
def publish_list(request: AuthenticatedRequest, list_id: ObjectId) -> Any:
    openness_list = selectors.list_for_officer(request.user, list_id)
    return _detail(services.publish_list(request.user, openness_list))


@router.get("/needs", response=responses(200, list[NeedOut]), auth=WRITE, tags=["needs"])
def list_needs(request: AuthenticatedRequest) -> Any:
    """The needs of the caller's organisation."""
    return selectors.needs_of_organisation(request.user)


@router.post("/needs", response=responses(201, NeedOut), auth=WRITE, tags=["needs"])
def create_need(request: AuthenticatedRequest, payload: NeedIn) -> Any:
    return Status(201, services.create_need(request.user, payload.dict()))


@router.get("/needs/{need_id}", response=responses(200, NeedOut), auth=WRITE, tags=["needs"])
def get_need(request: AuthenticatedRequest, need_id: ObjectId) -> Any:
    return selectors.need_for_owner(request.user, need_id)


@router.patch("/needs/{need_id}", response=responses(200, NeedOut), auth=WRITE, tags=["needs"])
def update_need(request: AuthenticatedRequest, need_id: ObjectId, payload: NeedIn) -> Any:
    need = selectors.need_for_owner(request.user, need_id)
    return services.update_need(request.user, need, payload.dict(exclude_unset=True))
