from django.urls import path

from tegoed.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("organization/", views.switch_organization, name="switch_organization"),
    path("sign-in-locks/", views.sign_in_locks, name="sign_in_locks"),
    path("settings/", views.organization_settings, name="settings"),
    path("settings/members/<str:username>/", views.member, name="member"),
    path("settings/invite/", views.invite, name="invite"),
    path("settings/members/<str:username>/invite-again/", views.invite_again, name="invite_again"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
