from django.urls import path

from chatsite import views

urlpatterns = [
    path('hello/', views.hello),
]
