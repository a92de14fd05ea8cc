from django.urls import path

from synergy_hub.governance import views

app_name = "governance"

urlpatterns = [
    path("fees/", views.fee_schedules, name="fees"),
    path("fees/burden/", views.fee_burden, name="fee_burden"),
    path("fees/new/", views.new_fee_schedule, name="new_fee_schedule"),
    path("fees/<int:pk>/", views.fee_schedule, name="fee_schedule"),
    path("fees/<int:pk>/publish/", views.publish_fee_schedule, name="publish_fee_schedule"),
    path("fees/notices/", views.fee_notices, name="notices"),
    path("fees/notices/<int:pk>/answer/", views.answer_notice, name="answer_notice"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking/preference/", views.ranking_preference, name="ranking_preference"),
    path("measures/", views.measures, name="measures"),
    path("measures/new/", views.new_measure, name="new_measure"),
    path("measures/<int:pk>/lift/", views.lift_measure, name="lift_measure"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/new/", views.new_complaint, name="new_complaint"),
    path("complaints/statistics/", views.statistics, name="statistics"),
    path("complaints/<int:pk>/", views.complaint, name="complaint"),
    path("complaints/<int:pk>/evidence/", views.add_evidence, name="add_evidence"),
    path("complaints/<int:pk>/evidence/<int:evidence_id>/", views.evidence, name="evidence"),
    path("complaints/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("complaints/<int:pk>/decide/", views.decide, name="decide"),
    path("complaints/<int:pk>/escalate/", views.escalate, name="escalate"),
]
