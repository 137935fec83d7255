from django.urls import path

from gorod.consultations.textin import views

# Mounted at /hooks/sms/: the URL a gateway's inbound webhook is set to, /hooks/sms/<gateway>/.
urlpatterns = [
    path("<slug:provider>/", views.hook, name="textin-hook"),
]
