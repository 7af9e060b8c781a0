from django.urls import path

from tegoed.dunning import views

app_name = "dunning"

urlpatterns = [
    path("", views.day, name="day"),
    path("letters/", views.letters, name="letters"),
    path("messages/<uuid:public_id>/", views.message_detail, name="message"),
    path("messages/<uuid:public_id>/approve/", views.approve, name="approve"),
    path("messages/<uuid:public_id>/skip/", views.skip, name="skip"),
    path("messages/<uuid:public_id>/resend/", views.resend, name="resend"),
    path("messages/<uuid:public_id>/files/<int:number>/", views.attachment, name="attachment"),
    path("calls/", views.calls, name="calls"),
    path("write-offs/", views.small_write_offs, name="small_write_offs"),
    path("calls/<int:call>/", views.call_result, name="call_result"),
    path("customers/<uuid:public_id>/", views.customer, name="customer"),
    path("customers/<uuid:public_id>/holds/", views.hold, name="hold"),
    path("holds/<int:hold>/lift/", views.lift, name="lift"),
    path("schedules/", views.schedules, name="schedules"),
    path("schedules/new/", views.schedule_create, name="schedule_create"),
    path("schedules/settings/", views.settings, name="settings"),
    path("schedules/<uuid:public_id>/", views.schedule, name="schedule"),
    path("schedules/<uuid:public_id>/steps/", views.step_add, name="step_add"),
    path(
        "schedules/<uuid:public_id>/steps/<slug:code>/remove/",
        views.step_remove,
        name="step_remove",
    ),
    path("schedules/<uuid:public_id>/steps/<slug:code>/move/", views.step_move, name="step_move"),
]
