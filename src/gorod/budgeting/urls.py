from django.urls import path

from gorod.budgeting.views import public, results, staff, voting

app_name = "budgeting"

urlpatterns = [
    path("", public.process_list, name="list"),
    path("oidc/callback/", voting.oidc_callback, name="oidc-callback"),
    path("<slug:slug>/", public.process_detail, name="process"),
    path("<slug:slug>/ideas/", public.idea_list, name="ideas"),
    path("<slug:slug>/ideas/new/", public.idea_new, name="idea-new"),
    path("<slug:slug>/ideas/<str:code>/", public.idea_detail, name="idea"),
    path("<slug:slug>/ideas/<str:code>/support/", public.idea_support_view, name="idea-support"),
    path("<slug:slug>/ideas/<str:code>/review/", staff.review, name="review"),
    path("<slug:slug>/ideas/<str:code>/milestone/", staff.milestone, name="milestone"),
    path("<slug:slug>/reviews/", public.reviews, name="reviews"),
    path("<slug:slug>/lottery/", public.lottery, name="lottery"),
    path("<slug:slug>/vote/", voting.vote_index, name="vote"),
    path("<slug:slug>/vote/<slug:scope>/", voting.ballot, name="ballot"),
    path("<slug:slug>/receipt/", voting.receipt, name="receipt"),
    path("<slug:slug>/receipts/", voting.receipt_check, name="receipt-check"),
    path("<slug:slug>/receipts.txt", voting.receipt_list, name="receipt-list"),
    path("<slug:slug>/oidc/", voting.oidc_start, name="oidc-start"),
    path("<slug:slug>/results/", results.results, name="results"),
    path("<slug:slug>/results/<slug:scope>.csv", results.results_csv, name="results-csv"),
    path("<slug:slug>/results/<slug:scope>.pb", results.results_pabulib, name="results-pabulib"),
    path("<slug:slug>/manage/", staff.manage, name="manage"),
    path("<slug:slug>/manage/action/", staff.manage_action, name="manage-action"),
]
